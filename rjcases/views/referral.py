"""The referral, as GOV.UK question pages: a few section pages (the report, the incident, the Victims' Code, each
person harmed and each person responsible, who is referring), a check-your-answers page, and a confirmation page
with a summary the referrer can print.

The draft lives in the session, as the raw answers each page posted (``ReferralDraft``); nothing is written to the
database until the referrer sends it from the check-your-answers page. Each page is validated by the same
``ReferralForm`` and ``PartyForm`` the whole referral is validated by (errors of the fields of other pages are
left for those pages), and the case is made by the one intake service, ``services.create_referral``, with every
person in the draft: the API sends the same lists to the same service.
"""

from __future__ import annotations

from datetime import date, time

from django import forms as django_forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.views.decorators.http import require_http_methods, require_POST

from govuk.forms import DatePartsField
from govuk.refusals import refusals_to
from rjcases import forms, selectors, services
from rjcases.models import Party, ReferralRoute
from rjcases.views.common import require

CENTRE = "reporting-centre"
HARMED, RESPONSIBLE = Party.Role.HARMED.value, Party.Role.RESPONSIBLE.value
ROLES = (HARMED, RESPONSIBLE)
# The section pages of the case's own answers, and their fields (a route's form may lack some: those are skipped).
FIELD_STEPS = {
    "report": ("report_kind", "consents_to_police", "survey_by_email"),
    "incident": (
        "occurred_on",
        "occurred_at",
        "occurred_to_on",
        "occurred_to_at",
        "ward",
        "place",
        "postcode",
        "crime_type",
        "crime_reference",
        "strands",
        "perceived_by",
        "summary",
    ),
    "victims-code": ("reported_on", "reported_by", "enhanced_rights", "enhanced_rights_reason"),
    "referrer": ("referring_organisation", "referrer_name", "referrer_contact"),
}
STEP_TITLES = {
    "report": "The report",
    "incident": "The incident",
    "victims-code": "Victims' Code",
    HARMED: "People harmed",
    RESPONSIBLE: "People responsible",
    "referrer": "Who is referring",
}
ROLE_NAMES = {HARMED: "person harmed", RESPONSIBLE: "person responsible"}
INLINE_FIELDS = {"consents_to_police", "survey_by_email", "enhanced_rights"}
DRAFT_KEY = "referral_draft"
SENT_KEY = "referrals_sent"
PERSON_PREFIX = "person"


def steps_for(route: ReferralRoute) -> list[str]:
    """The section pages of this route's referral, in order."""
    return [*(["report"] if route.code == CENTRE else []), "incident", "victims-code", HARMED, RESPONSIBLE, "referrer"]


class ReferralDraft:
    """The answers given so far to one route's referral, kept in the session: each section page's raw POST data
    (``steps``), and each person's (``people``, by role, without the page's form prefix)."""

    def __init__(self, request, route: ReferralRoute):
        self.request, self.route = request, route
        stored = request.session.get(DRAFT_KEY)
        if not stored or stored.get("route") != route.code or stored.get("user") != request.user.pk:
            stored = {
                "route": route.code,
                "user": request.user.pk,
                "steps": {},
                "people": {HARMED: [], RESPONSIBLE: []},
            }
        self.stored = stored

    @property
    def steps(self) -> dict[str, dict[str, list[str]]]:
        return self.stored["steps"]

    def people(self, role: str) -> list[dict[str, list[str]]]:
        return self.stored["people"][role]

    def save(self) -> None:
        self.request.session[DRAFT_KEY] = self.stored

    def clear(self) -> None:
        self.request.session.pop(DRAFT_KEY, None)

    def data(self, replace: dict[str, dict[str, list[str]]] | None = None) -> QueryDict:
        """Every section page's answers as one form's data; ``replace`` puts pages' new answers in."""
        data = QueryDict(mutable=True)
        for raw in {**self.steps, **(replace or {})}.values():
            for key, values in raw.items():
                data.setlist(key, values)
        return data

    @property
    def anonymous(self) -> bool:
        return self.route.code == CENTRE and self.steps.get("report", {}).get("report_kind") == ["anonymous"]


def _route(request, route_code: str) -> ReferralRoute:
    routes = {route.code: route for route in services.routes_for(request.user)}
    if not routes:
        raise PermissionDenied
    route = routes.get(route_code)
    if route is None:
        raise Http404("No such referral route for you.")
    return route


