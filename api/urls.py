"""The API's paths, under /api/v1/. Case paths take the case reference (RJ-2026-00042)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

from api import docs
from api.views import cases, common, interpreters, recorded, reports, safeguarding, victims_code, work

app_name = "api"

CASE = "cases/<str:reference>/"

urlpatterns = [
    path(
        "schema/",
        SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
        name="schema",
    ),
    path("docs/", docs.ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("me/", cases.MeView.as_view(), name="me"),
    path("reference/", cases.ReferenceDataView.as_view(), name="reference"),
    path("referrals/", cases.ReferralView.as_view(), name="referrals"),
    path("cases/", cases.CaseListView.as_view(), name="case-list"),
    path(CASE, cases.CaseDetailView.as_view(), name="case-detail"),
    path(CASE + "allocation/", cases.AllocationView.as_view(), name="allocation"),
    path(CASE + "transitions/", cases.TransitionListView.as_view(), name="transitions"),
    path(CASE + "transitions/<str:name>/", cases.TransitionTakeView.as_view(), name="transition-take"),
    path(CASE + "timeline/", cases.TimelineView.as_view(), name="timeline"),
    path(CASE + "victims-code/", victims_code.VictimsCodeView.as_view(), name="victims-code"),
    path(CASE + "victims-code/report/", victims_code.ReportView.as_view(), name="victims-code-report"),
    path(CASE + "victims-code/enhanced-rights/", victims_code.EnhancedRightsView.as_view(), name="enhanced-rights"),
    path(CASE + "complaints/", victims_code.ComplaintListView.as_view(), name="complaints"),
    path(
        CASE + "complaints/<int:complaint_id>/acknowledgement/",
        victims_code.AcknowledgementView.as_view(),
        name="complaint-acknowledgement",
    ),
    path(
        CASE + "complaints/<int:complaint_id>/response/", victims_code.ResponseView.as_view(), name="complaint-response"
    ),
    path(CASE + "parties/", cases.PartyListView.as_view(), name="parties"),
    path(CASE + "parties/<int:party_id>/", cases.PartyDetailView.as_view(), name="party-detail"),
    path(CASE + "parties/<int:party_id>/consents/", cases.PartyConsentView.as_view(), name="party-consents"),
    path(CASE + "parties/<int:party_id>/assessments/", cases.PartyAssessmentView.as_view(), name="party-assessments"),
    path(
        CASE + "parties/<int:party_id>/no-longer-taking-part/",
        safeguarding.NoLongerTakingPartView.as_view(),
        name="party-no-longer-taking-part",
    ),
    path(CASE + "consents/", cases.ConsentListView.as_view(), name="consents"),
    path(
        CASE + "consents/<int:consent_id>/withdrawal/", cases.ConsentWithdrawalView.as_view(), name="consent-withdrawal"
    ),
    path(CASE + "assessments/", cases.AssessmentListView.as_view(), name="assessments"),
    path(
        CASE + "assessments/<int:assessment_id>/sign-off/",
        cases.AssessmentSignOffView.as_view(),
        name="assessment-sign-off",
    ),
    path(CASE + "notes/", cases.NoteListView.as_view(), name="notes"),
    path(CASE + "notes/<int:note_id>/sharing/", safeguarding.NoteSharingView.as_view(), name="note-sharing"),
    path(CASE + "contacts/", cases.ContactListView.as_view(), name="contacts"),
    path(CASE + "preparation-contacts/", work.PreparationContactListView.as_view(), name="preparation-contacts"),
    path(CASE + "activities/", work.ActivityListView.as_view(), name="activities"),
    path(
        CASE + "activities/<int:activity_id>/reschedule/",
        work.ActivityRescheduleView.as_view(),
        name="activity-reschedule",
    ),
    path(
        CASE + "activities/<int:activity_id>/took-place/",
        work.ActivityTookPlaceView.as_view(),
        name="activity-took-place",
    ),
    path(
        CASE + "activities/<int:activity_id>/interpreter-bookings/",
        interpreters.InterpreterBookingListView.as_view(),
        name="interpreter-bookings",
    ),
    path(
        CASE + "activities/<int:activity_id>/interpreter-bookings/<int:booking_id>/confirm/",
        interpreters.InterpreterConfirmView.as_view(),
        name="interpreter-booking-confirm",
    ),
    path(CASE + "agreement/", work.AgreementView.as_view(), name="agreement"),
    path(CASE + "agreement/actions/", work.AgreementActionListView.as_view(), name="agreement-actions"),
    path(
        CASE + "agreement/actions/<int:action_id>/", work.AgreementActionDetailView.as_view(), name="agreement-action"
    ),
    path(CASE + "agreement/actions/<int:action_id>/done/", work.ActionDoneView.as_view(), name="action-done"),
    path(CASE + "agreement/actions/<int:action_id>/missed/", work.ActionMissedView.as_view(), name="action-missed"),
    path(CASE + "follow-ups/", work.FollowUpListView.as_view(), name="follow-ups"),
    path(CASE + "feedback/", work.FeedbackListView.as_view(), name="feedback"),
    path(CASE + "wellbeing/", work.WellbeingListView.as_view(), name="wellbeing"),
    path(CASE + "letters/", reports.LetterListView.as_view(), name="letters"),
    path(
        CASE + "letters/<int:letter_id>/regenerate/", reports.LetterRegenerateView.as_view(), name="letter-regenerate"
    ),
    path(CASE + "letters/<int:letter_id>/pdf/", reports.LetterPdfView.as_view(), name="letter-pdf"),
    path("insights/hotspots/", reports.HotspotsView.as_view(), name="hotspots"),
    path("recorded-incidents/bulk/", recorded.RecordedIncidentBulkView.as_view(), name="recorded-incidents-bulk"),
    # Any other path under /api/v1/, a newline in it included ("." would not match one): the JSON 404.
    re_path(r"^[\s\S]*$", common.NotFoundView.as_view(), name="not-found"),
]
