"""The restorative work pages, mounted under /cases/ beside the case pages."""

from django.urls import path

from conferences.views import agreement, interpreters, work

app_name = "conferences"

urlpatterns = [
    path("<str:reference>/restorative-work/", work.overview, name="overview"),
    path("<str:reference>/preparation/", work.preparation, name="preparation"),
    path("<str:reference>/preparation/add/", work.preparation_add, name="preparation_add"),
    path("<str:reference>/activity/", work.activity, name="activity"),
    path("<str:reference>/activity/plan/", work.activity_plan, name="activity_plan"),
    path("<str:reference>/activity/confirm/", work.activity_confirm, name="activity_confirm"),
    path("<str:reference>/activity/cancel/", work.activity_cancel, name="activity_cancel"),
    path("<str:reference>/activity/<int:pk>/reschedule/", work.activity_reschedule, name="activity_reschedule"),
    path("<str:reference>/activity/<int:pk>/took-place/", work.activity_took_place, name="activity_took_place"),
    path(
        "<str:reference>/activity/<int:pk>/interpreters/book/", interpreters.interpreter_book, name="interpreter_book"
    ),
    path(
        "<str:reference>/activity/<int:pk>/interpreters/<int:booking_pk>/confirm/",
        interpreters.interpreter_confirm,
        name="interpreter_confirm",
    ),
    path("<str:reference>/agreement/", agreement.agreement, name="agreement"),
    path("<str:reference>/agreement/signed/", agreement.agreement_edit, name="agreement_edit"),
    path("<str:reference>/agreement/actions/add/", agreement.action_add, name="action_add"),
    path("<str:reference>/agreement/actions/<int:pk>/remove/", agreement.action_remove, name="action_remove"),
    path("<str:reference>/agreement/confirm/", agreement.agreement_confirm, name="agreement_confirm"),
    path("<str:reference>/monitoring/", agreement.monitoring, name="monitoring"),
    path("<str:reference>/monitoring/follow-up/", agreement.follow_up_add, name="follow_up_add"),
    path("<str:reference>/monitoring/actions/<int:pk>/done/", agreement.action_done, name="action_done"),
    path("<str:reference>/monitoring/actions/<int:pk>/missed/", agreement.action_missed, name="action_missed"),
    path("<str:reference>/closure/", agreement.closure, name="closure"),
    path("<str:reference>/feedback/", agreement.feedback, name="feedback"),
    path("<str:reference>/feedback/<int:party_pk>/", agreement.feedback_record, name="feedback_record"),
    path("<str:reference>/wellbeing/<int:party_pk>/<str:stage>/", agreement.wellbeing_record, name="wellbeing_record"),
]
