"""When each letter's file was written, kept on the letter: marking a file written no longer adds a history row.
Letters written before this take the time of their "file written" history row."""

from django.db import migrations, models


def from_history(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    HistoricalLetter = apps.get_model("letters", "HistoricalLetter")
    written = (
        HistoricalLetter.objects.filter(id=models.OuterRef("pk"), history_change_reason="file written")
        .order_by("-history_date")
        .values("history_date")[:1]
    )
    Letter.objects.filter(file_status="written", file_written_at__isnull=True).update(
        file_written_at=models.Subquery(written)
    )


class Migration(migrations.Migration):
    dependencies = [("letters", "0008_partnership_wording")]

    operations = [
        migrations.AddField(
            model_name="historicalletter",
            name="file_written_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="file written at"),
        ),
        migrations.AddField(
            model_name="letter",
            name="file_written_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="file written at"),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop),
    ]
