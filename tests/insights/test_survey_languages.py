"""The centre survey in easy read and in Welsh: a question set per language and version, with the same question and
answer codes, so the answers given in every language are stored in the same columns and counted together; the page
offers the other languages and the BSL video explaining the survey."""

import re

import pytest
from django.urls import reverse

from insights import survey
from insights.models import CentreSurveyResponse
from letters.bsl import set_bsl_video
from letters.models import BslVideo
from tests.insights.test_survey import ANSWERS, make_link

pytestmark = pytest.mark.django_db


def test_every_language_asks_the_same_questions_with_the_same_answer_codes():
    english = survey.question_set(survey.ENGLISH)
    for language, _ in survey.LANGUAGES:
        found = survey.question_set(language)
        assert (found.language, found.version) == (language, survey.CURRENT_VERSION)
        assert [q.code for q in found.questions] == [q.code for q in english.questions]
        for question, reference in zip(found.questions, english.questions, strict=True):
            assert [code for code, _ in question.choices] == [code for code, _ in reference.choices]
    assert survey.question_set(survey.WELSH).questions[1].text == "A wnaeth y staff eich trin â pharch?"
    assert survey.question_set("xx").language == survey.ENGLISH


@pytest.mark.parametrize(
    ("language", "words", "lang"),
    [
        ("cy", "A wnaeth y staff eich trin â pharch?", 'lang="cy"'),
        ("easy_read", "Were the staff kind and polite to you?", 'lang="en-GB"'),
    ],
)
def test_a_person_answers_in_welsh_or_easy_read_and_it_is_recorded(client, centre, centre_staff, language, words, lang):
    url = make_link(client, centre_staff, centre) + f"?language={language}"
    html = client.get(url).content.decode()
    assert words in html
    assert lang in html
    assert client.post(url, ANSWERS).status_code == 302
    saved = CentreSurveyResponse.objects.get()
    assert (saved.questions_language, saved.questions_version, saved.satisfaction) == (
        language,
        survey.CURRENT_VERSION,
        "satisfied",
    )


def test_answers_in_every_language_are_counted_together(client, centre, centre_staff, manager):
    for language in ("en", "cy", "cy", "easy_read"):
        assert (
            client.post(make_link(client, centre_staff, centre) + f"?language={language}", ANSWERS).status_code == 302
        )
    client.force_login(manager)
    html = client.get(reverse("insights:centre", args=[centre.pk])).content.decode()
    assert "4 survey responses in the period." in html
    found = re.search(r'data-testid="survey-languages-answered">([^<]+)<', html).group(1)
    assert "English: 1; Easy read: 1; Cymraeg (Welsh): 2" in found


def test_the_survey_offers_its_bsl_video_and_the_other_languages(client, centre, centre_staff, manager):
    url = make_link(client, centre_staff, centre)
    assert 'data-testid="survey-bsl-video"' not in client.get(url).content.decode()
    set_bsl_video(manager, BslVideo.CENTRE_SURVEY, "https://videos.example.org/bsl/survey")
    html = client.get(url).content.decode()
    assert 'href="https://videos.example.org/bsl/survey"' in html
    assert 'href="?language=cy"' in html
    assert 'href="?language=easy_read"' in html
