"""A case in a list drawn by tags (rjcases_tags: case_link, state_tag, status_tags) rather than an include and a
{% url %} a row: the same link and tags, every text escaped; and the filter form's selects read in one fetch
(govuk.forms.ListedModelChoiceField) with the same options as Django's ModelChoiceField."""

import pytest
from django import forms
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govuk.forms import ListedModelChoiceField
from rjcases.models import Case, ReferralRoute, Ward


def draw(source: str, **context) -> str:
    return engines["django"].from_string("{% load rjcases_tags %}" + source).render(context)


def test_case_link_is_the_reversed_address_and_escapes_the_reference():
    case = Case(reference="RJ-2026-00042")
    assert draw("{% case_link case %}", case=case) == (
        f'<a class="govuk-link" href="{reverse("rjcases:detail", args=[case.reference])}">RJ-2026-00042</a>'
    )
    odd = Case(reference='RJ-<b>"x"&?')
    html = draw("{% for c in cases %}{% case_link c %}{% endfor %}", cases=[case, odd])
    assert "<b>" not in html
    href = reverse("rjcases:detail", args=[odd.reference])
    assert f'href="{href.replace("&", "&amp;")}">RJ-&lt;b&gt;&quot;x&quot;&amp;?</a>' in html
    assert f'href="{reverse("rjcases:detail", args=[case.reference])}"' in html  # the prefix reused, right


@pytest.mark.parametrize(
    ("state", "css"),
    [
        ("referral", ""),
        ("assessment", " govuk-tag--turquoise"),
        ("preparation", " govuk-tag--yellow"),
        ("conferencing", " govuk-tag--purple"),
        ("agreement", " govuk-tag--orange"),
        ("closed", " govuk-tag--grey"),
    ],
)
def test_state_tag_has_the_state_colour_and_label(state, css):
    case = Case(state=state)
    expected = f'<strong class="govuk-tag{css}">{case.get_state_display()}</strong>'
    assert draw("{% state_tag case %}", case=case) == expected
    assert draw('{% include "rjcases/includes/state_tag.html" %}', case=case).strip() == expected


def test_status_tags_add_overdue_or_due_soon_as_the_query_flagged():
    case = Case(state="preparation")
    state = '<strong class="govuk-tag govuk-tag--yellow">Preparation</strong>'
    assert draw("{% status_tags case %}", case=case) == state  # not annotated: no flag
    case.is_overdue, case.is_due_soon = True, True
    overdue = draw("{% status_tags case %}", case=case)
    assert overdue == f'{state} <strong class="govuk-tag govuk-tag--red rj-tag-overdue">Overdue</strong>'
    case.is_overdue = False
    assert draw("{% status_tags case %}", case=case) == (
        f'{state} <strong class="govuk-tag govuk-tag--yellow rj-tag-due-soon">Due within 1 working day</strong>'
    )
    case.is_due_soon = False
    assert draw("{% status_tags case %}", case=case) == state


@pytest.mark.parametrize("model", [ReferralRoute, Ward])
def test_listed_select_has_django_s_options_in_one_query(reference_data, model):
    odd = model.objects.order_by("pk").last()
    odd.name = "<b>Odd</b> & co"
    odd.save()

    class Django(forms.Form):
        choice = forms.ModelChoiceField(model.objects.all(), empty_label="Any", to_field_name="code")

    class Listed(forms.Form):
        choice = ListedModelChoiceField(model.objects.all(), empty_label="Any", to_field_name="code")

    expected = str(Django()["choice"])
    assert expected.count("<option") > 2  # the reference data is there
    with CaptureQueriesContext(connection) as queries:
        drawn = str(Listed()["choice"])
    assert drawn == expected
    assert "&lt;b&gt;Odd&lt;/b&gt; &amp; co</option>" in drawn
    assert len(queries) == 1
    first = model.objects.order_by(*model._meta.ordering).first()
    bound = Listed({"choice": first.code})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["choice"] == first
