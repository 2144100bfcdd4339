"""The case pages, mounted at /cases/ in the ``rjcases`` namespace. Fixed paths come before ``<reference>/``."""

from django.urls import include, path

from rjcases.views import cases, notes, partnerships, people, referral, sections, supervision

app_name = "rjcases"

urlpatterns = [
    path("", cases.case_list, name="list"),
    path("refer/", cases.refer_choose_route, name="refer"),
    path("refer/sent/<str:reference>/", referral.refer_sent, name="refer_sent"),
    path("refer/<slug:route_code>/", referral.refer_start, name="refer_route"),
    path("refer/<slug:route_code>/check/", referral.refer_check, name="refer_check"),
    path("refer/<slug:route_code>/person/<slug:role>/<int:index>/", referral.refer_person, name="refer_person"),
    path(
        "refer/<slug:route_code>/person/<slug:role>/<int:index>/remove/",
        referral.refer_person_remove,
        name="refer_person_remove",
    ),
    path("refer/<slug:route_code>/<slug:step>/", referral.refer_step, name="refer_step"),
    path("access-log/", cases.access_log, name="access_log"),
    path("<str:reference>/", sections.case_detail, name="detail"),
    path("<str:reference>/people/", sections.case_people, name="people"),
    path("<str:reference>/work/", sections.case_work, name="work"),
    path("<str:reference>/letters/", sections.case_letters, name="letters"),
    path("<str:reference>/timeline/", cases.timeline, name="timeline"),
    path("<str:reference>/allocate/", cases.allocate, name="allocate"),
    path("<str:reference>/partnership/", partnerships.move_partnership, name="move_partnership"),
    path("<str:reference>/duplicates/reviewed/", cases.duplicate_reviewed, name="duplicate_reviewed"),
    path("<str:reference>/people/add/", people.party_add, name="party_add"),
    path("<str:reference>/people/<int:party_id>/", cases.party_detail, name="party_detail"),
    path("<str:reference>/people/<int:party_id>/edit/", people.party_edit, name="party_edit"),
    path("<str:reference>/people/<int:party_id>/assess/", people.assess, name="assess"),
    path("<str:reference>/people/<int:party_id>/consent/", people.consent_add, name="consent_add"),
    path(
        "<str:reference>/people/<int:party_id>/no-longer-taking-part/",
        people.no_longer_taking_part,
        name="no_longer_taking_part",
    ),
    path("<str:reference>/assessments/<int:assessment_id>/sign-off/", people.sign_off, name="sign_off"),
    path("<str:reference>/consents/<int:consent_id>/withdraw/", people.consent_withdraw, name="consent_withdraw"),
    path("<str:reference>/notes/add/", notes.note_add, name="note_add"),
    path("<str:reference>/notes/<int:note_id>/", notes.note_detail, name="note_detail"),
    path("<str:reference>/notes/<int:note_id>/sharing/", notes.note_share, name="note_share"),
    path("<str:reference>/contacts/add/", cases.contact_add, name="contact_add"),
    path("<str:reference>/supervision/", supervision.supervision, name="supervision"),
    path("<str:reference>/transition/<slug:name>/", cases.transition, name="transition"),
    path("<str:reference>/victims-code/", include("rjcases.victims_code.urls")),
]
