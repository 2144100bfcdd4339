"""Data protection requests belong to a partnership (the opening manager's): only its managers see and handle them,
and only its cases are searched for the person's records.

Requests made before this are given the partnership of the cases their proposed records are on (the first one's),
else the opening manager's first partnership, else the default partnership (``DEFAULT_CODE``). The history's
column stays empty for versions from before partnerships, which is what they were."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DEFAULT_CODE = "trafford"


def give_requests_a_partnership(apps, schema_editor):
    SubjectRequest = apps.get_model("privacy", "SubjectRequest")
    SubjectRequestMatch = apps.get_model("privacy", "SubjectRequestMatch")
    Partnership = apps.get_model("accounts", "Partnership")
    db = schema_editor.connection.alias
    for request in SubjectRequest.objects.using(db).filter(partnership__isnull=True).iterator():
        partnership_id = (
            SubjectRequestMatch.objects.using(db)
            .filter(request_id=request.pk)
            .order_by("id")
            .values_list("party__case__partnership_id", flat=True)
            .first()
        )
        if partnership_id is None:
            partnership_id = (
                Partnership.objects.using(db)
                .filter(members__pk=request.opened_by_id)
                .order_by("pk")
                .values_list("pk", flat=True)
                .first()
            )
        if partnership_id is None:
            partnership_id = (
                Partnership.objects.using(db)
                .get_or_create(
                    code=DEFAULT_CODE,
                    defaults={
                        "name": "Trafford Community Safety Partnership",
                        "area": "Trafford",
                        "service_name": getattr(settings, "SERVICE_NAME", "Trafford Restorative Justice Service"),
                    },
                )[0]
                .pk
            )
        SubjectRequest.objects.using(db).filter(pk=request.pk).update(partnership_id=partnership_id)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_availability_and_dashboard_visit'),
        ('privacy', '0003_anonymisation_and_subject_requests'),
        ('rjcases', '0016_case_and_ward_partnership'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='subjectrequest',
            name='privacy_sub_complet_bea76b_idx',
        ),
        migrations.AddField(
            model_name='historicalsubjectrequest',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddField(
            model_name='subjectrequest',
            name='partnership',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.partnership'),
        ),
        migrations.RunPython(give_requests_a_partnership, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='subjectrequest',
            name='partnership',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddIndex(
            model_name='subjectrequest',
            index=models.Index(fields=['partnership', 'completed_on', 'due_on'], name='privacy_sub_partner_4d1c3a_idx'),
        ),
    ]
