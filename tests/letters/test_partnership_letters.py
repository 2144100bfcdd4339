"""Issue 19: a case's letters carry its partnership's letterhead (the RJ service's name, address and contact details)
and its partnership's wording where it has its own, else the default wording; a manager edits only their own
partnership's wording (another partnership's is a 404), and editing the default makes their partnership's own copy.
"""

import pytest
from django.urls import reverse

from letters import services
from letters.models import LetterKind, LetterTemplate
from rjcases.services import ActionRefused
from tests.letters.conftest import files_written, letter_text, squash
from tests.walk import to_assessment

SALFORD_SERVICE = "Salford Restorative Justice Team"
SALFORD_ADDRESS = "Salford Civic Centre\nChorley Road\nSwinton\nM27 5AW"
SALFORD_PHONE = "0161 496 0999"
SALFORD_EMAIL = "rj@salford.example.org"
SALFORD_WORDING = "Salford's own wording: restorative justice in Salford."


@pytest.fixture
def salford_letterhead(salford):
    salford.service_name = SALFORD_SERVICE
    salford.address = SALFORD_ADDRESS
    salford.phone = SALFORD_PHONE
    salford.email = SALFORD_EMAIL
    salford.save()
    return salford


def _rj_information(language="en", partnership=None) -> LetterTemplate:
    services.ensure_default_templates()
    return LetterTemplate.objects.get(
        partnership=partnership, kind=LetterKind.RJ_INFORMATION, format="standard", language=language
    )


@pytest.fixture
def salford_wording(salford_letterhead, salford_manager):
    """Salford's own wording of the RJ information letter (a copy of the default, edited by its manager)."""
    return services.update_template(
        _rj_information(),
        salford_manager,
        subject="Restorative justice in Salford",
        closing="With best wishes,",
        body=f"Dear {{{{ recipient_name }}}},\n\n{SALFORD_WORDING}\n\nCall us on {{{{ service_phone }}}}.",
    )


