from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("conferences", "0002_followup_kind_others_once_per_party"),
    ]

    operations = [
        migrations.AddField(
            model_name=model,
            name="outside_safe_times_reason",
            field=models.CharField(blank=True, max_length=500,
                                   verbose_name="why contact was made outside their safe times"),
        )
        for model in ("preparationcontact", "historicalpreparationcontact", "followup", "historicalfollowup")
    ]
