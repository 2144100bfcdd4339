"""The letter pages: scoped to what the user may see (404 outside it), downloads logged, generate and preview,
regenerate, wording editing for managers, the print run."""

import io
from datetime import timedelta

import pytest
from django.template import Context, Template
from pypdf import PdfReader

from letters import selectors, services
from letters.models import Letter, LetterKind, LetterTemplate
from rjcases.models import Party, ReadAccess
from tests.govuk.dates import date_parts
from tests.letters.conftest import files_written, pdf_text, squash
from tests.walk import to_assessment


@pytest.fixture
def accepted_case(letters_case, manager, facilitator):
    with files_written():  # the letters' files, in tests marked letter_files
        return to_assessment(letters_case, manager, facilitator)


@pytest.fixture
def letter(accepted_case):
    return accepted_case.letters.get(kind=LetterKind.RJ_INFORMATION)


def as_user(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------------------------------------------
# Scope


@pytest.mark.parametrize("persona", ["other_facilitator", "police_referrer", "other_police_referrer"])
def test_people_outside_the_case_get_404_everywhere(client, request, accepted_case, letter, persona):
    as_user(client, request.getfixturevalue(persona))
    ref = accepted_case.reference
    for url in [
        f"/letters/case/{ref}/",
        f"/letters/case/{ref}/new/",
        f"/letters/case/{ref}/{letter.pk}/",
        f"/letters/case/{ref}/{letter.pk}/pdf/",
        f"/letters/case/{ref}/{letter.pk}/accessible/",
        # the old addresses by id do not redirect them either
        f"/letters/case/{accepted_case.pk}/",
        f"/letters/case/{accepted_case.pk}/new/",
        f"/letters/{letter.pk}/",
        f"/letters/{letter.pk}/pdf/",
        f"/letters/{letter.pk}/accessible/",
    ]:
        assert client.get(url).status_code == 404, url
    for url in [f"/letters/case/{ref}/{letter.pk}/regenerate/", f"/letters/case/{ref}/{letter.pk}/write-file/"]:
        assert client.post(url).status_code == 404, url
    assert not ReadAccess.objects.filter(what="document").exists()
    assert Letter.objects.filter(case=accepted_case).count() == 3


def test_the_police_referrer_even_of_this_case_sees_no_letters_panel(accepted_case, police_referrer):
    html = Template('{% include "letters/_case_letters.html" %}').render(
        Context({"case": accepted_case, "user": police_referrer})
    )
    assert "Letters" not in html


def test_signed_out_users_are_sent_to_sign_in(client, letter):
    response = client.get(f"/letters/case/{letter.case.reference}/{letter.pk}/pdf/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------------------------------------------
# Reading letters


@pytest.mark.letter_files
def test_the_facilitator_downloads_a_letter_and_the_read_is_logged(client, facilitator, letter):
    path = f"/letters/case/{letter.case.reference}/{letter.pk}/pdf/"
    response = as_user(client, facilitator).get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{letter.case.reference}-rj-information-v1.pdf"' in response["Content-Disposition"]
    assert {"no-store", "private"} <= {part.strip() for part in response["Cache-Control"].split(",")}
    assert response.streaming  # read through the app from the letter store, not held whole in memory
    data = response.getvalue()
    assert data.startswith(b"%PDF-")
    assert data == letter.file.open("rb").read()
    read = ReadAccess.objects.get(what="document")
    assert (read.user, read.case, read.object_id, read.path) == (facilitator, letter.case, str(letter.pk), path)


@pytest.mark.letter_files
def test_the_accessible_version_is_the_same_letter_as_semantic_html(client, facilitator, letter):
    response = as_user(client, facilitator).get(f"/letters/case/{letter.case.reference}/{letter.pk}/accessible/")
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        '<h1 class="govuk-heading-l" id="letter-subject" dir="auto">Restorative justice: information for you</h1>'
        in html
    )
    assert "1 Harmed Street" in html
    assert "Private and confidential" in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    pdf = squash(pdf_text(letter.file.open("rb").read()))
    for block in letter.content["blocks"]:
        for text in [block["text"], *block["items"]]:
            assert squash(text) in pdf  # the HTML is made from the same stored content as the PDF
    assert ReadAccess.objects.filter(what="document", object_id=str(letter.pk)).exists()


def test_the_case_letters_page_lists_every_version(
    client, facilitator, accepted_case, letter, django_assert_max_num_queries
):
    services.regenerate_letter(letter, facilitator)
    as_user(client, facilitator)
    with django_assert_max_num_queries(14):  # sign-in, session and layout take ten; the letters one query
        response = client.get(f"/letters/case/{accepted_case.reference}/")
    html = response.content.decode()
    assert "Restorative justice information, version 2" in html
    assert "Restorative justice information, version 1" in html
    assert "Replaced" in html


def test_the_case_page_panel_shows_the_latest_versions(
    accepted_case, facilitator, letter, django_assert_max_num_queries
):
    services.regenerate_letter(letter, facilitator)
    with django_assert_max_num_queries(4):
        html = Template('{% include "letters/_case_letters.html" %}').render(
            Context({"case": accepted_case, "user": facilitator})
        )
    assert html.count('<tr class="govuk-table__row">') == 4  # header and three letters
    assert "(version 2)" in html
    assert f"/letters/case/{accepted_case.reference}/new/" in html


@pytest.mark.letter_files
def test_a_missing_file_is_explained_not_served(client, facilitator, letter):
    import os

    os.remove(letter.file.path)
    response = as_user(client, facilitator).get(f"/letters/case/{letter.case.reference}/{letter.pk}/pdf/")
    assert response.status_code == 409
    assert "missing" in response.content.decode()


# ---------------------------------------------------------------------------------------------------
# Generating


def test_the_facilitator_previews_without_storing(client, facilitator, accepted_case):
    harmed = accepted_case.parties.get(role=Party.Role.HARMED)
    before = Letter.objects.count()
    response = as_user(client, facilitator).post(
        f"/letters/case/{accepted_case.reference}/new/",
        {"kind": LetterKind.INVITATION, "recipient": f"party-{harmed.pk}", "format": "", "action": "preview"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="letter-preview"' in html
    assert "An invitation to take part in restorative justice" in html
    assert Letter.objects.count() == before


def test_the_facilitator_generates_a_letter_on_demand(client, facilitator, accepted_case):
    supporter = accepted_case.parties.get(role=Party.Role.SUPPORTER)
    response = as_user(client, facilitator).post(
        f"/letters/case/{accepted_case.reference}/new/",
        {
            "kind": LetterKind.RJ_INFORMATION,
            "recipient": f"party-{supporter.pk}",
            "format": "large_print",
            "action": "generate",
        },
    )
    letter = Letter.objects.get(party=supporter)
    assert response.status_code == 302
    assert response["Location"] == f"/letters/case/{accepted_case.reference}/{letter.pk}/"
    assert (letter.format, letter.generated_by, letter.transition) == ("large_print", facilitator, None)


def test_a_letter_that_cannot_be_made_is_explained_and_nothing_is_stored(client, facilitator, accepted_case):
    harmed = accepted_case.parties.get(role=Party.Role.HARMED)
    before = Letter.objects.count()
    response = as_user(client, facilitator).post(
        f"/letters/case/{accepted_case.reference}/new/",
        {"kind": LetterKind.CLOSURE, "recipient": f"party-{harmed.pk}", "action": "generate"},
    )
    assert response.status_code == 200
    assert "The case is not closed, so a closure letter cannot be written yet." in response.content.decode()
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert Letter.objects.count() == before


def test_a_missing_choice_is_an_error(client, facilitator, accepted_case):
    url = f"/letters/case/{accepted_case.reference}/new/"
    response = as_user(client, facilitator).post(url, {"action": "generate"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose a kind of letter" in html
    assert "Choose who the letter is to" in html


def test_a_caseworker_may_read_but_not_create_letters(client, accepted_case, caseworker, letter):
    from rjcases import services as case_services

    harmed = accepted_case.parties.get(role=Party.Role.HARMED)
    case_services.update_party(harmed, accepted_case.facilitator, caseworker=caseworker)
    as_user(client, caseworker)
    ref = accepted_case.reference
    assert client.get(f"/letters/case/{ref}/{letter.pk}/").status_code == 200
    assert client.get(f"/letters/case/{ref}/new/").status_code == 403
    assert client.post(f"/letters/case/{ref}/{letter.pk}/regenerate/").status_code == 403
    assert client.post(f"/letters/case/{ref}/{letter.pk}/write-file/").status_code == 403


def test_regenerate_makes_version_two(client, facilitator, letter):
    ref = letter.case.reference
    response = as_user(client, facilitator).post(f"/letters/case/{ref}/{letter.pk}/regenerate/")
    new = Letter.objects.get(case=letter.case, kind=letter.kind, version=2)
    assert response.status_code == 302
    assert response["Location"] == f"/letters/case/{ref}/{new.pk}/"
    page = client.get(f"/letters/case/{ref}/{new.pk}/").content.decode()
    assert "All versions" in page
    assert f"/letters/case/{ref}/{letter.pk}/" in page


def test_get_cannot_regenerate(client, facilitator, letter):
    url = f"/letters/case/{letter.case.reference}/{letter.pk}/regenerate/"
    assert as_user(client, facilitator).get(url).status_code == 405


def test_a_letter_is_found_only_under_its_own_cases_reference(client, manager, letter, referred_case):
    assert as_user(client, manager).get(f"/letters/case/{referred_case.reference}/{letter.pk}/").status_code == 404


# ---------------------------------------------------------------------------------------------------
# Old addresses by database id


def test_old_id_addresses_redirect_permanently_to_the_reference(client, facilitator, accepted_case, letter):
    ref = accepted_case.reference
    as_user(client, facilitator)
    for old, new in [
        (f"/letters/case/{accepted_case.pk}/", f"/letters/case/{ref}/"),
        (f"/letters/case/{accepted_case.pk}/new/", f"/letters/case/{ref}/new/"),
        (f"/letters/{letter.pk}/", f"/letters/case/{ref}/{letter.pk}/"),
        (f"/letters/{letter.pk}/pdf/", f"/letters/case/{ref}/{letter.pk}/pdf/"),
        (f"/letters/{letter.pk}/accessible/", f"/letters/case/{ref}/{letter.pk}/accessible/"),
    ]:
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
    assert client.get(f"/letters/{letter.pk + 1000}/").status_code == 404


# ---------------------------------------------------------------------------------------------------
# Wording


@pytest.fixture
def closure_template(db):
    services.ensure_default_templates()
    return LetterTemplate.objects.get(kind=LetterKind.CLOSURE, format="standard", language="en")


def test_a_manager_edits_wording_and_sees_the_history(client, manager, closure_template):
    as_user(client, manager)
    response = client.post(
        f"/letters/wording/{closure_template.pk}/",
        {
            "subject": "Closed",
            "body": "Dear {{ recipient_name }},\n\n{{ outcome }}",
            "closing": "Yours,",
            "action": "save",
        },
    )
    assert response.status_code == 302
    own = LetterTemplate.objects.get(partnership=manager.partnerships.get(), kind=LetterKind.CLOSURE, language="en")
    assert own.version == 2
    closure_template.refresh_from_db()
    assert closure_template.version == 1  # the default, which other partnerships use, is unchanged
    history = client.get(f"/letters/wording/{own.pk}/history/").content.decode()
    assert "Version 2" in history
    assert "Version 1" in history
    assert "Mona Manager" in history


def test_an_unknown_placeholder_is_shown_as_an_error_and_not_saved(client, manager, closure_template):
    response = as_user(client, manager).post(
        f"/letters/wording/{closure_template.pk}/",
        {"subject": "Closed", "body": "Dear {{ recipent_name }},", "closing": "Yours,", "action": "save"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Unknown placeholder {{ recipent_name }}" in html
    assert "govuk-error-summary" in html
    closure_template.refresh_from_db()
    assert closure_template.version == 1


def test_a_manager_previews_unsaved_wording_with_the_demo_case(client, manager, closure_template):
    response = as_user(client, manager).post(
        f"/letters/wording/{closure_template.pk}/",
        {
            "subject": "Closed",
            "body": "Dear {{ recipient_name }},\n\nUnsaved words.",
            "closing": "Yours,",
            "action": "preview",
        },
    )
    html = response.content.decode()
    assert "Dear Alex Example," in html
    assert "Unsaved words." in html
    closure_template.refresh_from_db()
    assert closure_template.version == 1


def test_the_saved_wording_previews_as_a_pdf_with_the_demo_case(client, facilitator, closure_template):
    response = as_user(client, facilitator).get(f"/letters/wording/{closure_template.pk}/preview.pdf")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert "Alex Example" in pdf_text(response.content)


def test_facilitators_cannot_edit_wording(client, facilitator, closure_template):
    as_user(client, facilitator)
    assert client.get(f"/letters/wording/{closure_template.pk}/").status_code == 403
    assert (
        client.post(
            f"/letters/wording/{closure_template.pk}/", {"subject": "x", "body": "y", "closing": "z"}
        ).status_code
        == 403
    )
    assert client.get("/letters/wording/").status_code == 200  # they may read and preview it


def test_referrers_see_no_wording_pages(client, police_referrer, closure_template):
    assert as_user(client, police_referrer).get("/letters/wording/").status_code == 403


# ---------------------------------------------------------------------------------------------------
# The print run


@pytest.mark.letter_files
def test_the_print_run_is_one_pdf_with_each_letter_on_a_new_page(
    client, facilitator, accepted_case, django_assert_max_num_queries
):
    letters = selectors.print_run_letters(facilitator, accepted_case.letters.first().generated_at.date())
    assert len(letters) == 3
    as_user(client, facilitator)
    with django_assert_max_num_queries(14):
        page = client.get("/letters/print-run/")
    assert page.status_code == 200
    assert page.content.decode().count("/letters/") >= 3
    response = client.get("/letters/print-run/letters.pdf")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == sum(letter.pages for letter in letters)
    start = 0
    for letter in letters:
        first_page = reader.pages[start].extract_text()
        assert f"Page 1 of {letter.pages}" in first_page
        assert squash(letter.recipient_name) in squash(first_page)
        start += letter.pages
    assert ReadAccess.objects.filter(what="document").count() == 3


@pytest.mark.letter_files
def test_double_sided_print_runs_start_each_letter_on_a_new_sheet(client, facilitator, accepted_case):
    letters = selectors.print_run_letters(facilitator, accepted_case.letters.first().generated_at.date())
    response = as_user(client, facilitator).get("/letters/print-run/letters.pdf?double_sided=1")
    expected = sum(letter.pages + letter.pages % 2 for letter in letters)
    assert len(PdfReader(io.BytesIO(response.content)).pages) == expected


@pytest.mark.letter_files
def test_marking_the_print_run_sent(client, facilitator, accepted_case):
    ids = list(accepted_case.letters.values_list("pk", flat=True))
    response = as_user(client, facilitator).post("/letters/print-run/", {"letters": ids})
    assert response.status_code == 302
    assert set(Letter.objects.filter(pk__in=ids).values_list("status", flat=True)) == {Letter.Status.SENT}
    assert all(letter.sent_at and letter.sent_by == facilitator for letter in Letter.objects.filter(pk__in=ids))
    assert selectors.print_run_letters(facilitator, accepted_case.letters.first().generated_at.date()) == []
    marked, skipped = services.mark_sent(facilitator, Letter.objects.filter(pk__in=ids))
    assert (marked, skipped) == (0, 3)


def test_the_print_run_holds_only_the_users_own_cases(client, other_facilitator, accepted_case):
    day = accepted_case.letters.first().generated_at.date()
    assert selectors.print_run_letters(other_facilitator, day) == []
    ids = list(accepted_case.letters.values_list("pk", flat=True))
    as_user(client, other_facilitator).post("/letters/print-run/", {"letters": ids})
    assert not Letter.objects.filter(status=Letter.Status.SENT).exists()


def test_older_unsent_days_are_pointed_out(client, facilitator, accepted_case):
    day = accepted_case.letters.first().generated_at.date()
    html = as_user(client, facilitator).get("/letters/print-run/", date_parts("date", day + timedelta(days=3)))
    assert "Letters from 1 earlier day are still waiting" in html.content.decode()


def test_a_long_backlog_is_summarised_not_listed_day_by_day(client, facilitator, accepted_case, monkeypatch):
    """About 250 earlier days waiting: the page says how many and links the oldest and the five latest only."""
    from letters import views

    day = accepted_case.letters.first().generated_at.date()
    backlog = [day - timedelta(days=n) for n in range(250, 0, -1)]
    monkeypatch.setattr(views.selectors, "older_pending_days", lambda user, on: backlog)
    html = as_user(client, facilitator).get("/letters/print-run/", date_parts("date", day)).content.decode()
    assert "Letters from 250 earlier days are still waiting" in html
    assert f'href="?date={backlog[0].isoformat()}" data-testid="oldest-backlog-day"' in html
    links = html.split('data-testid="backlog-days"')[1].split("</div>")[0]
    assert links.count('href="?date=') == 5
    assert f"?date={backlog[-1].isoformat()}" in links
    assert f"?date={backlog[-6].isoformat()}" not in links


def test_the_print_run_day_is_typed_as_day_month_and_year(client, facilitator, accepted_case):
    day = accepted_case.letters.first().generated_at.date()
    html = as_user(client, facilitator).get("/letters/print-run/", date_parts("date", day)).content.decode()
    assert 'type="date"' not in html
    assert f'name="date-day" type="text" inputmode="numeric" value="{day.day}"' in html
    assert f"created on {day.day} {day:%B %Y}" in html
    wrong = client.get("/letters/print-run/", {"date-day": "30", "date-month": "2", "date-year": str(day.year)})
    assert wrong.status_code == 200
    assert "Letters created on must be a real date" in wrong.content.decode()


def test_the_print_run_is_not_for_referrers(client, police_referrer):
    assert as_user(client, police_referrer).get("/letters/print-run/").status_code == 403


# ---------------------------------------------------------------------------------------------------
# The timeline


@pytest.mark.letter_files
def test_letters_for_timeline_lists_generated_and_sent_letters(accepted_case, facilitator, letter):
    services.mark_sent(facilitator, [letter])
    items = selectors.letters_for_timeline(accepted_case, facilitator)
    assert len(items) == 4
    assert [at for at, _, _ in items] == sorted(at for at, _, _ in items)
    descriptions = [text for _, text, _ in items]
    assert "Restorative justice information letter to Amina Harmedperson generated by Mona Manager" in descriptions
    assert "Restorative justice information letter to Amina Harmedperson sent" in descriptions
    assert all(url.startswith(f"/letters/case/{accepted_case.reference}/") for _, _, url in items)
