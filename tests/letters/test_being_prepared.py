"""A letter whose file the worker has not written yet says "being prepared" on the case page and its own page, and
is never in a print run: not listed to print, not in the PDF, not marked sent. No PDF is rendered here: with
``RJ_LETTER_FILES`` off (unmarked tests) the move's letters stay pending, as they are until the worker runs."""

from letters.models import Letter, LetterKind
from tests.walk import refer, to_assessment


def pending_case(police_referrer, manager, facilitator):
    case = to_assessment(refer(police_referrer), manager, facilitator)
    assert set(case.letters.values_list("file_status", flat=True)) == {Letter.FileStatus.PENDING}
    return case


def test_the_case_page_and_the_letter_page_say_being_prepared(client, police_referrer, manager, facilitator):
    case = pending_case(police_referrer, manager, facilitator)
    letter = case.letters.get(kind=LetterKind.INVITATION)
    client.force_login(facilitator)
    case_page = client.get(f"/cases/{case.reference}/letters/").content.decode()  # the case page's letters
    assert case_page.count('data-testid="letter-file-pending">Being prepared<') == case.letters.count()
    page = client.get(f"/letters/case/{case.reference}/{letter.pk}/").content.decode()
    assert "This letter cannot be printed or sent yet. It is still being prepared." in page
    assert "Download the PDF" not in page
    download = client.get(f"/letters/case/{case.reference}/{letter.pk}/pdf/")
    assert download.status_code == 409
    assert "It is still being prepared." in download.content.decode()


def test_a_letter_being_prepared_is_never_in_a_print_run(client, police_referrer, manager, facilitator):
    case = pending_case(police_referrer, manager, facilitator)
    day = case.letters.first().generated_at.date().isoformat()
    client.force_login(facilitator)
    html = client.get(f"/letters/print-run/?date={day}").content.decode()
    assert "cannot be printed or marked as sent yet" in html
    for letter in case.letters.all():
        assert f'name="letter" value="{letter.pk}"' not in html
        assert f'name="letters" value="{letter.pk}"' not in html
    assert client.get(f"/letters/print-run/letters.pdf?date={day}").status_code == 302  # nothing to print
    client.post("/letters/print-run/", {"letters": list(case.letters.values_list("pk", flat=True)), "date": day})
    assert not case.letters.filter(status=Letter.Status.SENT).exists()
