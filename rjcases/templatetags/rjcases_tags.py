"""Filters for the case pages: a person's safe times in words, their communication needs in sight, the link
that fixes a missing step, and a case's status tags and link in the lists (tags, not includes: a list draws them
once a row)."""

from urllib.parse import quote

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from accounts import roles
from rjcases import safe_times
from rjcases.models import Case
from rjcases.needs import needs_of
from rjcases.permissions import can_see_details, may_see_party_details, may_see_supervision

register = template.Library()


@register.filter
def safe_times_in_words(party) -> str:
    """In words, for example "Weekdays (Monday to Friday), 17:00 to 21:00"; "" when none are recorded."""
    return safe_times.of(party).in_words()


@register.filter
def safe_times_read_from_note(party) -> bool:
    """Whether the times were read from the free-text note by migration 0010 and not yet checked by a person."""
    return safe_times.of(party).read_from_note


@register.filter
def communication_needs(party) -> list:
    """The person's communication needs (``rjcases.needs.needs_of``), for ``rjcases/includes/needs_flag.html``."""
    return needs_of(party)


@register.inclusion_tag("rjcases/includes/case_needs.html")
def needs_in_sight(case, user, people=None) -> dict:
    """Everyone on the case (or among ``people``) with a communication need whose details this user may see, each
    with the one flag every page shows (``rjcases/includes/needs_flag.html``)."""
    if not can_see_details(case, user):
        return {"people": []}  # referrers see no one's details: not even a query
    parties = list(people) if people else list(case.parties.all())
    return {"people": [p for p in parties if needs_of(p) and may_see_party_details(case, user, p)]}


# Pages only a manager may open: a missing step that needs one is shown as words, not as a link, to anyone else.
MANAGERS_PAGES = {"rjcases:allocate", "rjcases:sign_off"}


@register.simple_tag(takes_context=True)
def problem_fix_url(context, problem, case) -> str:
    """The address of the page that fixes a missing step (``rjcases.guards.Problem.fix``), or "" when the step names
    none or the signed-in user may not open it."""
    fix = getattr(problem, "fix", None)
    if not fix:
        return ""
    name, args = fix
    user = context.get("user") or context["request"].user
    if name in MANAGERS_PAGES and not roles.is_manager(user):
        return ""
    try:
        return reverse(name, args=[case.reference, *args])
    except NoReverseMatch:
        return ""


@register.filter
def supervision_visible_to(case, user) -> bool:
    """Whether the case's supervision page is this user's to see (managers and the case's facilitators)."""
    return bool(user and user.is_authenticated) and may_see_supervision(case, user)


# The case page's sections, in the sub-navigation's order: (name of the current item, label, URL name, details only).
CASE_SECTIONS = (
    ("summary", "Summary", "rjcases:detail", False),
    ("people", "People", "rjcases:people", True),
    ("work", "Restorative work", "rjcases:work", True),
    ("letters", "Letters", "rjcases:letters", True),
    ("timeline", "Timeline", "rjcases:timeline", False),
)


@register.simple_tag(takes_context=True)
def case_sections(context, case, current: str = "") -> list[dict]:
    """The case's sub-navigation: its sections this user may open (a referrer, who sees no details, the summary and
    the timeline), then supervision where it is theirs to see; ``current`` is marked with ``aria-current``."""
    user = context.get("user") or context["request"].user
    detailed = context.get("detailed")
    if detailed is None:
        detailed = can_see_details(case, user)
    items = [
        {"label": label, "url": reverse(url_name, args=[case.reference]), "current": name == current}
        for name, label, url_name, details_only in CASE_SECTIONS
        if detailed or not details_only
    ]
    if supervision_visible_to(case, user):
        url = reverse("rjcases:supervision", args=[case.reference])
        items.append({"label": "Supervision", "url": url, "current": current == "supervision"})
    return items


# ---------------------------------------------------------------------------------------------------
# A case in a list: its link and status tags, drawn by Python once a row (an include or {% url %} a row costs more
# than the row's own cells). Every text is escaped by format_html.

STATE_TAG_CLASSES = {
    "assessment": " govuk-tag--turquoise",
    "preparation": " govuk-tag--yellow",
    "conferencing": " govuk-tag--purple",
    "agreement": " govuk-tag--orange",
    "closed": " govuk-tag--grey",
}
STATE_LABELS = dict(Case.State.choices)  # get_state_display() without its lookup of the field's choices, a row
OVERDUE_TAG = mark_safe('<strong class="govuk-tag govuk-tag--red rj-tag-overdue">Overdue</strong>')
DUE_SOON_TAG = mark_safe(
    '<strong class="govuk-tag govuk-tag--yellow rj-tag-due-soon">Due within 1 working day</strong>'
)


@register.simple_tag
def state_tag(case) -> str:
    """The case's state as a GOV.UK tag (rjcases/includes/state_tag.html)."""
    return format_html(
        '<strong class="govuk-tag{}">{}</strong>',
        STATE_TAG_CLASSES.get(case.state, ""),
        STATE_LABELS.get(case.state) or case.get_state_display(),
    )


@register.simple_tag
def status_tags(case) -> str:
    """The state tag, then "Overdue" or "Due within 1 working day" where the list's query flagged the case
    (``is_overdue``, ``is_due_soon`` of ``selectors.with_overdue``)."""
    if getattr(case, "is_overdue", False):
        return format_html("{} {}", state_tag(case), OVERDUE_TAG)
    if getattr(case, "is_due_soon", False):
        return format_html("{} {}", state_tag(case), DUE_SOON_TAG)
    return state_tag(case)


URL_SAFE = "!$&'()*+,;=/~:@"  # what reverse() leaves unquoted in a path (RFC 3986 sub-delims and pchar)


@register.simple_tag(takes_context=True)
def case_link(context, case) -> str:
    """The case's reference as a link to its page: the address as ``reverse("rjcases:detail")`` gives it, reversed
    once a render (its prefix and suffix around a placeholder reference) rather than once a row."""
    parts = context.render_context.get("rjcases_case_link")
    if parts is None:
        parts = context.render_context["rjcases_case_link"] = reverse("rjcases:detail", args=["~"]).split("~")
    if len(parts) == 2:
        href = parts[0] + quote(case.reference, safe=URL_SAFE) + parts[1]
    else:  # a "~" in the site's prefix: reverse each time
        href = reverse("rjcases:detail", args=[case.reference])
    return format_html('<a class="govuk-link" href="{}">{}</a>', href, case.reference)
