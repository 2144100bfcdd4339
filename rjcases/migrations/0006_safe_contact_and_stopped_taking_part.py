from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rjcases", "0005_bounded_text_and_unknown_times"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactattempt",
            name="outside_safe_times_reason",
            field=models.CharField(blank=True, max_length=500,
                                   verbose_name="why contact was made outside their safe times"),
        ),
        migrations.AddField(
            model_name="historicalcontactattempt",
            name="outside_safe_times_reason",
            field=models.CharField(blank=True, max_length=500,
                                   verbose_name="why contact was made outside their safe times"),
        ),
        migrations.AddField(
            model_name="party",
            name="stopped_taking_part_on",
            field=models.DateField(blank=True, null=True, verbose_name="no longer taking part since"),
        ),
        migrations.AddField(
            model_name="historicalparty",
            name="stopped_taking_part_on",
            field=models.DateField(blank=True, null=True, verbose_name="no longer taking part since"),
        ),
        migrations.AddField(
            model_name="party",
            name="stopped_taking_part_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="why they no longer take part"),
        ),
        migrations.AddField(
            model_name="historicalparty",
            name="stopped_taking_part_reason",
            field=models.CharField(blank=True, max_length=500, verbose_name="why they no longer take part"),
        ),
    ]
