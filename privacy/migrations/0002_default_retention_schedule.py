# The retention schedule's demonstration defaults. A partnership sets its own (admin: Data protection >
# Retention rules); a rule already there is left as it is, so re-running changes nothing an administrator set.

from django.db import migrations

# kind, months, after, then, why
DEFAULTS = [
    ("case_agreement", 72, "closed", "review", "Six years after closure, as for other case records with an outcome."),
    ("case_no_agreement", 72, "closed", "review", "Six years after closure, like a case with an agreement."),
    ("case_not_suitable", 24, "closed", "review", "Two years: no restorative process took place."),
    ("referral_declined", 24, "closed", "review", "Two years after the referral was declined."),
    ("withdrawn", 24, "closed", "review", "Two years after the withdrawal ended the process."),
    ("anonymous_report", 24, "recorded", "review", "Two years after the report: no one to contact."),
    ("non_crime", 12, "recorded", "review", "Reviewed a year after recording (Home Office code of practice)."),
    ("survey_response", 24, "recorded", "anonymise", "Comments anonymised after two years; answers kept."),
    ("read_access_log", 72, "recorded", "review", "Six years, as long as the case records it is about."),
    ("security_log", 72, "recorded", "review", "Six years."),
    ("letter", 72, "sent", "review", "Six years after it was sent, with its case."),
]


def add_defaults(apps, schema_editor):
    RetentionRule = apps.get_model("privacy", "RetentionRule")
    HistoricalRetentionRule = apps.get_model("privacy", "HistoricalRetentionRule")
    from django.utils import timezone

    for kind, months, after, then, notes in DEFAULTS:
        rule, made = RetentionRule.objects.get_or_create(
            kind=kind, defaults={"keep_months": months, "after": after, "then": then, "notes": notes}
        )
        if made:  # history is written by signals, which migrations' models do not send
            HistoricalRetentionRule.objects.create(
                id=rule.id,
                kind=kind,
                keep_months=months,
                after=after,
                then=then,
                notes=notes,
                history_date=timezone.now(),
                history_type="+",
                history_change_reason="default retention schedule",
            )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_retention_schedule_and_reviews")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
