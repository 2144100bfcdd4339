"""Partnerships (issue 19): every ward and every case belongs to one. The installation's existing wards, cases and
staff become the default partnership's (Trafford, ``accounts.models.DEFAULT_PARTNERSHIP_CODE``), made here when
there is none; ward names become unique within a partnership instead of across the installation.

The fill is one UPDATE per table (no history rows: the history's partnership column stays empty for versions from
before partnerships, which is what they were)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DEFAULT_CODE = "trafford"


def default_partnership(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    Ward = apps.get_model("rjcases", "Ward")
    Case = apps.get_model("rjcases", "Case")
    User = apps.get_model("accounts", "User")
    db = schema_editor.connection.alias
    if not (Ward.objects.using(db).exists() or Case.objects.using(db).exists() or User.objects.using(db).exists()):
        return  # a new installation: its partnerships come with its reference data
    partnership, _ = Partnership.objects.using(db).get_or_create(
        code=DEFAULT_CODE,
        defaults={
            "name": "Trafford Community Safety Partnership",
            "area": "Trafford",
            "service_name": getattr(settings, "SERVICE_NAME", "Trafford Restorative Justice Service"),
        },
    )
    Ward.objects.using(db).filter(partnership__isnull=True).update(partnership=partnership)
    Case.objects.using(db).filter(partnership__isnull=True).update(partnership=partnership)
    # Every member of staff there was worked for the one partnership there was.
    staff = User.objects.using(db).filter(groups__isnull=False).distinct()
    partnership.members.add(*staff)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0008_partnerships'),
        ('rjcases', '0015_read_safe_times_from_the_notes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='case',
            name='partnership',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='accounts.partnership'),
        ),
        migrations.AddField(
            model_name='historicalcase',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddField(
            model_name='historicalward',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddField(
            model_name='ward',
            name='partnership',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='accounts.partnership'),
        ),
        migrations.AlterField(
            model_name='historicalward',
            name='name',
            field=models.CharField(max_length=100),
        ),
        migrations.AlterField(
            model_name='ward',
            name='name',
            field=models.CharField(max_length=100),
        ),
        migrations.RunPython(default_partnership, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='case',
            name='partnership',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='cases', to='accounts.partnership'),
        ),
        migrations.AlterField(
            model_name='ward',
            name='partnership',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='wards', to='accounts.partnership'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['partnership', 'received_on'], name='rjcases_cas_partner_33c4f8_idx'),
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['partnership', 'state', 'received_on'], name='rjcases_cas_partner_60b2fc_idx'),
        ),
        migrations.AddConstraint(
            model_name='ward',
            constraint=models.UniqueConstraint(fields=('partnership', 'name'), name='ward_name_unique_in_partnership', violation_error_message='This partnership already has a ward of that name.'),
        ),
    ]
