"""``{% landmark %}`` puts what comes before ``<main>`` (a back link) inside a labelled landmark, so that no content
lies outside one (axe's ``region``), and renders nothing where there is nothing to hold: no empty landmark."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.test import RequestFactory


def test_a_back_link_lies_inside_a_back_nav_and_an_empty_block_leaves_no_landmark():
    held = Template('{% load govuk %}{% landmark "nav" label %}<a href="/x">Back to {{ what }}</a>{% endlandmark %}')
    html = held.render(Context({"label": "Back", "what": "<b>cases</b>"}))
    assert html == '<nav aria-label="Back"><a href="/x">Back to &lt;b&gt;cases&lt;/b&gt;</a></nav>'
    assert Template('{% load govuk %}{% landmark "nav" "Back" %} \n {% endlandmark %}').render(Context()) == ""


def test_the_base_templates_before_content_block_is_held_in_the_landmark(db):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    page = render_to_string("letters/template_history.html", {"template": {"pk": 1, "title": "T"}}, request=request)
    assert '<nav aria-label="Back"><a href="/letters/wording/1/" class="govuk-back-link">' in page
    plain = render_to_string("pages/accessibility.html", {}, request=request)
    assert 'aria-label="Back"' not in plain


def test_only_landmark_elements_are_accepted():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load govuk %}{% landmark "div" "Back" %}x{% endlandmark %}')
