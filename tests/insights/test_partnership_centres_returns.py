"""Issue 19: the reporting-centre pages, the Victims' Code compliance return and the quarterly return's sections M
and N count one partnership's cases only (the scope of ``insights.access.partnership_scope``), and another
partnership's centre is a 404. A centre's partnership is its ward's."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from insights.access import partnership_scope
from insights.models import CentreSurveyResponse, ReportingCentre, TrainedStaffMember
from insights.selectors import load_reference, quarterly_return
from insights.selectors.common import quarter_of
from insights.selectors.compliance import compliance_return
from rjcases.models import Party
from rjcases.services import complaints
from tests.factories import OrganisationFactory
from tests.insights.conftest import make_case
from tests.walk import to_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def salford_centre(salford_ward):
    organisation = OrganisationFactory(name="Salford Library reporting point", kind=Organisation.Kind.REPORTING_CENTRE)
    return ReportingCentre.objects.create(
        organisation=organisation,
        name="Salford Library",
        ward=salford_ward,
        address="Salford Precinct",
        opening_times="Monday to Friday 9am to 5pm",
    )


@pytest.fixture
def salford_reports(salford_manager, salford_centre, salford_ward):
    """Two Salford cases taken at the Salford centre today, one a non-crime hate incident, with a complaint and a
    person needing BSL; one survey answer at the Salford centre."""
    cases = [
        make_case(
            salford_manager,
            ward=salford_ward.code,
            route="reporting-centre",
            reporting_centre=salford_centre.organisation,
            crime=crime,
        )
        for crime in ("public-order", "nchi")
    ]
    Party.objects.filter(case=cases[0], role=Party.Role.HARMED).update(bsl=True)
    complaints.record_complaint(
        cases[0], salford_manager, complainant="harmed", about="Slow", received_on=timezone.localdate()
    )
    CentreSurveyResponse.objects.create(
        centre=salford_centre,
        via="staff",
        satisfaction="satisfied",
        treated_with_respect="yes",
        knew_what_next="yes",
        would_recommend="yes",
        comments="Salford comment",
    )
    return cases


def _quarter():
    return quarter_of(timezone.localdate())


def test_the_centre_register_lists_and_counts_only_the_readers_partnership(
    client, manager, salford_manager, regional_lead, centre, salford_centre, salford_reports
):
    client.force_login(manager)
    page = client.get(reverse("insights:centres"))
    assert page.status_code == 200
    assert centre.name in page.text
    assert "Salford Library" not in page.text
    summaries = page.context["summaries"]
    assert [s.centre for s in summaries] == [centre]
    assert summaries[0].reports.reports == 0
    assert page.context["tables"]  # the CSV tables are built from the same summaries
    csv = client.get(reverse("insights:centres"), {"format": "csv", "table": next(iter(page.context["tables"]))})
    assert b"Salford" not in csv.content

    client.force_login(salford_manager)
    page = client.get(reverse("insights:centres"))
    (mine,) = page.context["summaries"]
    assert mine.centre == salford_centre
    assert (mine.reports.reports, mine.survey.responses) == (2, 1)
    assert centre.name not in page.text

    client.force_login(regional_lead)
    page = client.get(reverse("insights:centres"))
    assert {s.centre for s in page.context["summaries"]} == {centre, salford_centre}


def test_a_centre_of_another_partnership_is_a_404_on_every_centre_page(
    client, manager, facilitator, salford_centre, salford_reports
):
    member = TrainedStaffMember.objects.create(centre=salford_centre, name="Sam", last_trained_on=timezone.localdate())
    paths = [
        reverse("insights:centre", args=[salford_centre.pk]),
        reverse("insights:centre_edit", args=[salford_centre.pk]),
        reverse("insights:staff_create", args=[salford_centre.pk]),
        reverse("insights:staff_edit", args=[member.pk]),
        reverse("insights:survey_record", args=[salford_centre.pk]),
        reverse("insights:survey_link_create", args=[salford_centre.pk]),
    ]
    client.force_login(manager)
    for path in paths:
        assert client.get(path).status_code in ({405} if path == paths[-1] else {404}), path  # links: POST only
        assert client.post(path, {"name": "Taken"}).status_code == 404, path
    client.force_login(facilitator)
    assert client.get(paths[0]).status_code == 404
    salford_centre.refresh_from_db()
    member.refresh_from_db()
    assert (salford_centre.name, member.name) == ("Salford Library", "Sam")
    assert salford_centre.survey_links.count() == 0


def test_a_centres_page_counts_only_its_partnerships_cases(client, salford_manager, manager, centre, salford_ward):
    """A Salford case recorded against a Trafford centre is not counted on the Trafford centre's page."""
    make_case(salford_manager, ward=salford_ward.code, route="reporting-centre", reporting_centre=centre.organisation)
    make_case(manager, route="reporting-centre", reporting_centre=centre.organisation)
    client.force_login(manager)
    page = client.get(reverse("insights:centre", args=[centre.pk]))
    assert page.status_code == 200
    assert page.context["detail"].reports.reports == 1
    assert client.get(reverse("insights:centres")).context["summaries"][0].reports.reports == 1


