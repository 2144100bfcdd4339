"""Letter wording: the placeholders each kind of letter may use, the check made when wording is saved, and
filling a template with a recipient's facts. Pure functions: no database, no rendering.

Wording is plain text. Placeholders are written ``{{ name }}``. Paragraphs are separated by a blank line;
a line starting with ``- `` is a bullet point. A list placeholder (``{{ actions }}``, ``{{ participants }}``)
stands alone in its paragraph and becomes a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from django.conf import settings

from letters.languages import ENGLISH, LANGUAGES, language_name
from letters.models import LetterKind, Variant, WordingFormat

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

COMMON_PLACEHOLDERS: dict[str, str] = {
    "recipient_name": "The recipient's full name",
    "recipient_first_name": "The recipient's first name",
    "case_reference": "The service's case reference, like RJ-2026-00042",
    "letter_date": "The date of the letter",
    "incident_date": "The date of the incident",
    "service_name": "The service's name",
    "service_phone": "The service's phone number",
    "service_email": "The service's email address",
    "facilitator_name": "The case's facilitator (or 'the restorative justice team')",
}

KIND_PLACEHOLDERS: dict[str, dict[str, str]] = {
    LetterKind.REFERRAL_ACKNOWLEDGEMENT: {
        "received_on": "The date the referral was received",
        "crime_reference": "The police crime reference, if there is one",
        "referrer_organisation": "The referring organisation",
        "decision_reason": "Why the referral was declined (declined wording only)",
    },
    LetterKind.RJ_INFORMATION: {},
    LetterKind.INVITATION: {},
    LetterKind.ACTIVITY_CONFIRMATION: {
        "activity_type": "The type of activity, like 'face-to-face conference'",
        "activity_date": "The day and date of the activity",
        "activity_time": "The time the activity starts",
        "activity_place": "The venue or, for indirect activity, how it will be done",
        "interpreter": "A sentence about the interpreter booked, or nothing",
        "interpreter_language": "The language of the interpreter booked for the recipient, or nothing",
        "interpreter_provider": "The agency or interpreter booked for the recipient, or nothing",
        "participants": "List: who will be there",
    },
    LetterKind.OUTCOME_AGREEMENT: {
        "agreement_date": "The date the agreement was signed",
        "actions": "List: each action, who does it, by when and how it will be checked",
    },
    LetterKind.CLOSURE: {"outcome": "The outcome in plain words", "closed_on": "The date the case closed"},
    LetterKind.NOT_SUITABLE: {"closed_on": "The date the case closed"},
    LetterKind.WITHDRAWAL: {"closed_on": "The date the case closed"},
}

# Placeholders that become a list; they must stand alone in a paragraph.
LIST_PLACEHOLDERS = frozenset({"participants", "actions"})

# Which kinds have which variants; every other kind has only the unnamed one.
KIND_VARIANTS: dict[str, tuple[str, ...]] = {LetterKind.REFERRAL_ACKNOWLEDGEMENT: (Variant.ACCEPT, Variant.DECLINE)}
# Letters only ever addressed to the referrer have no easy read wording.
REFERRER_ONLY_KINDS = frozenset({LetterKind.REFERRAL_ACKNOWLEDGEMENT})
# The referrer may receive only these kinds; the others are written to participants.
REFERRER_KINDS = frozenset({LetterKind.REFERRAL_ACKNOWLEDGEMENT, LetterKind.CLOSURE})


def placeholders_for(kind: str) -> dict[str, str]:
    return {**COMMON_PLACEHOLDERS, **KIND_PLACEHOLDERS.get(kind, {})}


def all_placeholder_names() -> set[str]:
    names = set(COMMON_PLACEHOLDERS)
    for extra in KIND_PLACEHOLDERS.values():
        names |= set(extra)
    return names


def _kind_label(kind: str) -> str:
    try:
        return LetterKind(kind).label.lower()
    except ValueError:
        return kind


def _text_problems(kind: str, text: str, *, allow_lists: bool) -> list[str]:
    allowed = placeholders_for(kind)
    problems: list[str] = []
    for match in PLACEHOLDER_RE.finditer(text):
        name = match.group(1)
        if name not in all_placeholder_names():
            problems.append(
                f"Unknown placeholder {{{{ {name} }}}}. Use one of: "
                + ", ".join(f"{{{{ {n} }}}}" for n in allowed)
                + "."
            )
        elif name not in allowed:
            problems.append(f"The placeholder {{{{ {name} }}}} cannot be used in a {_kind_label(kind)} letter.")
        elif name in LIST_PLACEHOLDERS and not allow_lists:
            problems.append(f"The list placeholder {{{{ {name} }}}} can only be used in the body.")
    leftover = PLACEHOLDER_RE.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        near = leftover[max(0, leftover.find("{{" if "{{" in leftover else "}}") - 20) :][:40].strip()
        problems.append(
            f"A placeholder is not written properly near \u201c{near}\u201d. "
            "Write placeholders like {{ recipient_name }}."
        )
    return problems


def placeholders_in(*texts: str) -> set[str]:
    return {match.group(1) for text in texts for match in PLACEHOLDER_RE.finditer(text or "")}


def template_problems(
    kind: str,
    *,
    subject: str,
    body: str,
    closing: str,
    language: str = ENGLISH,
    english: tuple[str, str, str] | None = None,
) -> dict[str, list[str]]:
    """What is wrong with this wording, by field; empty when it may be saved.

    Wording in another language than English is also held to the English wording of the same letter
    (``english``: its subject, body and closing): every placeholder the English uses must be in it, and each
    problem names the language, so a manager editing the Welsh knows which wording to fix."""
    problems: dict[str, list[str]] = {}
    if kind not in LetterKind.values:
        return {"kind": [f"There is no kind of letter called {kind!r}."]}
    if language not in LANGUAGES:
        return {"language": [f"There is no language with the code {language!r}."]}
    for field, text, allow_lists in (("subject", subject, False), ("body", body, True), ("closing", closing, False)):
        found = _text_problems(kind, text or "", allow_lists=allow_lists)
        if field == "body" and not found:
            for paragraph in split_paragraphs(body):
                for match in PLACEHOLDER_RE.finditer(paragraph):
                    if match.group(1) in LIST_PLACEHOLDERS and paragraph.strip() != match.group(0):
                        found.append(f"The list placeholder {match.group(0)} must stand alone in its own paragraph.")
        if field == "body" and not (body or "").strip():
            found.append("Enter the wording of the letter.")
        if field == "subject" and not (subject or "").strip():
            found.append("Enter the subject line.")
        if found:
            problems[field] = found
    if language != ENGLISH and english is not None:
        missing = sorted(placeholders_in(*english) - placeholders_in(subject, body, closing))
        if missing:
            names = ", ".join(f"{{{{ {name} }}}}" for name in missing)
            problems.setdefault("body", []).append(
                f"The {language_name(language)} wording is missing {names}, which the English wording of this "
                f"letter uses. Add {'it' if len(missing) == 1 else 'them'} to the {language_name(language)} wording."
            )
    if language != ENGLISH:
        prefix = f"{language_name(language)} wording: "
        problems = {
            field: [m if m.startswith(f"The {language_name(language)} wording") else prefix + m for m in messages]
            for field, messages in problems.items()
        }
    return problems


def split_paragraphs(text: str) -> list[str]:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [p.strip("\n") for p in re.split(r"\n\s*\n", text) if p.strip()]


# ---------------------------------------------------------------------------------------------------
# Filling a template


@dataclass(frozen=True)
class Block:
    """One block of a letter's body: a paragraph, or a bulleted list."""

    kind: str  # "paragraph" or "list"
    text: str = ""
    items: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"kind": self.kind, "text": self.text, "items": list(self.items)}


