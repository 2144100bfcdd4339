"""Anonymisation: a case's personal values replaced in the live tables, in every history table and in the audit
chain's personal fields, and its letter files deleted from the letter store; or, on an erasure request, one person's
record alone.

What is kept is what the statistics read, so that the insights' totals do not change: the case's reference, route,
ward, strands, crime type, dates received and reported, states and transitions (durations), outcome, risk levels,
feedback and wellbeing answers without their comments, the read access log (who read the case: staff identities
are not the subject's data). The incident keeps its day (the hotspot windows and the Victims' Code clocks count
days) but loses its time of day. Which field becomes what is the table ``CASE_FIELDS``, in one place.

Why ``QuerySet.update()`` on historied models (the one place in the app that does it): an anonymisation must
rewrite the past, and a history row of each save would keep, and add, copies of what it removes. Its own record
is ``privacy.Anonymisation``, append-only and in the audit chain, which is what ``verify_audit`` reads to accept
the blanked transition rows.

Nothing is anonymised without a basis recorded first: a retention review decided "anonymise" (by a manager or by
a rule of the schedule) for a case; an erasure request with the person's record confirmed as theirs for a person.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Case as DbCase
from django.db.models import F, Q, Value, When
from django.db.models.functions import StrIndex, Substr, TruncDay

from accounts import roles
from audit.chain import blank_personal
from conferences.models import Activity, Agreement, AgreementAction, Feedback, FollowUp, PreparationContact
from letters.models import Letter
from letters.storage import letter_storage
from privacy.models import Anonymisation, RetentionReview, SubjectRequest, SubjectRequestMatch
from recorded.models import RecordedIncident
from rjcases.exceptions import ActionRefused, Refused
from rjcases.models import Assessment, Case, CaseTransition, Complaint, Consent, ContactAttempt, Incident, Note, Party

logger = logging.getLogger(__name__)

ANONYMISED = "[anonymised]"  # for a text field that may not be empty
NAME = "Anonymised"
LETTER_CONTENT = {"anonymised": True}

# Model: {field: its value after anonymisation}. A value is a constant, or a callable giving an expression.
CASE_FIELDS: dict[type[models.Model], dict[str, object]] = {
    Case: {
        "referrer_name": "",
        "referrer_contact": "",
        "outcome_reason": "",
        "closure_summary": "",
        "enhanced_rights_reason": "",
    },
    Incident: {
        "place": "",
        "postcode": "",
        "summary": ANONYMISED,
        "nchi_threshold_reason": "",
        "occurred_from": lambda: TruncDay("occurred_from"),
        "occurred_to": None,
    },
    Party: {
        "first_name": NAME,
        "last_name": "",
        "search_name": "",  # the folded name the case search reads (not kept in the history)
        "date_of_birth": None,
        "address": "",
        "postcode": "",
        "phone": "",
        "email": "",
        "preferred_contact_method": "",
        "safe_contact_times": "",
        "safe_times": {},
        "other_adjustments": "",
        "stopped_taking_part_reason": "",
    },
    Consent: {"withdrawal_reason": ""},
    Assessment: {"risk_factors": "", "mitigations": "", "sign_off_note": ""},
    Note: {"body": ANONYMISED},
    ContactAttempt: {"outside_safe_times_reason": "", "notes": ""},
    Complaint: {"complainant_name": "", "about": ANONYMISED, "response": ""},
    PreparationContact: {"attendees": "", "notes": "", "outside_safe_times_reason": "", "adjustments_arranged": ""},
    Activity: {
        "venue": "",
        "method": "",
        "others_invited": "",
        "others_attended": "",
        "summary": "",
        "cancellation_reason": "",
    },
    Agreement: {"notes": ""},
    AgreementAction: {"who": "", "what": ANONYMISED, "how_checked": ANONYMISED, "evidence_note": ""},
    FollowUp: {"outside_safe_times_reason": "", "notes": ""},
    Feedback: {"comments": ""},
    Letter: {
        "recipient_name": NAME,
        "file": "",
        "file_error": "",
        "sha256": "",
        "file_status": Letter.FileStatus.REMOVED,
        "content": LETTER_CONTENT,
    },
    RecordedIncident: {"postcode": "", "place": ""},
}
# What a transition's data keeps (ids and choices: the quarterly return reads a closing move's outcome, the timeline
# who withdrew); everything else in it, and its reason, is blanked.
TRANSITION_DATA_KEPT = (
    "outcome",
    "previous_outcome",
    "withdrawn_by",
    "facilitator",
    "activity",
    "kind",
    "agreement",
    "actions",
)
# The models of one person's own record (an erasure): the fields above, for the rows that are theirs.
PERSON_MODELS: tuple[type[models.Model], ...] = (
    Party,
    Consent,
    Assessment,
    ContactAttempt,
    PreparationContact,
    FollowUp,
    Feedback,
    Letter,
)
# The case's free text in which a person's name and contact details are replaced when their record alone is erased.
SHARED_TEXT: dict[type[models.Model], tuple[str, ...]] = {
    Case: ("outcome_reason", "closure_summary"),
    Incident: ("summary",),
    Note: ("body",),
    ContactAttempt: ("notes",),
    PreparationContact: ("attendees", "notes"),
    Activity: ("others_invited", "others_attended", "summary"),
    Agreement: ("notes",),
    AgreementAction: ("who", "what", "evidence_note"),
    FollowUp: ("notes",),
    Complaint: ("complainant_name", "about", "response"),
}
NAME_REMOVED = "[name removed]"


@dataclass(frozen=True)
class Rows:
    """How to find a case's rows of a model, live and in its history (deleted rows' history included)."""

    live: Q
    history: Q


def _ids(model, history_model, **lookup) -> set[int]:
    return set(model._base_manager.filter(**lookup).values_list("pk", flat=True)) | set(
        history_model._base_manager.filter(**lookup).values_list("id", flat=True)
    )


def _rows_of_case(case_id: int) -> dict[type[models.Model], Rows]:
    party_ids = _ids(Party, Party.history.model, case_id=case_id)
    agreement_ids = _ids(Agreement, Agreement.history.model, case_id=case_id)
    by_case = Rows(Q(case_id=case_id), Q(case_id=case_id))
    found = {model: by_case for model in CASE_FIELDS}
    found[Case] = Rows(Q(pk=case_id), Q(id=case_id))
    found[Consent] = found[Assessment] = Rows(Q(party_id__in=party_ids), Q(party_id__in=party_ids))
    found[AgreementAction] = Rows(Q(agreement_id__in=agreement_ids), Q(agreement_id__in=agreement_ids))
    # A police record linked to the case is the police's (their values, their import): only the case's own is ours.
    own = ~Q(source=RecordedIncident.Source.POLICE)
    found[RecordedIncident] = Rows(Q(case_id=case_id) & own, Q(case_id=case_id) & own)
    return found


def _rows_of_person(party: Party) -> dict[type[models.Model], Rows]:
    mine = Rows(Q(party_id=party.pk), Q(party_id=party.pk))
    found: dict[type[models.Model], Rows] = {model: mine for model in PERSON_MODELS}
    found[Party] = Rows(Q(pk=party.pk), Q(id=party.pk))
    return found


def _values(fields: dict[str, object]) -> dict[str, object]:
    return {name: value() if callable(value) else value for name, value in fields.items()}


def _reason_without_text():
    """A history row's change reason without the free text after its first colon ("accept: the note" -> "accept"):
    the services write the move's name there, then its note or reason."""
    reason = F("history_change_reason")
    return DbCase(
        When(history_change_reason__contains=":", then=Substr(reason, 1, StrIndex(reason, Value(":")) - 1)),
        default=reason,
    )