def _answers(post, names) -> dict[str, list[str]]:
    """The posted values of these fields (a date's day, month and year boxes included)."""
    return {key: post.getlist(key) for key in post if any(key == n or key.startswith(f"{n}-") for n in names)}


def _referral_form(request, route, data=None) -> forms.ReferralForm:
    return forms.ReferralForm(data, route=route, user=request.user)


def _step_fields(form, step: str) -> list[str]:
    return [name for name in FIELD_STEPS[step] if name in form.fields]


def _keep_errors(form, names) -> None:
    """Leave only the errors of these fields (the other pages' fields are not answered yet)."""
    for name in list(form.errors):
        if name not in names:
            del form.errors[name]


def _person_form(data=None, role: str = HARMED, *, anonymous: bool = False) -> forms.PartyForm:
    form = forms.PartyForm(data, prefix=PERSON_PREFIX, fixed_role=role, name_required=False)
    form.fields["first_name"].required = form.has_entries() and not (role == HARMED and anonymous)
    return form


def _prefixed(raw: dict[str, list[str]]) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, values in raw.items():
        data.setlist(f"{PERSON_PREFIX}-{key}", values)
    return data


def _step_url(route, step: str, *, index: int = 1, back_to_check: bool = False) -> str:
    if step in ROLES:
        url = reverse("rjcases:refer_person", args=[route.code, step, index])
    elif step == "check":
        url = reverse("rjcases:refer_check", args=[route.code])
    else:
        url = reverse("rjcases:refer_step", args=[route.code, step])
    return f"{url}?return=check" if back_to_check else url


def _next_url(request, route, step: str) -> str:
    if request.GET.get("return") == "check":
        return _step_url(route, "check")
    steps = steps_for(route)
    following = steps[steps.index(step) + 1] if steps.index(step) + 1 < len(steps) else "check"
    return _step_url(route, following)


def _back_url(request, route, draft: ReferralDraft, step: str, index: int = 1) -> str | None:
    if request.GET.get("return") == "check":
        return _step_url(route, "check")
    if step in ROLES and index > 1:
        return _step_url(route, step, index=index - 1)
    steps = steps_for(route)
    position = steps.index(step) if step in steps else len(steps)
    if position == 0:
        return reverse("rjcases:refer") if len(services.routes_for(request.user)) > 1 else None
    previous = steps[position - 1]
    return (
        _step_url(route, previous, index=max(1, len(draft.people(previous))))
        if previous in ROLES
        else (_step_url(route, previous))
    )


def _page(request, template: str, route, title: str, context: dict):
    return render(
        request,
        template,
        {"page_title": f"{title}: referral ({route.name})", "route": route, "title": title, **context},
    )


# ---------------------------------------------------------------------------------------------------
# The section pages


@login_required
def refer_start(request, route_code: str):
    route = _route(request, route_code)
    return redirect(_step_url(route, steps_for(route)[0]))


@login_required
@require_http_methods(["GET", "POST"])
def refer_step(request, route_code: str, step: str):
    route = _route(request, route_code)
    if step not in FIELD_STEPS or step not in steps_for(route):
        raise Http404("No such page of the referral.")
    draft = ReferralDraft(request, route)
    names = _step_fields(_referral_form(request, route), step)
    if request.method == "POST":
        answers = _answers(request.POST, names)
        form = _referral_form(request, route, draft.data({step: answers}))
        form.is_valid()
        _keep_errors(form, names)
        if not form.errors:
            draft.steps[step] = answers
            draft.save()
            return redirect(_next_url(request, route, step))
    else:
        form = _referral_form(request, route, draft.data() if step in draft.steps else None)
        if form.is_bound:
            form.is_valid()
            _keep_errors(form, names)
    context = {
        "form": form,
        "fields": [(form[name], name in INLINE_FIELDS) for name in names],
        "back_url": _back_url(request, route, draft, step),
        "step": step,
    }
    return _page(request, "rjcases/refer_step.html", route, STEP_TITLES[step], context)