def _substitute(text: str, facts: dict) -> str:
    def value(match: re.Match) -> str:
        found = facts.get(match.group(1), "")
        return ", ".join(found) if isinstance(found, list | tuple) else str(found)

    return PLACEHOLDER_RE.sub(value, text)


def fill_text(text: str, facts: dict) -> str:
    """A one-line field (subject, closing) with its placeholders filled."""
    return " ".join(_substitute(text, facts).split())


def fill_body(body: str, facts: dict) -> list[Block]:
    """The body as blocks. A paragraph left empty by its placeholders is dropped."""
    blocks: list[Block] = []
    for paragraph in split_paragraphs(body):
        alone = PLACEHOLDER_RE.fullmatch(paragraph.strip())
        if alone and alone.group(1) in LIST_PLACEHOLDERS:
            items = tuple(str(item) for item in facts.get(alone.group(1)) or ())
            if items:
                blocks.append(Block("list", items=items))
            continue
        # Consecutive bullet lines make a list; the other lines run together as a paragraph.
        lines = [line.strip() for line in paragraph.split("\n")]
        for is_bullet, group in groupby(lines, key=lambda line: line.startswith("- ")):
            group = list(group)
            if is_bullet:
                items = tuple(item for item in (fill_text(line[2:], facts) for line in group) if item)
                if items:
                    blocks.append(Block("list", items=items))
            else:
                text = fill_text(" ".join(group), facts)
                if text:
                    blocks.append(Block("paragraph", text=text))
    return blocks


