"""Reads for notifications: a case's messages on its timeline, and what each person's morning digest holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts import roles
from accounts.models import User
from conferences.models import AgreementAction
from notifications.content import case_link
from notifications.models import Message
from rjcases.models import Case, Party
from rjcases.permissions import may_see_party_details, sees_whole_case

ACTIONS_AHEAD_DAYS = 7
CLOCK_FIELDS = (
    "reference",
    "rj_information_due_on",
    "rj_information_given_on",
    "initial_contact_due_on",
    "initial_contact_on",
)


def _title(message: Message) -> str:
    who = message.get_audience_display()
    if message.status == Message.Status.SENT:
        return f"Email sent to {who}"
    if message.status == Message.Status.FAILED:
        return f"Email to {who} failed"
    return f"Email to {who} waiting to be sent"


def messages_for_timeline(case: Case, user) -> list[tuple[datetime, str]]:
    """The case timeline's message entries as (at, title): "Email sent to the referrer", "Email to the
    facilitator failed"; never an address or a name. Whoever sees the whole case sees every message; a
    caseworker only those to themselves and to their own client. One query."""
    whole = sees_whole_case(case, user)
    items = []
    for message in Message.objects.filter(case=case).select_related("party").order_by("queued_at", "id"):
        if not whole and message.user_id != user.pk:
            if message.party is None or not may_see_party_details(case, user, message.party):
                continue
        items.append((message.sent_at or message.last_attempt_at or message.queued_at, _title(message)))
    return items


# ---------------------------------------------------------------------------------------------------
# The morning digest


@dataclass(frozen=True)
class DigestItem:
    """One line of a digest: a case's reference, what is due, when, and a link. Nothing about its people."""

    reference: str
    what: str
    due_on: date
    overdue: bool
    link: str


def own_cases(user) -> QuerySet[Case]:
    """The open cases that are this person's to watch: a facilitator's allocated cases, a caseworker's
    clients' cases; always inside ``Case.objects.visible_to(user)``."""
    mine = Q(pk__in=[])
    if roles.is_facilitator(user):
        mine |= Q(facilitator=user) | Q(co_facilitator=user)
    if roles.is_caseworker(user):
        mine |= Q(Exists(Party.objects.filter(case=OuterRef("pk"), role=Party.Role.HARMED, caseworker=user)))
    return Case.objects.visible_to(user).filter(mine).exclude(state=Case.State.CLOSED)


def digest_items(user, day: date) -> list[DigestItem]:
    """Victims' Code deadlines due on ``day`` or overdue, and open agreement actions due within the next
    seven days (or overdue), of this person's own cases. Two queries (and one for their roles unless already read)."""
    items = []
    clocks = (
        own_cases(user)
        .filter(
            Q(rj_information_due_on__lte=day, rj_information_given_on__isnull=True)
            | Q(initial_contact_due_on__lte=day, initial_contact_on__isnull=True)
        )
        .only(*CLOCK_FIELDS)
    )
    for case in clocks:
        link = case_link(case.reference)
        if case.rj_information_due_on and case.rj_information_due_on <= day and not case.rj_information_given_on:
            due = case.rj_information_due_on
            items.append(
                DigestItem(case.reference, "Victims' Code: tell the person harmed about RJ", due, due < day, link)
            )
        if case.initial_contact_due_on and case.initial_contact_due_on <= day and not case.initial_contact_on:
            due = case.initial_contact_due_on
            items.append(DigestItem(case.reference, "Victims' Code: initial contact", due, due < day, link))
    actions = (
        AgreementAction.objects.filter(
            agreement__case__in=own_cases(user),
            agreement__superseded=False,
            status=AgreementAction.Status.OPEN,
            due_on__lte=day + timedelta(days=ACTIONS_AHEAD_DAYS),
        )
        .select_related("agreement__case")
        .only("kind", "due_on", "agreement__case__reference")
    )
    for action in actions:
        reference = action.agreement.case.reference
        what = f"Agreement action due: {action.get_kind_display().lower()}"
        items.append(DigestItem(reference, what, action.due_on, action.due_on < day, case_link(reference)))
    return sorted(items, key=lambda item: (item.due_on, item.reference, item.what))


def digest_recipients() -> QuerySet:
    """Everyone who gets a morning digest: active facilitators and caseworkers with an email address."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[roles.FACILITATOR, roles.CASEWORKER])
        .exclude(email="")
        .distinct()
        .prefetch_related("groups")
        .order_by("pk")
    )
