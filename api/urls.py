"""The API's paths, under /api/v1/. Case paths take the case reference (RJ-2026-00042)."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny

from api import docs, views

app_name = "api"

CASE = "cases/<str:reference>/"

urlpatterns = [
    path("schema/", SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny]),
         name="schema"),
    path("docs/", docs.ApiDocsView.as_view(url_name="api:schema"), name="docs"),
    path("me/", views.MeView.as_view(), name="me"),
    path("reference/", views.ReferenceDataView.as_view(), name="reference"),
    path("referrals/", views.ReferralView.as_view(), name="referrals"),
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path(CASE, views.CaseDetailView.as_view(), name="case-detail"),
    path(CASE + "allocation/", views.AllocationView.as_view(), name="allocation"),
    path(CASE + "transitions/", views.TransitionListView.as_view(), name="transitions"),
    path(CASE + "transitions/<str:name>/", views.TransitionTakeView.as_view(), name="transition-take"),
    path(CASE + "timeline/", views.TimelineView.as_view(), name="timeline"),
    path(CASE + "parties/", views.PartyListView.as_view(), name="parties"),
    path(CASE + "parties/<int:party_id>/", views.PartyDetailView.as_view(), name="party-detail"),
    path(CASE + "parties/<int:party_id>/consents/", views.PartyConsentView.as_view(), name="party-consents"),
    path(CASE + "parties/<int:party_id>/assessments/", views.PartyAssessmentView.as_view(),
         name="party-assessments"),
    path(CASE + "consents/", views.ConsentListView.as_view(), name="consents"),
    path(CASE + "consents/<int:consent_id>/withdrawal/", views.ConsentWithdrawalView.as_view(),
         name="consent-withdrawal"),
    path(CASE + "assessments/", views.AssessmentListView.as_view(), name="assessments"),
    path(CASE + "assessments/<int:assessment_id>/sign-off/", views.AssessmentSignOffView.as_view(),
         name="assessment-sign-off"),
    path(CASE + "notes/", views.NoteListView.as_view(), name="notes"),
    path(CASE + "contacts/", views.ContactListView.as_view(), name="contacts"),
    path(CASE + "preparation-contacts/", views.PreparationContactListView.as_view(), name="preparation-contacts"),
    path(CASE + "activities/", views.ActivityListView.as_view(), name="activities"),
    path(CASE + "activities/<int:activity_id>/reschedule/", views.ActivityRescheduleView.as_view(),
         name="activity-reschedule"),
    path(CASE + "activities/<int:activity_id>/took-place/", views.ActivityTookPlaceView.as_view(),
         name="activity-took-place"),
    path(CASE + "agreement/", views.AgreementView.as_view(), name="agreement"),
    path(CASE + "agreement/actions/", views.AgreementActionListView.as_view(), name="agreement-actions"),
    path(CASE + "agreement/actions/<int:action_id>/", views.AgreementActionDetailView.as_view(),
         name="agreement-action"),
    path(CASE + "agreement/actions/<int:action_id>/done/", views.ActionDoneView.as_view(), name="action-done"),
    path(CASE + "agreement/actions/<int:action_id>/missed/", views.ActionMissedView.as_view(),
         name="action-missed"),
    path(CASE + "follow-ups/", views.FollowUpListView.as_view(), name="follow-ups"),
    path(CASE + "feedback/", views.FeedbackListView.as_view(), name="feedback"),
    path(CASE + "letters/", views.LetterListView.as_view(), name="letters"),
    path(CASE + "letters/<int:letter_id>/pdf/", views.LetterPdfView.as_view(), name="letter-pdf"),
    path("insights/hotspots/", views.HotspotsView.as_view(), name="hotspots"),
    re_path(r"^.*$", views.NotFoundView.as_view(), name="not-found"),
]
