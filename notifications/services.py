"""Writes for notifications: the messages each change calls for, and preferences.

Each ``notifications_for_*`` function is called by the service that makes the change, inside its transaction:
it writes the message rows (so a rolled-back change leaves none) and returns them; the caller registers
``notifications.tasks.enqueue_messages`` with ``transaction.on_commit`` and a task sends each one after the
commit. Nobody is told of their own act, and only people with an email address are written to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction

from accounts import roles
from notifications import content
from notifications.models import Message, Preference, SurveyInvitation
from notifications.tasks import enqueue_messages
from rjcases.models import Case, CaseTransition, Party


def _reachable(user, actor) -> bool:
    return bool(user and user.is_active and user.email and (actor is None or user.pk != actor.pk))


def _write(kind: str, audience: str, *, case: Case | None = None, user=None, party=None, **context) -> Message:
    extra = {k: context[k] for k in ("secret", "expires_at", "digest_day") if k in context}
    subject, text, html = content.render(kind, **context)
    return Message.objects.create(
        kind=kind,
        audience=audience,
        case=case,
        user=user,
        party=party,
        subject=subject,
        body_text=text,
        body_html=html,
        **extra,
    )


def wants_referral_updates(user) -> bool:
    preference = Preference.objects.filter(user=user).first()
    return preference is None or preference.referral_updates


def set_referral_updates(user, on: bool) -> Preference:
    """A user's own choice (their account page): whether they are emailed when their referrals change status."""
    preference = Preference.objects.filter(user=user).first()
    if preference is not None and preference.referral_updates == on:
        return preference
    preference = preference or Preference(user=user)
    preference.referral_updates = on
    # simple-history reads these two attributes when it writes the history row.
    preference._history_user = user  # type: ignore[attr-defined]
    preference._change_reason = "referral updates on" if on else "referral updates off"  # type: ignore[attr-defined]
    preference.save()
    return preference


def notifications_for_allocation(case: Case, actor, *, before: Iterable) -> list[Message]:
    """A facilitator (or co-facilitator) newly allocated to the case is told: reference and link.

    ``before`` is the user ids the case was allocated to before this allocation; they are not told again."""
    before = {pk for pk in before if pk}
    made = []
    for person, audience in (
        (case.facilitator, Message.Audience.FACILITATOR),
        (case.co_facilitator, Message.Audience.CO_FACILITATOR),
    ):
        if person is not None and person.pk not in before and _reachable(person, actor):
            made.append(
                _write(
                    Message.Kind.ALLOCATED,
                    audience,
                    case=case,
                    user=person,
                    reference=case.reference,
                    status=case.get_state_display(),
                    link=content.case_link(case.reference),
                    role="co-facilitator" if audience == Message.Audience.CO_FACILITATOR else "facilitator",
                )
            )
    return made


def notifications_for_transition(case: Case, actor, row: CaseTransition) -> list[Message]:
    """Who is told that the case changed status: the referring officer or centre (unless they turned it off) and
    each caseworker of a person harmed on the case. Each message: the reference, the new status and a link."""
    status = dict(Case.State.choices).get(row.target, row.target)
    context = {"reference": case.reference, "status": status, "link": content.case_link(case.reference)}
    told: set[int] = set()
    made = []
    referrer = case.referred_by
    if (
        referrer is not None
        and roles.is_referrer(referrer)
        and _reachable(referrer, actor)
        and wants_referral_updates(referrer)
    ):
        told.add(referrer.pk)
        made.append(
            _write(
                Message.Kind.STATUS_CHANGE,
                Message.Audience.REFERRER,
                case=case,
                user=referrer,
                whose="referral",
                **context,
            )
        )
    parties = Party.objects.filter(case=case, role=Party.Role.HARMED, caseworker__isnull=False).select_related(
        "caseworker"
    )
    for caseworker in {p.caseworker_id: p.caseworker for p in parties.order_by("id")}.values():
        if caseworker is None or caseworker.pk in told:
            continue
        if not roles.is_caseworker(caseworker) or not _reachable(caseworker, actor):
            continue
        told.add(caseworker.pk)
        made.append(
            _write(
                Message.Kind.STATUS_CHANGE,
                Message.Audience.CASEWORKER,
                case=case,
                user=caseworker,
                whose="client's case",
                **context,
            )
        )
    return made


def sign_in_link_message(user, kind: str, link: str, expires_at: datetime) -> Message | None:
    """A password-reset or enrolment link emailed to the user's own address (None when they have none); sent
    after the surrounding transaction commits. Its text is wiped once sent or expired."""
    if not (user.is_active and user.email):
        return None
    message = _write(
        kind,
        Message.Audience.USER,
        user=user,
        link=link,
        expires_at=expires_at,
        secret=True,
        username=user.get_username(),
    )
    transaction.on_commit(lambda: enqueue_messages([message.pk]), robust=True)
    return message


def digest_message(user, day: date, items: list) -> Message:
    """The morning digest's row for ``user`` and ``day`` (the caller handles "already written today")."""
    return _write(
        Message.Kind.DIGEST,
        Message.Audience.USER,
        user=user,
        digest_day=day,
        day=f"{day:%A} {day.day} {day:%B %Y}",
        items=items,
        link=content.site_link("/"),
    )


# ---------------------------------------------------------------------------------------------------
# The reporting-centre survey, by email, only with the consent of the person who reported


def record_survey_consent(case: Case, party: Party, user) -> SurveyInvitation:
    """At intake: the person who reported (``party``, with an email address) agreed to be emailed the centre's
    survey link. ``insights.services.email_survey_links`` (``manage.py send_survey_links``) sends it."""
    invitation = SurveyInvitation(case=case, party=party, recorded_by=user)
    invitation._history_user = user  # type: ignore[attr-defined]
    invitation._change_reason = "consent to the survey by email"  # type: ignore[attr-defined]
    invitation.save()
    return invitation


def survey_message(invitation: SurveyInvitation, link: str, expires_at: datetime, centre_name: str) -> Message:
    """The survey email to the person who reported (the centre's name and the one-use link only), attached to
    ``invitation`` so it is written once. Sent after the surrounding transaction commits; its text is wiped once
    sent, as the link is kept nowhere else."""
    message = _write(
        Message.Kind.SURVEY,
        Message.Audience.REPORTER,
        case=invitation.case,
        party=invitation.party,
        link=link,
        expires_at=expires_at,
        secret=True,
        centre=centre_name,
    )
    invitation.message = message
    invitation._history_user = invitation.recorded_by  # type: ignore[attr-defined]
    invitation._change_reason = "survey link emailed"  # type: ignore[attr-defined]
    invitation.save(update_fields=["message"])
    transaction.on_commit(lambda: enqueue_messages([message.pk]), robust=True)
    return message