# ---------------------------------------------------------------------------------------------------
# The default wording, shipped in templates/letters/wording/

WORDING_DIR = Path(settings.BASE_DIR) / "templates" / "letters" / "wording"


@dataclass(frozen=True)
class DefaultWording:
    kind: str
    variant: str
    format: str
    subject: str
    closing: str
    body: str
    language: str = ENGLISH


def wording_file(kind: str, variant: str, fmt: str, language: str = ENGLISH) -> Path:
    """English wording is ``<kind>[.<variant>].<format>.txt``; another language's is the same name in a folder
    named by its code (``cy/``, ``ar/``)."""
    name = kind + (f".{variant}" if variant else "") + f".{fmt}.txt"
    return WORDING_DIR / name if language == ENGLISH else WORDING_DIR / language / name


def default_wording(kind: str, variant: str, fmt: str, language: str = ENGLISH) -> DefaultWording:
    """Read one shipped wording file: ``subject:`` and ``closing:`` lines, ``---``, then the body."""
    raw = wording_file(kind, variant, fmt, language).read_text(encoding="utf-8")
    head, _, body = raw.partition("\n---\n")
    fields = {}
    for line in head.splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    closing = fields.get("closing", "Yours sincerely,")
    return DefaultWording(kind, variant, fmt, fields["subject"], closing, body.strip(), language)


def letter_keys() -> list[tuple[str, str, str]]:
    """Every (kind, variant, format) a letter may be written in; the service ships English wording for each."""
    keys = []
    for kind in LetterKind.values:
        formats = [WordingFormat.STANDARD] if kind in REFERRER_ONLY_KINDS else list(WordingFormat.values)
        for variant in KIND_VARIANTS.get(kind, ("",)):
            for fmt in formats:
                keys.append((kind, str(variant), str(fmt)))
    return keys


_SHIPPED: list[tuple[str, str, str, str]] | None = None


def template_keys() -> list[tuple[str, str, str, str]]:
    """Every (kind, variant, format, language) the service ships wording for: English for every letter, and
    each other language for the letters its folder has a file for (Welsh every one, Arabic some)."""
    global _SHIPPED
    if _SHIPPED is None:
        _SHIPPED = [
            (*key, code)
            for code in LANGUAGES
            for key in letter_keys()
            if code == ENGLISH or wording_file(*key, code).is_file()
        ]
    return _SHIPPED