def _history_model(model):
    history = getattr(model, "history", None)
    return history.model if history is not None else None


def _rewrite(rows: dict[type[models.Model], Rows]) -> tuple[dict[str, int], list[tuple[type, list[int]]]]:
    """Apply ``CASE_FIELDS`` to the rows found, live and history; (rows rewritten per table, live ids per model)."""
    counts: dict[str, int] = {}
    live_ids = []
    for model, where in rows.items():
        fields = CASE_FIELDS[model]
        ids = list(model._base_manager.filter(where.live).values_list("pk", flat=True))
        live_ids.append((model, ids))
        if ids:
            counts[model._meta.db_table] = model._base_manager.filter(pk__in=ids).update(**_values(fields))
        if history_model := _history_model(model):
            history_fields = {k: v for k, v in fields.items() if k in _field_names(history_model)}
            history_fields["history_change_reason"] = _reason_without_text
            if history_fields:
                changed = history_model._base_manager.filter(where.history).update(**_values(history_fields))
                if changed:
                    counts[history_model._meta.db_table] = changed
    return counts, live_ids


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def _scrub_admin_log(live_ids: Iterable[tuple[type, list[int]]]) -> int:
    """The admin's own log names an object by its ``str()`` (a person's name): the rows about these objects lose it."""
    changed = 0
    for model, ids in live_ids:
        if ids:
            content_type = ContentType.objects.get_for_model(model)
            changed += LogEntry.objects.filter(content_type=content_type, object_id__in=[str(pk) for pk in ids]).update(
                object_repr=ANONYMISED, change_message=""
            )
    return changed