@login_required
@require_http_methods(["GET", "POST"])
def refer_person(request, route_code: str, role: str, index: int):
    route = _route(request, route_code)
    if role not in ROLES:
        raise Http404("No such role in a referral.")
    draft = ReferralDraft(request, route)
    people = draft.people(role)
    if not 1 <= index <= len(people) + 1:
        raise Http404("No such person in this referral.")
    anonymous = draft.anonymous
    one_only = role == HARMED and anonymous
    if one_only and index > 1:
        raise Http404("An anonymous report has one person harmed.")
    if request.method == "POST":
        start = f"{PERSON_PREFIX}-"
        answers = {key[len(start) :]: request.POST.getlist(key) for key in request.POST if key.startswith(start)}
        form = _person_form(_prefixed(answers), role, anonymous=anonymous)
        valid = form.is_valid()
        entries = form.has_entries()
        others = sum(len(draft.people(r)) for r in ROLES) - (1 if index <= len(people) else 0)
        nobody = not entries and others == 0
        if valid and role == RESPONSIBLE and nobody and not anonymous and request.POST.get("next") != "another":
            form.add_error("first_name", "Enter the name of the person harmed or of the person responsible")
            valid = False
        if valid:
            if entries:
                people[index - 1 : index] = [answers]
            else:
                del people[index - 1 : index]
            draft.save()
            if request.POST.get("next") == "another" and entries and not one_only:
                return redirect(
                    _step_url(route, role, index=len(people) + 1, back_to_check=request.GET.get("return") == "check")
                )
            return redirect(_next_url(request, route, role))
    else:
        form = _person_form(_prefixed(people[index - 1]) if index <= len(people) else None, role, anonymous=anonymous)
        if form.is_bound:
            form.is_valid()
    context = {
        "pf": form,
        "form": form,
        "role": role,
        "role_name": ROLE_NAMES[role],
        "index": index,
        "count": len(people),
        "anonymous": anonymous,
        "one_only": one_only,
        "back_url": _back_url(request, route, draft, role, index),
    }
    title = f"{ROLE_NAMES[role].capitalize()} {index}" if not one_only else "The person harmed"
    return _page(request, "rjcases/refer_person.html", route, title, context)


@login_required
@require_POST
def refer_person_remove(request, route_code: str, role: str, index: int):
    route = _route(request, route_code)
    draft = ReferralDraft(request, route)
    if role not in ROLES or not 1 <= index <= len(draft.people(role)):
        raise Http404("No such person in this referral.")
    del draft.people(role)[index - 1]
    draft.save()
    return redirect(_step_url(route, "check"))


# ---------------------------------------------------------------------------------------------------
# Check your answers, and the confirmation


def _display(field: django_forms.Field, value) -> str:
    """An answer as the check-your-answers page shows it."""
    if value in (None, "", [], ()) or (value is False and not isinstance(field, django_forms.TypedChoiceField)):
        return ""
    if isinstance(field, django_forms.TypedChoiceField) and isinstance(value, bool):
        return "Yes" if value else "No"
    if value is True:
        return "Yes"
    if isinstance(field, django_forms.ModelMultipleChoiceField):
        return ", ".join(str(item) for item in value)
    if isinstance(field, DatePartsField) or isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(field, django_forms.ModelChoiceField):
        return str(value)
    if isinstance(field, django_forms.ChoiceField):
        labels = {str(key): label for key, label in field.choices}
        if isinstance(value, list | tuple):
            return ", ".join(str(labels.get(str(item), item)) for item in value)
        return str(labels.get(str(value), value))
    return str(value)


def _rows(form, names, change_url: str, *, skip_empty: bool = False) -> list[dict]:
    data = getattr(form, "cleaned_data", {})
    rows = []
    for name in names:
        if name == "enhanced_rights_reason" and not data.get("enhanced_rights"):
            continue
        value = _display(form.fields[name], data.get(name))
        if skip_empty and not value:
            continue
        label = str(form.fields[name].label).rstrip("?")
        rows.append({"label": label, "value": value or "Not given", "url": f"{change_url}#{form[name].anchor}"})
    return rows


