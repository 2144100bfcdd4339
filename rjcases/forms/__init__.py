"""Forms for the case pages: ``referral`` (the referral and its people), ``casework`` (everything else);
``govuk`` holds the GOV.UK markup they share."""

from rjcases.forms.casework import (
    WITHDRAWN_BY_CHOICES,
    AccessLogFilterForm,
    AllocationForm,
    AssessmentForm,
    CaseFilterForm,
    ConsentForm,
    ConsentWithdrawalForm,
    ContactForm,
    DuplicateReviewForm,
    NoteForm,
    SignOffForm,
    TimelineFilterForm,
    TransitionForm,
)
from rjcases.forms.govuk import DatePartsField, GovukForm, GovukModelForm
from rjcases.forms.referral import ROUTE_DESCRIPTIONS, PartyForm, ReferralForm, routes_for

__all__ = [
    "ROUTE_DESCRIPTIONS", "WITHDRAWN_BY_CHOICES", "AccessLogFilterForm", "AllocationForm", "AssessmentForm",
    "CaseFilterForm", "ConsentForm", "ConsentWithdrawalForm", "ContactForm", "DatePartsField", "DuplicateReviewForm",
    "GovukForm", "GovukModelForm", "NoteForm", "PartyForm", "ReferralForm", "SignOffForm", "TimelineFilterForm",
    "TransitionForm", "routes_for",
]