def _letter_files(where: Q, history_where: Q) -> list[str]:
    names = set(Letter.objects.filter(where).exclude(file="").values_list("file", flat=True))
    names |= set(Letter.history.model.objects.filter(history_where).exclude(file="").values_list("file", flat=True))
    return sorted(names)


def delete_letter_files(names: list[str]) -> list[str]:
    """Delete letter files from the letter store (local folder or bucket); the names it could not delete. A file
    left behind by a failure is then pointed at by no letter, so ``sweep_letter_files --delete`` removes it."""
    left = []
    for name in names:
        try:
            letter_storage.delete(name)
        except Exception:  # a store that does not answer: logged without the name (it carries the case's date)
            logger.exception("A letter file could not be deleted after an anonymisation")
            left.append(name)
    return left


def _recorded_place_key(case_id: int) -> None:
    """The case's own recorded incident keeps a place key that still groups repeats (the hotspots' repeat places
    count) but no longer spells the place: a digest of it."""
    for record in RecordedIncident.objects.filter(case_id=case_id).exclude(source=RecordedIncident.Source.POLICE):
        if record.place_key and not record.place_key.startswith("anon:"):
            digest = hashlib.sha256(record.place_key.encode()).hexdigest()[:40]
            RecordedIncident.objects.filter(pk=record.pk).update(place_key=f"anon:{digest}")


def anonymise_case(review: RetentionReview, user=None) -> Anonymisation:
    """Anonymise the case of a retention review decided "anonymise" (by a manager, or by a rule of the schedule,
    then ``user`` is None). In one transaction: lock the case; rewrite every personal field of the case's rows,
    live and in history (``CASE_FIELDS``); the case's transition rows lose their reason and data (and their salt:
    ``audit.chain.blank_personal``); the admin log forgets the objects' names; the anonymisation is recorded (in
    the audit chain). After commit the letter files are deleted from the letter store. Done once per case."""
    if user is not None and not roles.is_manager(user):
        raise ActionRefused("Only a manager anonymises a case.")
    with transaction.atomic():
        review = RetentionReview.objects.select_for_update().select_related("rule").get(pk=review.pk)
        if review.decision != RetentionReview.Decision.ANONYMISE:
            raise Refused("This case has no decision to anonymise it: nothing was changed.")
        case = Case.objects.select_for_update().get(pk=review.case_id)
        if Anonymisation.objects.filter(case=case, scope=Anonymisation.Scope.CASE).exists():
            raise Refused(f"{case.reference} is already anonymised.")
        rows = _rows_of_case(case.pk)
        files = _letter_files(rows[Letter].live, rows[Letter].history)
        counts, live_ids = _rewrite(rows)
        _recorded_place_key(case.pk)
        counts["rjcases_casetransition"] = blank_personal(CaseTransition, case_id=case.pk, keep=TRANSITION_DATA_KEPT)
        counts["django_admin_log"] = _scrub_admin_log(live_ids)
        counts["letter files"] = len(files)
        record = Anonymisation(
            case=case,
            scope=Anonymisation.Scope.CASE,
            by=user or review.decided_by,
            review=review,
            rule=review.rule,
            rows={k: v for k, v in counts.items() if v},
        )
        record.save()
        transaction.on_commit(lambda: delete_letter_files(files))
    return record


def _needles(party: Party, history) -> list[str]:
    """A person's name and contact details as they were ever recorded (history included), longest first."""
    values: set[str] = set()
    for row in [party, *history]:
        for name in ("first_name", "last_name", "phone", "email", "postcode"):
            value = (getattr(row, name, "") or "").strip()
            if len(value) >= 3 and value != NAME:
                values.add(value)
        first, last = (row.first_name or "").strip(), (row.last_name or "").strip()
        if first and last:
            values.add(f"{first} {last}")
    return sorted(values, key=len, reverse=True)