def test_a_manager_can_put_a_centre_only_in_a_ward_of_their_partnership(client, manager, salford_ward):
    organisation = OrganisationFactory(name="Urmston Library", kind=Organisation.Kind.REPORTING_CENTRE)
    client.force_login(manager)
    data = {"name": "Urmston", "organisation": organisation.pk, "address": "x", "opening_times": "y"}
    for ward in ("", salford_ward.pk):
        page = client.post(reverse("insights:centre_create"), {**data, "ward": ward})
        assert page.status_code == 200
    assert not ReportingCentre.objects.exists()


def test_the_compliance_return_counts_only_the_readers_partnership(
    client, manager, salford_manager, salford_reports, django_assert_max_num_queries
):
    year, quarter = _quarter()

    def counted(user):
        _, lines = compliance_return(year, quarter, partnerships=partnership_scope(user))
        return {line.measure: line.due + line.pending + line.not_applicable for line in lines}

    assert not any(counted(manager).values())
    salford = counted(salford_manager)
    assert any(salford.values())
    assert sum(n for measure, n in salford.items() if "omplaint" in measure) == 2  # acknowledged, answered

    client.force_login(manager)
    page = client.get(reverse("insights:compliance_return"), {"quarter": f"{year}-Q{quarter}"})
    assert page.status_code == 200
    assert not any(line.due + line.pending + line.not_applicable for line in page.context["lines"])
    client.force_login(salford_manager)
    page = client.get(reverse("insights:compliance_return"), {"quarter": f"{year}-Q{quarter}"})
    assert any(line.due + line.pending + line.not_applicable for line in page.context["lines"])


def test_the_quarterly_returns_communication_and_non_crime_lines_count_only_the_readers_partnership(
    client, manager, salford_manager, regional_lead, salford_reports
):
    year, quarter = _quarter()

    def lines(user):
        scope = partnership_scope(user)
        _, found = quarterly_return(year, quarter, load_reference(scope))
        return {line.code: line.value for line in found}

    trafford, salford, everyone = lines(manager), lines(salford_manager), lines(regional_lead)
    for code in ("M1", "N1", "L1"):
        assert trafford[code] == 0, code
    assert (salford["M1"], salford["N1"], salford["L1"]) == (1, 1, 1)
    assert (everyone["M1"], everyone["N1"]) == (1, 1)

    client.force_login(manager)
    page = client.get(reverse("insights:quarterly_return"), {"quarter": f"{year}-Q{quarter}"})
    assert {line.code: line.value for line in page.context["lines"]}["M1"] == 0
    client.force_login(salford_manager)
    page = client.get(reverse("insights:quarterly_return"), {"quarter": f"{year}-Q{quarter}"})
    assert {line.code: line.value for line in page.context["lines"]}["M1"] == 1


def test_the_performance_pages_facilitator_filter_offers_only_the_managers_partnerships_staff(
    client, manager, facilitator, salford_facilitator
):
    client.force_login(manager)
    page = client.get(reverse("insights:performance"))
    offered = {str(value) for value, _ in page.context["form"].fields["facilitator"].choices}
    assert str(facilitator.pk) in offered
    assert str(salford_facilitator.pk) not in offered
    assert "Sef Facilitator" not in page.text
    chosen = client.get(reverse("insights:performance"), {"facilitator": str(salford_facilitator.pk)})
    assert chosen.context["invalid"]


def test_the_regional_lead_compares_the_partnerships_exactly(
    client, regional_lead, manager, facilitator, salford_manager, salford_ward, police_referrer, salford_reports
):
    """Two Salford referrals (the centre's) and three Trafford ones, one of them accepted: each counted in its own
    partnership; the page is the regional lead's alone."""
    trafford = [make_case(police_referrer) for _ in range(3)]
    to_assessment(trafford[0], manager, facilitator)
    client.force_login(regional_lead)
    page = client.get(reverse("insights:comparison"))
    assert page.status_code == 200
    by_code = {r.partnership.code: r for r in page.context["rows"]}
    assert (by_code["trafford"].referrals, by_code["trafford"].accepted) == (3, 1)
    assert (by_code["salford"].referrals, by_code["salford"].accepted) == (2, 0)
    assert by_code["salford"].population == salford_ward.population
    assert by_code["salford"].per_10000 == pytest.approx(10000 * 2 / salford_ward.population)
    csv = client.get(reverse("insights:comparison"), {"format": "csv", "table": "partnerships"})
    assert csv.status_code == 200
    assert b"Salford Partnership" in csv.content
    for user in (manager, salford_manager):
        client.force_login(user)
        assert client.get(reverse("insights:comparison")).status_code == 403
        assert "comparison-link" not in client.get(reverse("insights:index")).text


def test_the_quarterly_return_names_no_centre_of_another_partnership(client, manager, centre, salford_centre):
    year, quarter = _quarter()
    client.force_login(manager)
    page = client.get(reverse("insights:quarterly_return"), {"quarter": f"{year}-Q{quarter}"})
    measures = " ".join(line.measure for line in page.context["lines"])
    assert centre.organisation.name in measures
    assert salford_centre.organisation.name not in measures
    assert salford_centre.organisation.name not in page.text
