# The audit chain's place is required and unique (the security log has been append-only on PostgreSQL since 0002).

from django.db import migrations, models

from audit.migration_ops import make_append_only


class Migration(migrations.Migration):
    dependencies = [("accounts", "0006_audit_chain")]

    operations = [
        migrations.AlterField(
            model_name="securityevent",
            name="chain_seq",
            field=models.BigIntegerField(editable=False, unique=True, verbose_name="place in the audit chain"),
        )
    ]
