"""Letter wording: shipped for every kind, edited by managers as new versions with history, and checked when
saved (an unknown placeholder is refused with a message naming it; nothing changes)."""

import pytest
from django.core.exceptions import ValidationError

from letters import services
from letters.models import LetterKind, LetterTemplate
from letters.wording import default_wording, template_keys, template_problems
from rjcases.services import ActionRefused
from tests.letters.conftest import files_written, letter_text, squash
from tests.walk import to_assessment


@pytest.fixture
def template(db):
    services.ensure_default_templates()
    return LetterTemplate.objects.get(kind=LetterKind.CLOSURE, format="standard", language="en")


@pytest.mark.parametrize("key", template_keys())
def test_the_shipped_wording_passes_its_own_checks(key):
    wording = default_wording(*key)
    english = default_wording(*key[:3])
    assert (
        template_problems(
            key[0],
            subject=wording.subject,
            body=wording.body,
            closing=wording.closing,
            language=key[3],
            english=(english.subject, english.body, english.closing),
        )
        == {}
    )


def test_every_kind_has_standard_wording_and_participants_letters_have_easy_read(db):
    services.ensure_default_templates()
    found = set(LetterTemplate.objects.values_list("kind", "variant", "format"))
    assert ("referral_acknowledgement", "accept", "standard") in found
    assert ("referral_acknowledgement", "decline", "standard") in found
    for kind in LetterKind.values:
        if kind != LetterKind.REFERRAL_ACKNOWLEDGEMENT:
            assert {(kind, "", "standard"), (kind, "", "easy_read")} <= found


def test_an_unknown_placeholder_is_refused_naming_it_and_nothing_changes(template, manager):
    before = (template.body, template.version, template.history.count())
    with pytest.raises(ValidationError) as refused:
        services.update_template(
            template,
            manager,
            subject=template.subject,
            closing=template.closing,
            body="Dear {{ recipient_name }}, your {{ shoe_size }} is noted.",
        )
    message = " ".join(refused.value.messages)
    assert "Unknown placeholder {{ shoe_size }}" in message
    assert "{{ recipient_name }}" in message  # it lists the ones that may be used
    template.refresh_from_db()
    assert (template.body, template.version, template.history.count()) == before


def test_a_placeholder_of_another_kind_is_refused(template, manager):
    with pytest.raises(ValidationError) as refused:
        services.update_template(
            template, manager, subject="Closed", closing="Yours,", body="Your activity is on {{ activity_date }}."
        )
    assert "The placeholder {{ activity_date }} cannot be used in a closure letter." in refused.value.messages


def test_a_malformed_placeholder_is_refused(template, manager):
    with pytest.raises(ValidationError) as refused:
        services.update_template(
            template, manager, subject="Closed", closing="Yours,", body="Dear {{ recipient_name }, hello."
        )
    assert any("not written properly" in m for m in refused.value.messages)


def test_a_list_placeholder_must_stand_alone(manager):
    problems = template_problems(
        LetterKind.OUTCOME_AGREEMENT, subject="Agreement", closing="Yours,", body="You agreed: {{ actions }} and more."
    )
    assert problems == {"body": ["The list placeholder {{ actions }} must stand alone in its own paragraph."]}
    assert template_problems(LetterKind.OUTCOME_AGREEMENT, subject="{{ actions }}", closing="Yours,", body="Hello") == {
        "subject": ["The list placeholder {{ actions }} can only be used in the body."]
    }


def test_saving_wording_makes_a_new_version_with_history(template, manager):
    saved = services.update_template(
        template,
        manager,
        subject="Your case has closed",
        closing="With best wishes,",
        body="Dear {{ recipient_name }},\n\n{{ outcome }}",
    )
    assert saved.version == 2
    assert saved.updated_by == manager
    history = list(saved.history.order_by("history_date"))
    assert [h.version for h in history] == [1, 2]
    assert history[-1].history_user == manager
    assert history[0].body != history[-1].body


def test_saving_unchanged_wording_makes_no_new_version(template, manager):
    saved = services.update_template(
        template, manager, subject=template.subject, body=template.body, closing=template.closing
    )
    assert saved.version == 1


def test_only_managers_change_wording(template, facilitator):
    with pytest.raises(ActionRefused):
        services.update_template(template, facilitator, subject="x", body="y", closing="z")
    template.refresh_from_db()
    assert template.version == 1


@pytest.mark.letter_files
def test_letters_record_the_wording_version_they_were_made_from(referred_case, manager, facilitator):
    services.ensure_default_templates()
    rj_info = LetterTemplate.objects.get(kind=LetterKind.RJ_INFORMATION, format="standard", language="en")
    own = services.update_template(
        rj_info,
        manager,
        subject="Restorative justice (new wording)",
        closing="Yours,",
        body="Dear {{ recipient_name }},\n\nThis is the second version.",
    )
    with files_written():
        case = to_assessment(referred_case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    assert (letter.template_id, letter.template_version) == (own.pk, 2)  # Trafford's own copy of the default
    assert own.partnership == case.partnership != rj_info.partnership
    assert squash("This is the second version.") in squash(letter_text(letter))