def _people_cards(route, draft: ReferralDraft, anonymous: bool, problems: list) -> dict[str, list[dict]]:
    cards: dict[str, list[dict]] = {}
    for role in ROLES:
        cards[role] = []
        for number, raw in enumerate(draft.people(role), start=1):
            form = _person_form(_prefixed(raw), role, anonymous=anonymous)
            change_url = _step_url(route, role, index=number, back_to_check=True)
            if not form.is_valid():
                problems.extend(
                    (f"{ROLE_NAMES[role].capitalize()} {number}: {message}", change_url)
                    for messages in form.errors.values()
                    for message in messages
                )
            name = " ".join(filter(None, [raw.get("first_name", [""])[0], raw.get("last_name", [""])[0]])).strip()
            names = [n for n in form.fields if n not in ("first_name", "last_name")]
            cards[role].append(
                {
                    "title": name or ("Anonymous" if anonymous and role == HARMED else "Name not given"),
                    "rows": _rows(form, names, change_url, skip_empty=True),
                    "change_url": change_url,
                    "remove_url": reverse("rjcases:refer_person_remove", args=[route.code, role, number]),
                    "number": number,
                    "form": form,
                }
            )
    return cards


@login_required
@require_http_methods(["GET", "POST"])
def refer_check(request, route_code: str):
    route = _route(request, route_code)
    draft = ReferralDraft(request, route)
    form = _referral_form(request, route, draft.data())
    form.is_valid()
    anonymous = draft.anonymous
    problems: list[tuple[str, str]] = []
    sections = []
    for step in steps_for(route):
        if step in ROLES:
            continue
        names = _step_fields(form, step)
        url = _step_url(route, step, back_to_check=True)
        problems.extend(
            (f"{STEP_TITLES[step]}: {message}", url) for name in names for message in form.errors.get(name, [])
        )
        sections.append({"step": step, "title": STEP_TITLES[step], "rows": _rows(form, names, url), "url": url})
    cards = _people_cards(route, draft, anonymous, problems)
    if not (anonymous or cards[HARMED] or cards[RESPONSIBLE]):
        problems.append(
            ("Enter the name of the person harmed or of the person responsible", _step_url(route, HARMED, index=1))
        )
    if request.method == "POST" and not problems:
        parties = []
        for role in ROLES:
            for card in cards[role]:
                fields = card["form"].service_fields()
                parties.append(services.PartyData(role, fields.pop("first_name"), fields.pop("last_name"), fields))
        with refusals_to(form) as refusal:
            case = services.create_referral(
                request.user,
                route=route,
                incident=form.incident_data(),
                strands=form.cleaned_data["strands"],
                parties=parties,
                **form.case_fields(),
            )
        if not refusal:
            draft.clear()
            request.session[SENT_KEY] = [*request.session.get(SENT_KEY, [])[-9:], case.reference]
            return redirect("rjcases:refer_sent", reference=case.reference)
        for name, messages in form.errors.items():
            step = next((s for s in FIELD_STEPS if name in FIELD_STEPS[s] and s in steps_for(route)), None)
            url = _step_url(route, step, back_to_check=True) if step else _step_url(route, HARMED, back_to_check=True)
            problems.extend((str(message), url) for message in messages)
    people_sections = [
        {
            "role": role,
            "title": STEP_TITLES[role],
            "role_name": ROLE_NAMES[role],
            "cards": cards[role],
            "add_url": _step_url(route, role, index=len(cards[role]) + 1, back_to_check=True),
            "may_add": not (role == HARMED and anonymous and cards[role]),
        }
        for role in ROLES
    ]
    context = {
        "sections": sections,
        "people_sections": people_sections,
        "problems": problems,
        "back_url": _step_url(route, "referrer"),
    }
    return _page(request, "rjcases/refer_check.html", route, "Check your answers before sending the referral", context)


@login_required
def refer_sent(request, reference: str):
    """What the referrer sent, to print and keep: shown to them in the session they sent it from only, and with no
    person's contact details (their names and roles, the incident, the dates)."""
    if reference not in request.session.get(SENT_KEY, []):
        raise Http404("No referral of yours with this reference was sent in this session.")
    case = selectors.get_case_for_user(request.user, reference)
    require(case.referred_by_id == request.user.pk)
    people = [
        {"role": party.get_role_display(), "name": party.display_name}
        for party in sorted(case.parties.all(), key=lambda p: (p.role != HARMED, p.pk))
    ]
    context = {
        "page_title": f"Referral sent: {case.reference}",
        "service_name": case.partnership.service_name,
        "case": case,
        "incident": case.incident,
        "strands": ", ".join(str(strand) for strand in case.incident.strands.all()),
        "people": people,
    }
    return render(request, "rjcases/refer_sent.html", context)
