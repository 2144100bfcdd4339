"""The case pages, mounted at /cases/ in the ``rjcases`` namespace. Fixed paths come before ``<reference>/``."""

from django.urls import include, path

from rjcases import views

app_name = "rjcases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("refer/", views.refer_choose_route, name="refer"),
    path("refer/<slug:route_code>/", views.refer, name="refer_route"),
    path("access-log/", views.access_log, name="access_log"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/timeline/", views.timeline, name="timeline"),
    path("<str:reference>/allocate/", views.allocate, name="allocate"),
    path("<str:reference>/duplicates/reviewed/", views.duplicate_reviewed, name="duplicate_reviewed"),
    path("<str:reference>/people/add/", views.party_add, name="party_add"),
    path("<str:reference>/people/<int:party_id>/", views.party_detail, name="party_detail"),
    path("<str:reference>/people/<int:party_id>/edit/", views.party_edit, name="party_edit"),
    path("<str:reference>/people/<int:party_id>/assess/", views.assess, name="assess"),
    path("<str:reference>/people/<int:party_id>/consent/", views.consent_add, name="consent_add"),
    path(
        "<str:reference>/people/<int:party_id>/no-longer-taking-part/",
        views.no_longer_taking_part,
        name="no_longer_taking_part",
    ),
    path("<str:reference>/assessments/<int:assessment_id>/sign-off/", views.sign_off, name="sign_off"),
    path("<str:reference>/consents/<int:consent_id>/withdraw/", views.consent_withdraw, name="consent_withdraw"),
    path("<str:reference>/notes/add/", views.note_add, name="note_add"),
    path("<str:reference>/notes/<int:note_id>/", views.note_detail, name="note_detail"),
    path("<str:reference>/contacts/add/", views.contact_add, name="contact_add"),
    path("<str:reference>/transition/<slug:name>/", views.transition, name="transition"),
    path("<str:reference>/victims-code/", include("rjcases.victims_code.urls")),
]
