# The audit chain's place is required and unique; on PostgreSQL a trigger refuses UPDATE and DELETE of the transition log and of the
# read access log (audit.migration_ops: why a trigger and not grants).

from django.db import migrations, models

from audit.migration_ops import make_append_only


class Migration(migrations.Migration):
    dependencies = [("rjcases", "0009_audit_chain")]

    operations = [
        migrations.AlterField(
            model_name="casetransition",
            name="chain_seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="place in the audit chain"),
        ),
        migrations.AlterField(
            model_name="readaccess",
            name="chain_seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="place in the audit chain"),
        ),
        migrations.RunPython(*make_append_only("rjcases.CaseTransition", "rjcases.ReadAccess")),
    ]