def _replace_in_text(text: str, needles: list[str]) -> str:
    for needle in needles:
        text = re.sub(rf"(?<!\w){re.escape(needle)}(?!\w)", NAME_REMOVED, text, flags=re.IGNORECASE)
    return text


def _scrub_shared_text(case_id: int, needles: list[str], counts: dict[str, int]) -> None:
    """Replace a person's name and contact details in the case's free text (live and history), row by row."""
    if not needles:
        return
    case_rows = _rows_of_case(case_id)
    for model, fields in SHARED_TEXT.items():
        where = case_rows[model]
        for target, q in ((model, where.live), (_history_model(model), where.history)):
            if target is None:
                continue
            found = Q()
            for field in fields:
                for needle in needles:
                    found |= Q(**{f"{field}__icontains": needle})
            pk_name = "pk" if target is model else "history_id"
            for row in target._base_manager.filter(q).filter(found).values(pk_name, *fields):
                new = {f: _replace_in_text(row[f] or "", needles) for f in fields}
                target._base_manager.filter(**{pk_name: row[pk_name]}).update(**new)
                counts[target._meta.db_table] = counts.get(target._meta.db_table, 0) + 1


def anonymise_person(
    request: SubjectRequest, party: Party, user, *, reason_nothing_requires_keeping: str
) -> Anonymisation:
    """Erase one person's record on a case (an erasure request), when nothing requires keeping it (the manager
    says why, recorded). Their party record, consents, assessments, contacts, feedback comments and letters are
    anonymised as a case's are (``CASE_FIELDS``), live and in history, and their name and contact details are
    replaced in the case's free text; the case itself, the other people and the audit chain stay as they are."""
    if not roles.is_manager(user):
        raise ActionRefused("Only a manager erases a person's record.")
    if not (reason_nothing_requires_keeping or "").strip():
        raise ValidationError({"reason": "Say why nothing requires keeping this record"})
    with transaction.atomic():
        request = SubjectRequest.objects.select_for_update().get(pk=request.pk)
        if not roles.in_partnership(user, request.partnership_id):
            raise ActionRefused("Only a manager of the partnership the request was made to erases a record.")
        if request.kind != SubjectRequest.Kind.ERASURE or not request.is_open:
            raise Refused("Only an open erasure request erases a person's record.")
        if not SubjectRequestMatch.objects.filter(request=request, party=party, confirmed=True).exists():
            raise Refused("Confirm that this record is the person's before erasing it.")
        case = Case.objects.select_for_update().get(pk=party.case_id)
        if case.partnership_id != request.partnership_id:
            raise Refused("This record is on another partnership's case.")
        if (
            Anonymisation.objects.filter(case=case, party=party).exists()
            or Anonymisation.objects.filter(case=case, scope=Anonymisation.Scope.CASE).exists()
        ):
            raise Refused("This record is already anonymised.")
        needles = _needles(party, Party.history.filter(id=party.pk))
        rows = _rows_of_person(party)
        files = _letter_files(rows[Letter].live, rows[Letter].history)
        counts, live_ids = _rewrite(rows)
        _scrub_shared_text(case.pk, needles, counts)
        counts["django_admin_log"] = _scrub_admin_log(live_ids)
        counts["letter files"] = len(files)
        record = Anonymisation(
            case=case,
            party=party,
            scope=Anonymisation.Scope.PERSON,
            by=user,
            request=request,
            rows={k: v for k, v in counts.items() if v},
        )
        record.save()
        note = f"Record on {case.reference} erased: {reason_nothing_requires_keeping.strip()}"
        request.outcome = "\n".join(filter(None, [request.outcome, note]))[:5000]
        request._history_user = user  # type: ignore[attr-defined]
        request._change_reason = "a record erased"  # type: ignore[attr-defined]
        request.save(update_fields=["outcome"])
        transaction.on_commit(lambda: delete_letter_files(files))
    return record


def anonymise_decided() -> list[Anonymisation]:
    """Anonymise every case decided "anonymise" that is not yet (the daily job, after queueing the reviews), each
    in its own transaction."""
    done = []
    pending = (
        RetentionReview.objects.filter(decision=RetentionReview.Decision.ANONYMISE)
        .exclude(case__anonymisations__scope=Anonymisation.Scope.CASE)
        .order_by("decided_at", "id")
    )
    for review in pending:
        done.append(anonymise_case(review))
    return done


def is_anonymised(case: Case) -> bool:
    return Anonymisation.objects.filter(case=case, scope=Anonymisation.Scope.CASE).exists()
