# Written by hand: only the note's new flag (other engineers' pending model changes get their own migrations).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rjcases', '0003_transition_name_case_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='note',
            name='shared_with_caseworker',
            field=models.BooleanField(default=False, help_text='The caseworkers of the people harmed on this case may read this note', verbose_name="share with the person harmed's caseworker"),
        ),
        migrations.AddField(
            model_name='historicalnote',
            name='shared_with_caseworker',
            field=models.BooleanField(default=False, help_text='The caseworkers of the people harmed on this case may read this note', verbose_name="share with the person harmed's caseworker"),
        ),
    ]
