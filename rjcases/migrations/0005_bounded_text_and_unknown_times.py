"""Text limits (``rjcases.limits``) as field lengths and database checks; whether a contact's or an incident's time
is known.

Existing rows: a contact or incident stored at exactly midnight, service time, is marked "time not recorded". Until
now the forms stored an empty time box as 00:00:00, so such a row is almost always a day without a time; a contact
or incident really at midnight to the second would have to be typed as 00:00, which the old data cannot tell apart,
and showing it as "time not recorded" loses nothing the record really knew. Any other time is kept as known.
Rows are updated by primary key in bulk: migrations write no field history, and this is a correction of how the
old data is read, not a change anyone made.
"""

from zoneinfo import ZoneInfo

import django.db.models.expressions
import django.db.models.functions.datetime
import django.db.models.functions.text
import django.db.models.lookups
import rjcases.limits
from django.conf import settings
from django.db import migrations, models


def _midnight_ids(rows, zone) -> list[int]:
    ids = []
    for pk, at in rows:
        local = at.astimezone(zone)
        if (local.hour, local.minute, local.second, local.microsecond) == (0, 0, 0, 0):
            ids.append(pk)
    return ids


def mark_midnights_unknown(apps, schema_editor):
    zone = ZoneInfo(settings.TIME_ZONE)
    for model, field, flag in (("ContactAttempt", "at", "time_known"), ("Incident", "occurred_from",
                                                                          "occurred_time_known")):
        manager = apps.get_model("rjcases", model).objects
        ids = _midnight_ids(manager.values_list("pk", field).iterator(), zone)
        for start in range(0, len(ids), 500):
            manager.filter(pk__in=ids[start:start + 500]).update(**{flag: False})


class Migration(migrations.Migration):

    dependencies = [
        ('rjcases', '0004_note_shared_with_caseworker'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="contactattempt",
            options={"ordering": [
                django.db.models.expressions.OrderBy(django.db.models.functions.datetime.TruncDate("at")),
                django.db.models.expressions.OrderBy(django.db.models.expressions.F("time_known"), descending=True),
                django.db.models.expressions.OrderBy(django.db.models.expressions.F("at")),
                django.db.models.expressions.OrderBy(django.db.models.expressions.F("id")),
            ]},
        ),
        migrations.AddField(
            model_name='contactattempt',
            name='time_known',
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name='historicalcontactattempt',
            name='time_known',
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name='historicalincident',
            name='occurred_time_known',
            field=models.BooleanField(default=True, verbose_name='time of the incident known'),
        ),
        migrations.AddField(
            model_name='incident',
            name='occurred_time_known',
            field=models.BooleanField(default=True, verbose_name='time of the incident known'),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='mitigations',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='risk_factors',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='assessment',
            name='sign_off_note',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='case',
            name='closure_summary',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='case',
            name='outcome_reason',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='case',
            name='referrer_contact',
            field=models.CharField(blank=True, max_length=200, validators=[rjcases.limits.validate_phone_or_email], verbose_name="referrer's phone or email"),
        ),
        migrations.AlterField(
            model_name='casetransition',
            name='reason',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='consent',
            name='withdrawal_reason',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='consent',
            name='wording_shown',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='contactattempt',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalassessment',
            name='mitigations',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalassessment',
            name='risk_factors',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalassessment',
            name='sign_off_note',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='closure_summary',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='outcome_reason',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalcase',
            name='referrer_contact',
            field=models.CharField(blank=True, max_length=200, validators=[rjcases.limits.validate_phone_or_email], verbose_name="referrer's phone or email"),
        ),
        migrations.AlterField(
            model_name='historicalconsent',
            name='withdrawal_reason',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalconsent',
            name='wording_shown',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalcontactattempt',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalincident',
            name='summary',
            field=models.TextField(max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalnote',
            name='body',
            field=models.TextField(max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalparty',
            name='address',
            field=models.TextField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name='historicalparty',
            name='other_adjustments',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalparty',
            name='phone',
            field=models.CharField(blank=True, max_length=30, validators=[rjcases.limits.validate_phone]),
        ),
        migrations.AlterField(
            model_name='incident',
            name='summary',
            field=models.TextField(max_length=5000),
        ),
        migrations.AlterField(
            model_name='note',
            name='body',
            field=models.TextField(max_length=10000),
        ),
        migrations.AlterField(
            model_name='party',
            name='address',
            field=models.TextField(blank=True, max_length=500),
        ),
        migrations.AlterField(
            model_name='party',
            name='other_adjustments',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='party',
            name='phone',
            field=models.CharField(blank=True, max_length=30, validators=[rjcases.limits.validate_phone]),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('risk_factors'), 10000), name='assessment_risk_factors_length', violation_error_message='Risk factors must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('mitigations'), 10000), name='assessment_mitigations_length', violation_error_message='Mitigations must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('sign_off_note'), 5000), name='assessment_sign_off_note_length', violation_error_message='Sign off note must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('outcome_reason'), 5000), name='case_outcome_reason_length', violation_error_message='Outcome reason must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='case',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('closure_summary'), 5000), name='case_closure_summary_length', violation_error_message='Closure summary must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='casetransition',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('reason'), 10000), name='transition_reason_length', violation_error_message='Reason must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('wording_shown'), 10000), name='consent_wording_shown_length', violation_error_message='Wording shown must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='consent',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('withdrawal_reason'), 5000), name='consent_withdrawal_reason_length', violation_error_message='Withdrawal reason must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='contactattempt',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('notes'), 10000), name='contact_notes_length', violation_error_message='Notes must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='incident',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('summary'), 5000), name='incident_summary_length', violation_error_message='Summary must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='note',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('body'), 10000), name='note_body_length', violation_error_message='Body must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='party',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('address'), 500), name='party_address_length', violation_error_message='Address must be 500 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='party',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('other_adjustments'), 5000), name='party_other_adjustments_length', violation_error_message='Other adjustments must be 5,000 characters or fewer'),
        ),
        migrations.RunPython(mark_midnights_unknown, migrations.RunPython.noop),
    ]
