"""Referral intake: references, incident validation, duplicates flagged (never merged), scoping."""

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rjcases import services
from rjcases.models import Case, CaseTransition, Party
from tests.factories import incident_data
from tests.walk import refer


@pytest.mark.django_db
def test_references_count_up_within_the_year_and_reveal_nothing(police_referrer):
    first = refer(police_referrer)
    second = refer(police_referrer)
    year = timezone.localdate().year
    assert (first.reference, second.reference) == (f"RJ-{year}-00001", f"RJ-{year}-00002")


@pytest.mark.django_db
def test_a_police_referral_belongs_to_the_officers_organisation(police_referrer):
    case = refer(police_referrer)
    assert case.referring_organisation == police_referrer.organisation
    assert case.referred_by == police_referrer
    assert case.state == "referral"
    assert CaseTransition.objects.get(case=case).name == "refer"
    assert case.history.get().history_user == police_referrer


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("postcode", "NOT A POSTCODE", "Enter a real UK postcode"),
        ("crime_reference", "abc", "Enter the police crime reference"),
    ],
)
def test_invalid_incident_details_are_refused_and_nothing_is_saved(police_referrer, field, value, message):
    with pytest.raises(ValidationError) as error:
        refer(police_referrer, incident=incident_data(**{field: value}))
    assert message in str(error.value)
    assert Case.objects.count() == 0
    assert Party.objects.count() == 0


@pytest.mark.django_db
def test_an_incident_time_range_must_run_forwards(police_referrer):
    start = timezone.make_aware(datetime(2026, 10, 2, 12, 0))
    with pytest.raises(ValidationError, match="must be after its start"):
        refer(police_referrer, incident=incident_data(occurred_from=start, occurred_to=start.replace(hour=9)))
    assert Case.objects.count() == 0


@pytest.mark.django_db
def test_a_referral_needs_a_strand(police_referrer):
    with pytest.raises(ValidationError, match="at least one hate crime strand"):
        refer(police_referrer, strands=())


@pytest.mark.django_db
def test_postcodes_are_normalised(police_referrer):
    case = refer(police_referrer, incident=incident_data(postcode="m320th"))
    assert case.incident.postcode == "M32 0TH"


@pytest.mark.django_db
def test_same_crime_reference_is_flagged_as_a_possible_duplicate(police_referrer):
    first = refer(police_referrer, incident=incident_data(crime_reference="06/123456/26"))
    second = refer(
        police_referrer,
        incident=incident_data(crime_reference="06/123456/26"),
        parties=[services.PartyData(Party.Role.HARMED, "Someone", "Else")],
    )
    assert list(second.possible_duplicate_of.all()) == [first]
    assert Case.objects.count() == 2  # flagged, never merged


@pytest.mark.django_db
def test_same_names_and_incident_date_are_flagged(police_referrer, centre_staff):
    first = refer(police_referrer)
    second = refer(centre_staff, route_code="reporting-centre")
    assert list(second.possible_duplicate_of.all()) == [first]
    third = refer(police_referrer, parties=[services.PartyData(Party.Role.HARMED, "Someone", "Else")])
    assert list(third.possible_duplicate_of.all()) == []


@pytest.mark.django_db
def test_a_manager_marks_a_duplicate_reviewed_others_cannot(police_referrer, manager, facilitator):
    refer(police_referrer)
    second = refer(police_referrer)
    with pytest.raises(services.ActionRefused):
        services.mark_duplicate_reviewed(second, facilitator)
    services.mark_duplicate_reviewed(second, manager, note="Different incident")
    assert Case.objects.get(pk=second.pk).duplicate_reviewed


@pytest.mark.django_db
def test_an_anonymous_reporting_centre_report(centre_staff):
    case = refer(
        centre_staff,
        route_code="reporting-centre",
        reporting_centre=centre_staff.organisation,
        report_kind="anonymous",
        consents_to_police=False,
        parties=[services.PartyData(Party.Role.HARMED, "Anonymous")],
    )
    assert case.referring_organisation == centre_staff.organisation
    assert case.consents_to_police is False


@pytest.mark.django_db
def test_visibility_by_role(
    police_referrer, other_police_referrer, manager, facilitator, other_facilitator, caseworker, centre_staff
):
    mine = refer(police_referrer, parties=[services.PartyData(Party.Role.HARMED, "A", "B", {"caseworker": caseworker})])
    theirs = refer(other_police_referrer)
    services.allocate(theirs, manager, facilitator=facilitator)
    visible = lambda user: set(Case.objects.visible_to(user))  # noqa: E731
    assert visible(manager) == {mine, theirs}
    assert visible(police_referrer) == {mine}
    assert visible(other_police_referrer) == {theirs}
    assert visible(facilitator) == {mine, theirs}  # allocated + the unallocated queue
    assert visible(other_facilitator) == {mine}  # the unallocated queue only
    assert visible(caseworker) == {mine}
    assert visible(centre_staff) == set()


@pytest.mark.django_db
def test_contact_and_consent_writes_are_refused_outside_the_case_team(police_referrer, other_facilitator):
    case = refer(police_referrer)
    party = case.parties.first()
    with pytest.raises(services.ActionRefused):
        services.record_assessment(party, other_facilitator, assessed_on=timezone.localdate(), risk_level="low")
    with pytest.raises(services.ActionRefused):
        services.add_note(case, police_referrer, body="Trying to add a note")
