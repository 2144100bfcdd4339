"""A note that was shared "with the people harmed's caseworkers" (the boolean of migration 0004) is now shared with
each caseworker then on the case, by name: the facilitator chooses who from here on. The choice is historied: each
such note gets a history row saying so, and its earlier history rows that said "shared" name the same people.

Reversing removes those rows; the boolean is still there (dropped a release later), so the code before reads the
notes as they were. Notes shared after this migration stay unshared under that code: a rollback shows less, not more.
"""

from django.db import migrations
from django.utils import timezone

REASON = "shared with every caseworker then on the case (migration 0013)"


def share_with_the_caseworkers(apps, schema_editor):
    Note = apps.get_model("rjcases", "Note")
    Party = apps.get_model("rjcases", "Party")
    HistoricalNote = apps.get_model("rjcases", "HistoricalNote")
    HistoricalShared = apps.get_model("rjcases", "HistoricalNote_shared_with")
    Shared = Note._meta.get_field("shared_with").remote_field.through
    now = timezone.now()
    for note in Note.objects.filter(shared_with_caseworker=True).order_by("pk"):
        caseworkers = sorted(
            set(
                Party.objects.filter(case_id=note.case_id, role="harmed", caseworker__isnull=False).values_list(
                    "caseworker_id", flat=True
                )
            )
        )
        Shared.objects.bulk_create([Shared(note_id=note.pk, user_id=pk) for pk in caseworkers], ignore_conflicts=True)
        earlier = list(HistoricalNote.objects.filter(id=note.pk, shared_with_caseworker=True))
        row = HistoricalNote.objects.create(
            id=note.pk,
            case_id=note.case_id,
            author_id=note.author_id,
            body=note.body,
            shared_with_caseworker=True,
            created_at=note.created_at,
            history_date=now,
            history_type="~",
            history_change_reason=REASON,
        )
        # A history row's many-to-many copy names the through row it copies (its id), as simple-history writes it.
        through = list(Shared.objects.filter(note_id=note.pk).order_by("user_id"))
        HistoricalShared.objects.bulk_create(
            [
                HistoricalShared(id=link.pk, history_id=h.history_id, note_id=note.pk, user_id=link.user_id)
                for h in [*earlier, row]
                for link in through
            ]
        )


def unshare(apps, schema_editor):
    HistoricalNote = apps.get_model("rjcases", "HistoricalNote")
    HistoricalShared = apps.get_model("rjcases", "HistoricalNote_shared_with")
    HistoricalShared.objects.all().delete()
    HistoricalNote.objects.filter(history_change_reason=REASON).delete()


class Migration(migrations.Migration):
    dependencies = [("rjcases", "0012_note_shared_with_caseworkers")]

    operations = [migrations.RunPython(share_with_the_caseworkers, unshare)]
