"""A subject access export: everything held about the person on the records a manager confirmed as theirs, across
cases, as one JSON document and one PDF made from it.

Other people are redacted: each appears as "another person" with their role only, never a name or a contact
detail, and a passage of free text that names another person (any of their names or contact details, as
recorded now or ever before) is withheld unless a manager approved that passage (``ApprovedPassage``). Staff
appear by name where they acted (who read the record, who recorded what): staff identities are not another
person's data in this sense. Every string that enters the PDF's paragraph markup is escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from io import BytesIO
from xml.sax.saxutils import escape

from django.db.models import Q
from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from conferences.models import Activity, AgreementAction, Feedback, PreparationContact, WellbeingMeasure
from letters.models import Letter
from letters.renderer import register_fonts
from privacy.models import SubjectRequest
from rjcases.access_log import ReadAccess
from rjcases.models import Case, CaseTransition, ContactAttempt, Note, Party

ANOTHER_PERSON = "another person"
WITHHELD = "Withheld: this passage names another person."


@dataclass
class Redactor:
    """Withholds passages that name anyone in ``needles`` (another person's names and contact details), except
    the passages approved for this request; remembers each passage it withheld, for the manager to review."""

    needles: list[str]
    approved: set[str]
    flagged: list[dict] = field(default_factory=list)

    def names_another(self, text: str) -> bool:
        return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, flags=re.IGNORECASE) for n in self.needles)

    def passage(self, source: str, text: str | None) -> dict | None:
        if not text:
            return None
        if source not in self.approved and self.names_another(text):
            self.flagged.append({"source": source, "text": text})
            return {"source": source, "text": None, "withheld": WITHHELD}
        return {"source": source, "text": text}


def _person_values(party: Party, history) -> set[str]:
    values: set[str] = set()
    for row in [party, *history]:
        first, last = (row.first_name or "").strip(), (row.last_name or "").strip()
        values.update(v for v in (first, last) if len(v) >= 2)
        if first and last:
            values.add(f"{first} {last}")
        for name in ("phone", "email", "postcode"):
            if value := (getattr(row, name, "") or "").strip():
                values.add(value)
        address = (row.address or "").strip()
        if address:
            values.add(address)
            values.update(part.strip() for part in re.split(r"[,\n]", address) if len(part.strip()) >= 6)
    return values


def _others_needles(cases: list[Case], mine: set[int]) -> list[str]:
    others = Party.objects.filter(case__in=cases).exclude(pk__in=mine)
    history = Party.history.filter(case_id__in=[c.pk for c in cases]).exclude(id__in=mine)
    by_party: dict[int, list] = {}
    for row in history:
        by_party.setdefault(row.id, []).append(row)
    values: set[str] = set()
    for party in others:
        values |= _person_values(party, by_party.get(party.pk, []))
    for case in cases:
        if case.referrer_name.strip():
            values.add(case.referrer_name.strip())
    return sorted(values, key=len, reverse=True)


def _staff(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _day(value) -> str:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _your_record(party: Party, redact: Redactor) -> dict:
    p = f"party:{party.pk}"
    return {
        "role": party.get_role_display(),
        "first_name": party.first_name,
        "last_name": party.last_name,
        "date_of_birth": _day(party.date_of_birth),
        "age_band": party.get_age_band_display() if party.age_band else "",
        "address": party.address,
        "postcode": party.postcode,
        "phone": party.phone,
        "email": party.email,
        "preferred_contact_method": party.get_preferred_contact_method_display()
        if party.preferred_contact_method
        else "",
        "safe_contact_times": redact.passage(f"{p}:safe_contact_times", party.safe_contact_times),
        "language": party.language,
        "interpreter_language": party.interpreter_language,
        "other_adjustments": redact.passage(f"{p}:other_adjustments", party.other_adjustments),
        "taking_part": party.participating,
        "stopped_taking_part_on": _day(party.stopped_taking_part_on),
        "stopped_taking_part_reason": redact.passage(
            f"{p}:stopped_taking_part_reason", party.stopped_taking_part_reason
        ),
        "caseworker": _staff(party.caseworker),
        "recorded_at": _day(party.created_at),
    }


def _earlier_versions(party: Party) -> list[dict]:
    seen, versions = set(), []
    for row in Party.history.filter(id=party.pk).order_by("history_date"):
        values = (
            row.first_name,
            row.last_name,
            _day(row.date_of_birth),
            row.address,
            row.postcode,
            row.phone,
            row.email,
        )
        if values not in seen:
            seen.add(values)
            keys = ("first_name", "last_name", "date_of_birth", "address", "postcode", "phone", "email")
            versions.append({"recorded_at": _day(row.history_date), **dict(zip(keys, values, strict=True))})
    return versions


def _letters(party: Party, redact: Redactor) -> list[dict]:
    found = []
    for letter in Letter.objects.filter(party=party).order_by("generated_at", "pk"):
        content = letter.content or {}
        passages = [redact.passage(f"letter:{letter.pk}:subject", content.get("subject", ""))]
        for i, block in enumerate(content.get("blocks", [])):
            passages.append(redact.passage(f"letter:{letter.pk}:block:{i}", block.get("text", "")))
            for j, item in enumerate(block.get("items", [])):
                passages.append(redact.passage(f"letter:{letter.pk}:block:{i}:{j}", item))
        found.append(
            {
                "kind": letter.get_kind_display(),
                "version": letter.version,
                "made_on": _day(letter.generated_at),
                "status": letter.get_status_display(),
                "sent_at": _day(letter.sent_at),
                "anonymised": bool(content.get("anonymised")),
                "text": [p for p in passages if p],
            }
        )
    return found


def _access_log(party: Party, letter_ids: list[str]) -> list[dict]:
    rows = (
        ReadAccess.objects.filter(case_id=party.case_id)
        .filter(
            Q(what__in=[ReadAccess.What.CASE, ReadAccess.What.TIMELINE])
            | Q(what=ReadAccess.What.PARTY, object_id=str(party.pk))
            | Q(what=ReadAccess.What.DOCUMENT, object_id__in=letter_ids)
        )
        .select_related("user")
        .order_by("at", "id")
    )
    return [{"who": _staff(r.user), "when": _day(r.at), "what": r.get_what_display()} for r in rows]


def _case_part(party: Party, redact: Redactor) -> dict:
    case = party.case
    incident = case.incident_or_none
    others = [{"role": o.get_role_display(), "name": ANOTHER_PERSON} for o in case.parties.exclude(pk=party.pk)]
    c = f"case:{case.pk}"

    def rows(model, **lookup):
        return model.objects.filter(**lookup).order_by("pk")

    letters = _letters(party, redact)
    letter_ids = [str(pk) for pk in Letter.objects.filter(party=party).values_list("pk", flat=True)]
    return {
        "case": {
            "reference": case.reference,
            "received_on": _day(case.received_on),
            "route": case.route.name,
            "state": case.get_state_display(),
            "outcome": case.get_outcome_display() if case.outcome else "",
            "closed_at": _day(case.closed_at),
            "closure_summary": redact.passage(f"{c}:closure_summary", case.closure_summary),
        },
        "incident": {
            "occurred": _day(incident.occurred_from.date()) if incident else "",
            "ward": incident.ward.name if incident else "",
            "crime_type": incident.crime_type.name if incident else "",
            "strands": [s.name for s in incident.strands.all()] if incident else [],
            "place": redact.passage(f"incident:{incident.pk}:place", incident.place) if incident else None,
            "summary": redact.passage(f"incident:{incident.pk}:summary", incident.summary) if incident else None,
        },
        "your_record": _your_record(party, redact),
        "earlier_versions_of_your_record": _earlier_versions(party),
        "other_people": others,
        "consents": [
            {
                "purpose": x.get_purpose_display(),
                "given_on": _day(x.given_on),
                "method": x.get_method_display(),
                "withdrawn_on": _day(x.withdrawn_on),
                "withdrawal_reason": redact.passage(f"consent:{x.pk}:withdrawal_reason", x.withdrawal_reason),
            }
            for x in party.consents.order_by("pk")
        ],
        "assessments": [
            {
                "assessed_on": _day(a.assessed_on),
                "risk_level": a.get_risk_level_display(),
                "risk_factors": redact.passage(f"assessment:{a.pk}:risk_factors", a.risk_factors),
                "mitigations": redact.passage(f"assessment:{a.pk}:mitigations", a.mitigations),
            }
            for a in party.assessments.order_by("pk")
        ],
        "contacts": [
            {
                "at": _day(x.at),
                "method": x.get_method_display(),
                "result": x.get_result_display(),
                "notes": redact.passage(f"contact:{x.pk}:notes", x.notes),
            }
            for x in rows(ContactAttempt, party=party)
        ],
        "preparation": [
            {
                "held_on": _day(x.held_on),
                "method": x.get_method_display(),
                "attendees": redact.passage(f"preparation:{x.pk}:attendees", x.attendees),
                "notes": redact.passage(f"preparation:{x.pk}:notes", x.notes),
            }
            for x in rows(PreparationContact, party=party)
        ],
        "activities": [
            {
                "kind": x.get_kind_display(),
                "status": x.get_status_display(),
                "took_place_on": _day(x.took_place_on),
                "summary": redact.passage(f"activity:{x.pk}:summary", x.summary),
            }
            for x in rows(Activity, case=case)
        ],
        "agreement_actions": [
            {
                "kind": x.get_kind_display(),
                "what": redact.passage(f"action:{x.pk}:what", x.what),
                "due_on": _day(x.due_on),
                "status": x.get_status_display(),
                "yours": x.responsible_party_id == party.pk,
            }
            for x in rows(AgreementAction, agreement__case=case)
        ],
        "feedback": [
            {
                "recorded_on": _day(x.recorded_on),
                "felt": x.get_felt_display() if x.felt else "",
                "answers": x.answers,
                "comments": redact.passage(f"feedback:{x.pk}:comments", x.comments),
            }
            for x in rows(Feedback, party=party)
        ],
        "wellbeing": [
            {"stage": x.get_stage_display(), "recorded_on": _day(x.recorded_on), "answers": x.answers}
            for x in rows(WellbeingMeasure, party=party)
        ],
        "notes": [
            {"written_on": _day(n.created_at), "text": redact.passage(f"note:{n.pk}:body", n.body)}
            for n in rows(Note, case=case)
        ],
        "moves": [
            {"move": t.name, "at": _day(t.at), "reason": redact.passage(f"transition:{t.pk}:reason", t.reason)}
            for t in CaseTransition.objects.filter(case=case).order_by("chain_seq")
        ],
        "letters": letters,
        "who_read_your_record": _access_log(party, letter_ids),
    }


def build_export(request: SubjectRequest, parties: list[Party], user) -> tuple[dict, list[dict]]:
    """The export of the confirmed ``parties``, and the passages it withheld (for the manager to review)."""
    cases = list({p.case_id: p.case for p in parties}.values())
    mine = {p.pk for p in parties}
    redact = Redactor(_others_needles(cases, mine), set(request.approved_passages.values_list("source", flat=True)))
    data = {
        "request": {
            "id": request.pk,
            "kind": request.get_kind_display(),
            "received_on": _day(request.received_on),
            "due_on": _day(request.due_on),
            "produced_at": _day(timezone.now()),
            "produced_by": _staff(user),
        },
        "about": "Everything this service holds about you on the records below. Other people are shown as "
        f'"{ANOTHER_PERSON}"; passages that name another person are withheld.',
        "records": [_case_part(party, redact) for party in parties],
    }
    return data, redact.flagged


# ---------------------------------------------------------------------------------------------------
# The PDF


def _lines(value, indent: int = 0) -> list[tuple[int, str, str]]:
    """(indent, label, text) lines of a JSON-like value, for the PDF."""
    out: list[tuple[int, str, str]] = []
    if _is_passage(value):
        return [(indent, "", _plain(value))]
    if isinstance(value, dict):
        for key, item in value.items():
            label = key.replace("_", " ").capitalize()
            if isinstance(item, dict | list) and item and not _is_passage(item):
                out.append((indent, label, ""))
                out.extend(_lines(item, indent + 1))
            else:
                out.append((indent, label, _plain(item)))
    elif isinstance(value, list):
        for item in value:
            out.extend(_lines(item, indent))
            out.append((indent, "", ""))
    else:
        out.append((indent, "", _plain(value)))
    return out


def _is_passage(value) -> bool:
    return isinstance(value, dict) and set(value) >= {"source", "text"}


def _plain(value) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if _is_passage(value):
        return value["text"] if value["text"] is not None else value.get("withheld", "")
    return str(value)


def render_export_pdf(data: dict, *, service_name: str) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName="LetterSans", fontSize=9.5, leading=12.5)
    heading = ParagraphStyle("heading", fontName="LetterSans-Bold", fontSize=12, leading=15, spaceBefore=8)
    title = ParagraphStyle("title", fontName="LetterSans-Bold", fontSize=16, leading=20, spaceAfter=6)
    buffer = BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title="Subject access export",
        author=service_name,
    )
    req = data["request"]
    story = [
        Paragraph(escape(f"{service_name}: subject access export"), title),
        Paragraph(escape(f"Request {req['id']}, received {req['received_on']}, due {req['due_on']}."), body),
        Paragraph(escape(f"Produced {req['produced_at']} by {req['produced_by']}."), body),
        Paragraph(escape(data["about"]), body),
    ]
    for record in data["records"]:
        story.append(Paragraph(escape(f"Case {record['case']['reference']}"), heading))
        for indent, label, text in _lines({k: v for k, v in record.items() if k != "case"} | {"case": record["case"]}):
            if not label and not text:
                story.append(Spacer(1, 1.5 * mm))
                continue
            words = f"<b>{escape(label)}</b>: {escape(text)}" if label and text else escape(label or text)
            story.append(Paragraph(words, ParagraphStyle(f"i{indent}", parent=body, leftIndent=indent * 5 * mm)))
    document.build(story)
    return buffer.getvalue()
