"""The centre satisfaction survey: staff enter answers; a person answers on a one-use link without signing in,
and the link can only submit, never read anyone's answers."""

import hashlib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from insights import services, survey
from insights.models import CentreSurveyResponse, SurveyLink

pytestmark = pytest.mark.django_db

ANSWERS = {
    "satisfaction": "satisfied",
    "treated_with_respect": "yes",
    "knew_what_next": "partly",
    "would_recommend": "yes",
    "comments": "Kind staff",
}


def make_link(client, user, centre) -> str:
    client.force_login(user)
    page = client.post(reverse("insights:survey_link_create", args=[centre.pk]))
    assert page.status_code == 200
    url = re.search(r'data-testid="survey-url">([^<]+)<', page.content.decode()).group(1)
    client.logout()
    return url.replace("http://testserver", "")


def test_a_person_answers_on_a_link_without_signing_in(client, centre, centre_staff):
    url = make_link(client, centre_staff, centre)
    token = url.rstrip("/").rsplit("/", 1)[1]
    link = SurveyLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()  # only a hash is kept
    assert token not in str(SurveyLink.history.values_list())

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for question in survey.questions():
        assert question.text in html
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]

    response = client.post(url, ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == reverse("insights:survey_thanks")
    saved = CentreSurveyResponse.objects.get()
    assert (saved.centre, saved.via, saved.recorded_by, saved.questions_version) == (
        centre,
        "link",
        None,
        survey.CURRENT_VERSION,
    )
    assert (saved.satisfaction, saved.knew_what_next, saved.comments) == ("satisfied", "partly", "Kind staff")
    link.refresh_from_db()
    assert link.used_at is not None


def test_a_link_is_used_once(client, centre, centre_staff):
    url = make_link(client, centre_staff, centre)
    client.post(url, ANSWERS)
    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    assert client.post(url, ANSWERS).status_code == 410
    assert CentreSurveyResponse.objects.count() == 1


def test_the_link_never_shows_anyones_answers(client, centre, centre_staff):
    CentreSurveyResponse.objects.create(
        centre=centre,
        via="staff",
        satisfaction="very_dissatisfied",
        treated_with_respect="no",
        knew_what_next="no",
        would_recommend="no",
        comments="PRIVATE-COMMENT-123",
    )
    url = make_link(client, centre_staff, centre)
    for html in (
        client.get(url).content.decode(),
        client.post(url, {**ANSWERS, "comments": "MY-OWN-ANSWER"}, follow=True).content.decode(),
    ):
        assert "PRIVATE-COMMENT-123" not in html
        assert "MY-OWN-ANSWER" not in html
        assert 'data-testid="survey-responses"' not in html
        assert "table" not in html
    # Without signing in nothing else in insights opens.
    for name, args in (("centre", [centre.pk]), ("centres", []), ("hotspots", []), ("survey_record", [centre.pk])):
        response = client.get(reverse(f"insights:{name}", args=args))
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


def test_missing_answers_are_refused_and_the_link_stays_usable(client, centre, centre_staff):
    url = make_link(client, centre_staff, centre)
    response = client.post(url, {"satisfaction": "satisfied"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Select an answer: did the staff treat you with respect" in html
    assert not CentreSurveyResponse.objects.exists()
    assert SurveyLink.objects.get().used_at is None
    assert client.post(url, {**ANSWERS, "satisfaction": "ecstatic"}).status_code == 200
    assert not CentreSurveyResponse.objects.exists()


def test_unknown_and_expired_links(client, centre, centre_staff):
    assert client.get(reverse("insights:survey", args=["not-a-real-token"])).status_code == 404
    url = make_link(client, centre_staff, centre)
    link = SurveyLink.objects.get()
    link.expires_at = timezone.now() - timedelta(minutes=1)
    link.save()
    response = client.get(url)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert client.post(url, ANSWERS).status_code == 410
    assert not CentreSurveyResponse.objects.exists()


def test_the_link_is_refused_in_the_service_too(centre, centre_staff):
    link, token = services.create_survey_link(centre, centre_staff)
    services.submit_survey_by_link(token, ANSWERS)
    with pytest.raises(services.SurveyLinkUnusable):
        services.submit_survey_by_link(token, ANSWERS)
    assert CentreSurveyResponse.objects.count() == 1


def test_staff_enter_answers_for_their_own_centre_only(
    client, centre, other_centre, centre_staff, manager, facilitator
):
    client.force_login(centre_staff)
    response = client.post(reverse("insights:survey_record", args=[centre.pk]), ANSWERS)
    assert response.status_code == 302
    saved = CentreSurveyResponse.objects.get()
    assert (saved.via, saved.recorded_by, saved.centre) == ("staff", centre_staff, centre)

    assert client.post(reverse("insights:survey_record", args=[other_centre.pk]), ANSWERS).status_code == 404
    assert client.post(reverse("insights:survey_link_create", args=[other_centre.pk])).status_code == 404
    client.force_login(facilitator)
    assert client.post(reverse("insights:survey_record", args=[centre.pk]), ANSWERS).status_code == 404
    client.force_login(manager)
    assert client.post(reverse("insights:survey_record", args=[other_centre.pk]), ANSWERS).status_code == 302
    assert CentreSurveyResponse.objects.count() == 2
    assert not SurveyLink.objects.exists()


def test_a_closed_centre_takes_no_new_links(client, centre, centre_staff):
    centre.is_active = False
    centre.save()
    client.force_login(centre_staff)
    response = client.post(reverse("insights:survey_link_create", args=[centre.pk]), follow=True)
    assert "This centre is closed" in response.content.decode()
    assert not SurveyLink.objects.exists()
