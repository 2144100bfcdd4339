"""The form that moves a case to another partnership (``rjcases.services.partnerships``)."""

from __future__ import annotations

from django import forms

from accounts import roles
from govuk.forms import GovukForm
from rjcases import limits
from rjcases.models import Case, Ward


class MovePartnershipForm(GovukForm):
    ward = forms.ModelChoiceField(
        Ward.objects.none(),
        label="Ward of the incident, in the partnership the case moves to",
        empty_label="Choose a ward",
        error_messages={"required": "Choose the ward, in the partnership the case moves to"},
    )
    reason = forms.CharField(
        label="Why the case moves",
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why the case moves to another partnership"},
    )

    def __init__(self, *args, case: Case, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The wards of the other partnerships this manager manages too.
        others = sorted(roles.partnership_ids(user) - {case.partnership_id})
        self.fields["ward"].queryset = (
            Ward.objects.filter(partnership__in=others, partnership__is_active=True)
            .select_related("partnership")
            .order_by("partnership__name", "name")
        )
        self.fields["ward"].label_from_instance = lambda w: f"{w.name} ({w.partnership.name})"
