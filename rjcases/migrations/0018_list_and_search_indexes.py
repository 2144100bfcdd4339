"""The case list's indexes at a million cases (rjcases.search, docs/performance.md): newest first with and without a
status, the API's sync order, the overdue filter's open clocks; each person's folded name for search, backfilled
here, and on PostgreSQL the pg_trgm extension and a trigram index on it."""

from django.conf import settings
from django.db import migrations, models

from rjcases.search import folded_name

BATCH = 10_000


def backfill_search_names(apps, schema_editor):
    Party = apps.get_model("rjcases", "Party")
    connection = schema_editor.connection
    last = 0
    while True:
        rows = list(
            Party.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "first_name", "last_name")[:BATCH]
        )
        if not rows:
            return
        last = rows[-1][0]
        names = [(pk, folded_name(first, last_name)) for pk, first, last_name in rows]
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE rjcases_party SET search_name = v.name "
                    "FROM unnest(%s::bigint[], %s::text[]) AS v(id, name) WHERE rjcases_party.id = v.id",
                    [[pk for pk, _ in names], [name for _, name in names]],
                )
        else:
            with connection.cursor() as cursor:
                cursor.executemany("UPDATE rjcases_party SET search_name = %s WHERE id = %s", [(n, pk) for pk, n in names])


TRIGRAM_INDEX = (
    "CREATE INDEX IF NOT EXISTS party_search_name_trgm ON rjcases_party USING gin (search_name gin_trgm_ops)"
)


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(TRIGRAM_INDEX)


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS party_search_name_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_partnerships'),
        ('rjcases', '0017_party_bsl'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='case',
            name='rjcases_cas_state_5cf218_idx',
        ),
        migrations.RemoveIndex(
            model_name='case',
            name='rjcases_cas_receive_a72bc8_idx',
        ),
        migrations.AddField(
            model_name='party',
            name='search_name',
            field=models.TextField(blank=True, default='', editable=False),
        ),
        migrations.AlterField(
            model_name='case',
            name='updated_at',
            field=models.DateTimeField(auto_now=True),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['state', 'received_on', 'id'], name='case_state_received'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['received_on', 'id'], name='case_received'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['updated_at', 'id'], name='case_updated'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('rj_information_given_on__isnull', True), models.Q(('state', 'closed'), _negated=True)), fields=['rj_information_due_on'], name='case_rj_information_open'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(condition=models.Q(('initial_contact_on__isnull', True), models.Q(('state', 'closed'), _negated=True)), fields=['initial_contact_due_on'], name='case_initial_contact_open'),
        ),
        migrations.RunPython(backfill_search_names, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
