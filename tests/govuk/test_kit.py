"""The form kit: one refusal helper, the date input, and labels that say "(optional)" once."""

from datetime import date

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from govuk.forms import DatePartsField, GovukForm
from govuk.refusals import refusals_to
from letters.content import LetterRefused
from rjcases.exceptions import ActionRefused, TransitionRefused


class NoteForm(GovukForm):
    note = forms.CharField(label="Note", required=False)
    on = DatePartsField(label="Date", required=False)


def a_request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


# ---------------------------------------------------------------------------------------------------
# Refusals


def test_a_validation_error_naming_a_field_goes_on_that_field():
    form = NoteForm({})
    form.is_valid()
    with refusals_to(form) as refusal:
        raise ValidationError({"note": "Too long", "elsewhere": "Not a field here"})
    assert refusal
    assert refusal.code == "invalid"
    assert form.errors["note"] == ["Too long"]
    assert form.non_field_errors() == ["Not a field here"]


def test_a_transition_refusal_goes_on_the_form_or_into_messages():
    form = NoteForm({})
    form.is_valid()
    with refusals_to(form) as refusal:
        raise TransitionRefused("guard", ["Add at least one action"])
    assert refusal.reasons == ["Add at least one action"]
    assert form.non_field_errors() == ["Add at least one action"]

    request = a_request()
    with refusals_to(request=request) as refusal:
        raise TransitionRefused("state", ["Not from this state"])
    assert refusal
    assert [str(m) for m in request._messages] == ["Not from this state"]


def test_with_a_form_and_a_request_named_fields_go_on_the_form_and_the_rest_into_messages():
    form = NoteForm({})
    form.is_valid()
    request = a_request()
    with refusals_to(form, request=request):
        raise TransitionRefused("input", ["Enter the note", "And something else"], fields={"note": "Enter the note"})
    assert form.errors["note"] == ["Enter the note"]
    assert [str(m) for m in request._messages] == ["And something else"]


def test_a_letter_refusal_goes_on_the_field_it_is_about():
    form = NoteForm({})
    form.is_valid()
    with refusals_to(form, field="note") as refusal:
        raise LetterRefused("The case is not closed")
    assert refusal
    assert form.errors["note"] == ["The case is not closed"]


@pytest.mark.parametrize("refusal", [ActionRefused("Not yours"), TransitionRefused("permission", ["Not yours"])])
def test_it_refuses_with_403_what_is_not_the_users_to_do(refusal):
    with pytest.raises(PermissionDenied):
        with refusals_to(NoteForm({})):
            raise refusal


def test_a_call_that_goes_through_is_no_refusal():
    with refusals_to(NoteForm({})) as refusal:
        pass
    assert not refusal


def test_other_errors_are_not_swallowed():
    with pytest.raises(KeyError):
        with refusals_to(NoteForm({})):
            raise KeyError("a bug")


# ---------------------------------------------------------------------------------------------------
# Dates and labels


@pytest.mark.parametrize(("parts", "expected"), [(("27", "3", "2026"), date(2026, 3, 27)), (("", "", ""), None)])
def test_the_date_input_reads_day_month_and_year(parts, expected):
    form = NoteForm(dict(zip(("on-day", "on-month", "on-year"), parts, strict=True)))
    assert form.is_valid()
    assert form.cleaned_data["on"] == expected


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("31", "2", "2026"), "Date must be a real date"),
        (("1", "", "2026"), "Date must include a month"),
        (("1", "2", "26"), "Enter date as numbers, with a 4-digit year"),
    ],
)
def test_the_date_input_says_what_is_wrong(parts, message):
    form = NoteForm(dict(zip(("on-day", "on-month", "on-year"), parts, strict=True)))
    assert not form.is_valid()
    assert form.errors["on"] == [message]


def test_an_optional_field_says_optional_once_and_the_date_is_three_boxes():
    html = render_to_string("govuk/field.html", {"field": NoteForm()["note"]})
    assert html.count("(optional)") == 1
    html = render_to_string("govuk/field.html", {"field": NoteForm({"on-day": "27", "on-month": "3"})["on"]})
    assert 'name="on-day"' in html
    assert 'name="on-month"' in html
    assert 'name="on-year"' in html
    assert 'type="date"' not in html
    assert 'value="27"' in html


def test_the_error_summary_links_each_error_to_its_first_box():
    form = NoteForm({"on-day": "31", "on-month": "2", "on-year": "2026"})
    form.is_valid()
    html = render_to_string("govuk/error_summary.html", {"form": form})
    assert '<a href="#id_on-day">Date must be a real date</a>' in html