@pytest.mark.letter_files
def test_a_salford_case_letter_carries_salfords_letterhead_and_wording(
    client, salford_wording, salford_case, salford_manager, salford_facilitator
):
    with files_written():
        case = to_assessment(salford_case, salford_manager, salford_facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    assert (letter.template_id, letter.template_version) == (salford_wording.pk, 2)
    text = squash(letter_text(letter))
    for expected in (SALFORD_SERVICE, *SALFORD_ADDRESS.splitlines(), SALFORD_PHONE, SALFORD_EMAIL, SALFORD_WORDING):
        assert squash(expected) in text, expected
    assert squash("Restorative justice in Salford") in text
    for trafford in ("Trafford Restorative Justice Service", "Example House", "0161 496 0000", "M32 0XX"):
        assert squash(trafford) not in text, trafford
    client.force_login(salford_facilitator)
    html = client.get(reverse("letters:accessible", args=[case.reference, letter.pk])).content.decode()
    for expected in (
        SALFORD_SERVICE,
        "Chorley Road",
        SALFORD_PHONE,
        SALFORD_EMAIL,
        SALFORD_WORDING.replace("'", "&#x27;"),
    ):
        assert expected in html, expected
    assert "Trafford Restorative Justice Service" not in html


@pytest.mark.letter_files
def test_a_trafford_case_letter_stays_trafford_s(salford_wording, referred_case, manager, facilitator):
    with files_written():
        case = to_assessment(referred_case, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.RJ_INFORMATION)
    default = _rj_information()
    assert (letter.template_id, letter.template_version) == (default.pk, 1)
    text = squash(letter_text(letter))
    assert squash("Trafford Restorative Justice Service") in text
    assert squash(default.subject) in text
    for salford in (SALFORD_SERVICE, SALFORD_WORDING, SALFORD_PHONE, "Chorley Road"):
        assert squash(salford) not in text, salford


def test_a_partnership_without_its_own_wording_uses_the_default(salford_wording, salford):
    closure = services.template_for(LetterKind.CLOSURE, "", "standard", "en", salford)
    assert closure.partnership_id is None
    assert services.template_for(LetterKind.RJ_INFORMATION, "", "standard", "en", salford) == salford_wording


def test_the_recipients_language_comes_before_the_partnerships_own_english(salford_wording, salford):
    welsh = services.template_for(LetterKind.RJ_INFORMATION, "", "standard", "cy", salford)
    assert (welsh.language, welsh.partnership_id) == ("cy", None)  # the default Welsh, not Salford's English


def test_editing_the_default_makes_the_partnerships_own_copy_with_history(salford_wording, salford_manager):
    default = _rj_information()
    assert (default.version, default.history.count()) == (1, 1)  # the default is untouched
    assert salford_wording.partnership == salford_manager.partnerships.get()
    history = list(salford_wording.history.order_by("history_date", "history_id"))
    assert [(h.version, h.history_change_reason) for h in history] == [
        (1, "copied from the default wording, version 1"),
        (2, "version 2"),
    ]
    assert history[-1].history_user == salford_manager
    again = services.update_template(default, salford_manager, **{**_same(salford_wording), "closing": "Yours,"})
    assert (again.pk, again.version) == (salford_wording.pk, 3)  # the default again: Salford's own, next version


def test_an_unknown_placeholder_in_a_partnerships_wording_is_refused_and_nothing_is_stored(
    salford_letterhead, salford_manager
):
    from django.core.exceptions import ValidationError

    default = _rj_information()
    with pytest.raises(ValidationError, match="Unknown placeholder"):
        services.update_template(default, salford_manager, **{**_same(default), "body": "Dear {{ nobody }}"})
    assert not LetterTemplate.objects.filter(partnership__isnull=False).exists()


def test_a_salford_manager_cannot_see_or_edit_traffords_wording(client, salford_manager, manager):
    trafford_own = services.update_template(
        _rj_information(), manager, **{**_same(_rj_information()), "closing": "Trafford's own closing,"}
    )
    client.force_login(salford_manager)
    for name in ("template_edit", "template_history", "template_preview", "template_add_language"):
        url = reverse(f"letters:{name}", args=[trafford_own.pk])
        assert client.get(url).status_code == 404, name
        posted = client.post(url, {**_same(trafford_own), "language": "pl", "action": "save"}).status_code
        assert posted in ({404, 405} if name in ("template_history", "template_preview") else {404}), name
    listing = client.get(reverse("letters:templates")).content.decode()
    assert "Trafford&#x27;s own closing" not in listing
    assert f"/wording/{trafford_own.pk}/" not in listing
    assert client.get(reverse("letters:templates") + "?partnership=trafford").status_code == 404
    with pytest.raises(ActionRefused):
        services.update_template(trafford_own, salford_manager, **{**_same(trafford_own), "closing": "Salford's,"})
    trafford_own.refresh_from_db()
    assert (trafford_own.version, trafford_own.closing) == (2, "Trafford's own closing,")


def test_the_wording_page_lists_the_partnerships_own_wording_in_place_of_the_default(
    client, salford_wording, salford_manager, manager
):
    client.force_login(salford_manager)
    listing = client.get(reverse("letters:templates")).content.decode()
    assert f"/wording/{salford_wording.pk}/" in listing
    assert f"/wording/{_rj_information().pk}/" not in listing
    client.force_login(manager)
    listing = client.get(reverse("letters:templates")).content.decode()
    assert f"/wording/{salford_wording.pk}/" not in listing
    assert f"/wording/{_rj_information().pk}/" in listing


def test_a_manager_adds_a_language_to_their_own_partnerships_wording_only(salford_letterhead, salford_manager):
    english = _rj_information()
    polish = services.add_template(
        salford_manager,
        kind=english.kind,
        variant=english.variant,
        fmt=english.format,
        language="pl",
        subject="Sprawiedliwość naprawcza",
        body=english.body,
        closing="Z poważaniem,",
    )
    assert polish.partnership == salford_manager.partnerships.get()
    trafford = services.template_for(LetterKind.RJ_INFORMATION, "", "standard", "pl", english.partnership_id)
    assert trafford.language == "en"  # Trafford has no Polish: its Polish speakers still get English


def _same(template):
    return {"subject": template.subject, "body": template.body, "closing": template.closing}
