# The audit chain (audit.chain): each row of the transition log and the read access log gets its place in its table's chain and its hashes.
# Nullable first, filled for the rows already there (in id order); the next migration makes the place required
# and unique and, on PostgreSQL, the table append-only (separate, so PostgreSQL never alters a table with the
# updates of the same transaction still pending).

from django.db import migrations, models

from audit.migration_ops import backfill_chain


class Migration(migrations.Migration):
    dependencies = [("rjcases", "0008_victims_code_report_and_complaints")]

    operations = [
        migrations.AddField(
            model_name="casetransition",
            name="chain_seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="place in the audit chain"),
        ),
        migrations.AddField(
            model_name="casetransition",
            name="chain_prev",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash of the row before"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="casetransition",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash of this row"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="casetransition",
            name="personal_salt",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="casetransition",
            name="personal_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="readaccess",
            name="chain_seq",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="place in the audit chain"),
        ),
        migrations.AddField(
            model_name="readaccess",
            name="chain_prev",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash of the row before"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="readaccess",
            name="chain_hash",
            field=models.CharField(default="", editable=False, max_length=64, verbose_name="hash of this row"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="readaccess",
            name="personal_salt",
            field=models.CharField(blank=True, editable=False, max_length=32),
        ),
        migrations.AddField(
            model_name="readaccess",
            name="personal_digest",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(
            backfill_chain("rjcases.CaseTransition", "rjcases.ReadAccess"), migrations.RunPython.noop, elidable=False
        ),
    ]
