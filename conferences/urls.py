"""The restorative work pages, mounted under /cases/ beside the case pages."""

from django.urls import path

from conferences import views

app_name = "conferences"

urlpatterns = [
    path("<str:reference>/restorative-work/", views.overview, name="overview"),
    path("<str:reference>/preparation/", views.preparation, name="preparation"),
    path("<str:reference>/preparation/add/", views.preparation_add, name="preparation_add"),
    path("<str:reference>/activity/", views.activity, name="activity"),
    path("<str:reference>/activity/plan/", views.activity_plan, name="activity_plan"),
    path("<str:reference>/activity/confirm/", views.activity_confirm, name="activity_confirm"),
    path("<str:reference>/activity/cancel/", views.activity_cancel, name="activity_cancel"),
    path("<str:reference>/activity/<int:pk>/reschedule/", views.activity_reschedule, name="activity_reschedule"),
    path("<str:reference>/activity/<int:pk>/took-place/", views.activity_took_place, name="activity_took_place"),
    path("<str:reference>/agreement/", views.agreement, name="agreement"),
    path("<str:reference>/agreement/signed/", views.agreement_edit, name="agreement_edit"),
    path("<str:reference>/agreement/actions/add/", views.action_add, name="action_add"),
    path("<str:reference>/agreement/actions/<int:pk>/remove/", views.action_remove, name="action_remove"),
    path("<str:reference>/agreement/confirm/", views.agreement_confirm, name="agreement_confirm"),
    path("<str:reference>/monitoring/", views.monitoring, name="monitoring"),
    path("<str:reference>/monitoring/follow-up/", views.follow_up_add, name="follow_up_add"),
    path("<str:reference>/monitoring/actions/<int:pk>/done/", views.action_done, name="action_done"),
    path("<str:reference>/monitoring/actions/<int:pk>/missed/", views.action_missed, name="action_missed"),
    path("<str:reference>/closure/", views.closure, name="closure"),
    path("<str:reference>/feedback/", views.feedback, name="feedback"),
    path("<str:reference>/feedback/<int:party_pk>/", views.feedback_record, name="feedback_record"),
    path("<str:reference>/wellbeing/<int:party_pk>/<str:stage>/", views.wellbeing_record, name="wellbeing_record"),
]
