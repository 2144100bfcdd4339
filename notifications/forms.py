"""The one form of notifications: a user's own email choices, on their account page."""

from django import forms

from govuk.forms import GovukForm
from notifications.models import Preference


class NotificationPreferenceForm(GovukForm):
    referral_updates = forms.BooleanField(
        label=Preference._meta.get_field("referral_updates").verbose_name,
        help_text=Preference._meta.get_field("referral_updates").help_text,
        required=False,
    )
