"""Letter wording and letterhead per partnership (issue 19). Every existing wording row becomes the default wording
(``partnership`` empty), which every partnership without its own uses, so existing letters and their recorded
template versions stay as they were. The default partnership (Trafford) takes the existing letterhead's address,
phone and email where it records none, so its letters print what they printed before; the letterhead row stays the
default for partnerships that record no contact details."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


DEFAULT_CODE = "trafford"


def letterhead_to_default_partnership(apps, schema_editor):
    Partnership = apps.get_model("accounts", "Partnership")
    Letterhead = apps.get_model("letters", "Letterhead")
    db = schema_editor.connection.alias
    letterhead = Letterhead.objects.using(db).order_by("pk").first()
    partnership = Partnership.objects.using(db).filter(code=DEFAULT_CODE).first()
    if letterhead is None or partnership is None:
        return
    changed = []
    for field in ("address", "phone", "email"):
        if not getattr(partnership, field) and getattr(letterhead, field):
            setattr(partnership, field, getattr(letterhead, field))
            changed.append(field)
    if changed:
        partnership.save(update_fields=changed)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0009_availability_and_dashboard_visit'),
        ('letters', '0007_letter_file_removed'),
        ('rjcases', '0016_case_and_ward_partnership'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='lettertemplate',
            name='one_template_per_kind_variant_format_language',
        ),
        migrations.AddField(
            model_name='historicallettertemplate',
            name='partnership',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='Whose wording this is; empty for the default wording of every partnership without its own.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.partnership'),
        ),
        migrations.AddField(
            model_name='lettertemplate',
            name='partnership',
            field=models.ForeignKey(blank=True, help_text='Whose wording this is; empty for the default wording of every partnership without its own.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='letter_templates', to='accounts.partnership'),
        ),
        migrations.AddConstraint(
            model_name='lettertemplate',
            constraint=models.UniqueConstraint(condition=models.Q(('partnership__isnull', True)), fields=('kind', 'variant', 'format', 'language'), name='one_default_template_per_kind_variant_format_language'),
        ),
        migrations.AddConstraint(
            model_name='lettertemplate',
            constraint=models.UniqueConstraint(condition=models.Q(('partnership__isnull', False)), fields=('partnership', 'kind', 'variant', 'format', 'language'), name='one_template_per_partnership_kind_variant_format_language'),
        ),
        migrations.RunPython(letterhead_to_default_partnership, migrations.RunPython.noop),
    ]
