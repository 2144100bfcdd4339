"""One seeded borough for the page walk (tests/browser/test_reflow.py): a person of every role, a case in each
state of the workflow (with the letters its moves made, notes and a supervision), a reporting centre with trained
staff and survey answers, so that every persona has real pages to reach. Built through the real services
(tests/walk.py), never by writing state fields."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import roles
from accounts.models import Organisation
from conferences import services as work
from conferences.models import AgreementAction, FollowUp
from insights import services as insights
from insights import survey
from insights.models import ReportingCentre, TrainedStaffMember
from rjcases import services
from rjcases.models import Case, Party, Ward
from rjcases.services.supervision import record_supervision
from tests.factories import OrganisationFactory, UserFactory, partnership, reference
from tests.walk import refer, to_agreement, to_assessment, to_conferencing, to_preparation

# (username, role, organisation kind): the personas of tests/conftest.py, one of each role in accounts/roles.py.
PERSONAS = {
    "facilitator": (roles.FACILITATOR, Organisation.Kind.RJ_SERVICE),
    "police": (roles.POLICE_REFERRER, Organisation.Kind.POLICE),
    "caseworker": (roles.CASEWORKER, Organisation.Kind.VICTIM_SERVICE),
    "manager": (roles.MANAGER, Organisation.Kind.RJ_SERVICE),
    "centre": (roles.CENTRE_STAFF, Organisation.Kind.REPORTING_CENTRE),
    "regional": (roles.REGIONAL_LEAD, Organisation.Kind.OTHER),
    "admin": (roles.ADMINISTRATOR, Organisation.Kind.RJ_SERVICE),
}
ORGANISATIONS = {
    Organisation.Kind.RJ_SERVICE: "Test RJ Service",
    Organisation.Kind.POLICE: "Test Police Trafford",
    Organisation.Kind.VICTIM_SERVICE: "Test Victim Service",
    Organisation.Kind.REPORTING_CENTRE: "Test Reporting Centre",
    Organisation.Kind.OTHER: "Test PCC Office",
}


def seed() -> dict:
    """Seed the borough; returns the users by persona name and the cases by state."""
    call_command("loaddata", "reference", verbosity=0)
    home = partnership()
    users = {}
    for username, (role, kind) in PERSONAS.items():
        organisation = OrganisationFactory(name=ORGANISATIONS[kind], kind=kind)
        users[username] = UserFactory(
            username=username,
            first_name=username.title(),
            last_name="Persona",
            organisation=organisation,
            role=role,
            is_staff=role == roles.ADMINISTRATOR,
            partnerships=[] if role == roles.REGIONAL_LEAD else [home],
        )
    # A break-glass superuser (docs/security.md), no role and no persona: tests/browser/test_reflow.py opens the
    # admin pages only a superuser reaches (delete confirmations, the case data's read-only admin) as them.
    users["superuser"] = UserFactory(
        username="superuser",
        first_name="Break",
        last_name="Glass",
        organisation=users["admin"].organisation,
        is_staff=True,
        is_superuser=True,
        partnerships=[home],
    )
    # The administrator's pages (sign-in help) ask for a second factor, as the admin site does: they have an
    # authenticator.
    for username in ("admin", "superuser"):
        TOTPDevice.objects.create(user=users[username], name="Phone", confirmed=True)
    manager, facilitator, police, caseworker = (users[n] for n in ("manager", "facilitator", "police", "caseworker"))
    today = timezone.localdate()

    cases = {"referral": refer(police)}
    cases["assessment"] = to_assessment(refer(police), manager, facilitator)
    cases["preparation"] = to_preparation(refer(police), manager, facilitator)
    cases["conferencing"] = to_conferencing(refer(police), manager, facilitator)
    agreed = refer(police, strands=("religion",))
    services.update_party(agreed.parties.get(role=Party.Role.HARMED), manager, caseworker=caseworker)
    cases["agreement"] = to_agreement(agreed, manager, facilitator, actions=2)
    closed = to_agreement(refer(police), manager, facilitator, actions=1)
    services.update_party(closed.parties.get(role=Party.Role.HARMED), manager, caseworker=caseworker)
    for action in AgreementAction.objects.filter(agreement__case=closed):
        work.mark_action_done(
            action, facilitator, resolved_on=today, evidence_note="Apology received", told_method=FollowUp.Method.PHONE
        )
    cases["closed"] = services.case_complete(Case.objects.get(pk=closed.pk), facilitator, summary="All done.")
    cases["declined"] = services.case_decline(refer(police), manager, reason="Not a hate incident.")

    services.add_note(cases["assessment"], facilitator, body="Called Amina; she would like to meet in the library.")
    record_supervision(
        cases["preparation"],
        manager,
        held_on=today,
        discussion="Risk reviewed.",
        decisions="Go ahead with a conference.",
        next_review_on=today + timedelta(days=28),
    )

    centre_organisation = users["centre"].organisation
    centre = insights.save_centre(
        ReportingCentre(
            organisation=centre_organisation,
            name="Stretford Library reporting point",
            ward=reference(Ward, "TRF01"),
            address="Kingsway, Stretford",
            opening_times="Monday to Friday 9am to 5pm",
            bsl=True,
            step_free=True,
        ),
        manager,
    )
    for number, name in enumerate(("Sam Reader", "Jo Shelf")):
        insights.save_trained_staff(
            TrainedStaffMember(
                centre=centre,
                name=name,
                job_title="Library assistant",
                user=users["centre"] if number == 0 else None,
                last_trained_on=today - timedelta(days=30 + 400 * number),
            ),
            manager,
        )
    for index in range(3):
        answers = {question.code: question.choices[index % len(question.choices)][0] for question in survey.questions()}
        answers["comments"] = "Kind and quick." if index == 0 else ""
        insights.record_survey_response(centre, users["centre"], answers)
    cases["centre"] = refer(
        users["centre"], route_code="reporting-centre", reporting_centre=centre_organisation, consents_to_police=True
    )
    return {"users": users, "cases": cases, "centre": centre}
