"""Text limits (``rjcases.limits``) as field lengths and database checks; whether a follow-up's time is known.

Existing follow-ups keep ``time_known`` true: the web form stored the time of recording (today) or noon (an earlier
day), and the API a time it was given; none of them was stored as midnight for "no time", so there is nothing the
old data says was unknown that could be told apart from a real noon.
"""

import django.db.models.expressions
import django.db.models.functions.datetime
import django.db.models.functions.text
import django.db.models.lookups
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('conferences', '0003_outside_safe_times_reason'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="followup",
            options={"ordering": [
                django.db.models.expressions.OrderBy(django.db.models.functions.datetime.TruncDate("at")),
                django.db.models.expressions.OrderBy(django.db.models.expressions.F("time_known"), descending=True),
                django.db.models.expressions.OrderBy(django.db.models.expressions.F("at")),
                django.db.models.expressions.OrderBy(django.db.models.expressions.F("id")),
            ]},
        ),
        migrations.AddField(
            model_name='followup',
            name='time_known',
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name='historicalfollowup',
            name='time_known',
            field=models.BooleanField(default=True),
        ),
        migrations.AlterField(
            model_name='activity',
            name='cancellation_reason',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='activity',
            name='summary',
            field=models.TextField(blank=True, max_length=5000, verbose_name='what happened'),
        ),
        migrations.AlterField(
            model_name='agreement',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='agreementaction',
            name='evidence_note',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='feedback',
            name='comments',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='followup',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalactivity',
            name='cancellation_reason',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalactivity',
            name='summary',
            field=models.TextField(blank=True, max_length=5000, verbose_name='what happened'),
        ),
        migrations.AlterField(
            model_name='historicalagreement',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalagreementaction',
            name='evidence_note',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalfeedback',
            name='comments',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalfollowup',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='historicalpreparationcontact',
            name='adjustments_arranged',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='historicalpreparationcontact',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AlterField(
            model_name='preparationcontact',
            name='adjustments_arranged',
            field=models.TextField(blank=True, max_length=5000),
        ),
        migrations.AlterField(
            model_name='preparationcontact',
            name='notes',
            field=models.TextField(blank=True, max_length=10000),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('cancellation_reason'), 5000), name='activity_cancellation_reason_length', violation_error_message='Cancellation reason must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='activity',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('summary'), 5000), name='activity_summary_length', violation_error_message='Summary must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='agreement',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('notes'), 10000), name='agreement_notes_length', violation_error_message='Notes must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='agreementaction',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('evidence_note'), 5000), name='action_evidence_note_length', violation_error_message='Evidence note must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='feedback',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('comments'), 5000), name='feedback_comments_length', violation_error_message='Comments must be 5,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='followup',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('notes'), 10000), name='follow_up_notes_length', violation_error_message='Notes must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='preparationcontact',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('notes'), 10000), name='preparation_notes_length', violation_error_message='Notes must be 10,000 characters or fewer'),
        ),
        migrations.AddConstraint(
            model_name='preparationcontact',
            constraint=models.CheckConstraint(condition=django.db.models.lookups.LessThanOrEqual(django.db.models.functions.text.Length('adjustments_arranged'), 5000), name='preparation_adjustments_arranged_length', violation_error_message='Adjustments arranged must be 5,000 characters or fewer'),
        ),
    ]
