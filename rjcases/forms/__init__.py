"""Forms for the case pages: ``referral`` (the referral and its people), ``casework`` (everything else). The
GOV.UK markup they share is the ``govuk`` app's."""

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
    NoLongerTakingPartForm,
    NoteForm,
    NoteSharingForm,
    SignOffForm,
    TimelineFilterForm,
    TransitionForm,
)
from rjcases.forms.referral import ROUTE_DESCRIPTIONS, PartyForm, ReferralForm

__all__ = [
    "ROUTE_DESCRIPTIONS",
    "WITHDRAWN_BY_CHOICES",
    "AccessLogFilterForm",
    "AllocationForm",
    "AssessmentForm",
    "CaseFilterForm",
    "ConsentForm",
    "ConsentWithdrawalForm",
    "ContactForm",
    "DuplicateReviewForm",
    "NoLongerTakingPartForm",
    "NoteForm",
    "NoteSharingForm",
    "PartyForm",
    "ReferralForm",
    "SignOffForm",
    "TimelineFilterForm",
    "TransitionForm",
]
