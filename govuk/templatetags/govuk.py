"""Template helpers of the form kit: the links of the error summary, and dates with times that may be unknown."""

from __future__ import annotations

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def error_links(*forms) -> list[tuple[str, str]]:
    """(anchor, message) for every error of the forms given (a form, or a list of forms; empty ones are skipped),
    each linking to its field's first input; a form-wide error links to the form's first field."""
    flat = []
    for item in forms:
        flat.extend(item if isinstance(item, list | tuple) else [item])
    links = []
    for form in flat:
        if not form or not getattr(form, "errors", None):
            continue
        fields = form.visible_fields()
        first = _anchor(fields[0]) if fields else ""
        links.extend((first, str(message)) for message in form.non_field_errors())
        for field in form:
            links.extend((_anchor(field), str(message)) for message in field.errors)
    return links


def _anchor(field) -> str:
    return getattr(field, "anchor", None) or field.id_for_label or field.auto_id


@register.filter
def when(value, time_known=True) -> str:
    """A date and time the GOV.UK way, "1 December 2026, 14:30"; a moment whose time was not recorded is its day
    alone, "1 December 2026, time not recorded" (it is stored as that day's midnight, which is not when it was)."""
    if not value:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    day = formats.date_format(local, "j F Y")
    return f"{day}, {formats.time_format(local, 'H:i')}" if time_known else f"{day}, time not recorded"


@register.filter
def page_numbers(page) -> list:
    """The page numbers a GOV.UK pagination shows: the first, the last, two either side of the current page, and
    ``None`` where numbers are left out (an ellipsis). Built from Django's elided page range, so a list of 4,000
    pages costs a dozen numbers, not a loop over every page in the template."""
    ellipsis = page.paginator.ELLIPSIS
    numbers = page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return [None if number == ellipsis else number for number in numbers]


class _LandmarkNode(template.Node):
    def __init__(self, nodelist, element: str, label):
        self.nodelist, self.element, self.label = nodelist, element, label

    def render(self, context) -> str:
        inner = self.nodelist.render(context)
        if not inner.strip():
            return ""
        return format_html('<{0} aria-label="{1}">{2}</{0}>', self.element, self.label.resolve(context), inner)


@register.tag
def landmark(parser, token):
    """``{% landmark "nav" "Back" %}...{% endlandmark %}``: wraps what it holds in a labelled landmark (here
    ``<nav aria-label="Back">``) when it holds anything, and renders nothing when it is empty, so that content
    before ``<main>``, such as a back link, lies inside a landmark (axe's ``region``) without an empty landmark on
    pages that have none."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1].strip("\"'") not in ("nav", "aside", "section"):
        raise template.TemplateSyntaxError('Use {% landmark "nav" "Its label" %}...{% endlandmark %}')
    nodelist = parser.parse(("endlandmark",))
    parser.delete_first_token()
    return _LandmarkNode(nodelist, bits[1].strip("\"'"), parser.compile_filter(bits[2]))
