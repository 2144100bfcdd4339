"""A person's communication needs, read from what their record holds, in one shape every page, letter and report
uses: the case header, the person's card, the contact and activity forms, the print run and the quarterly return
all call ``needs_of(party)`` (the pages through the one include ``rjcases/includes/needs_flag.html``).

British Sign Language is a language of its own: a person uses BSL when their record says so (``Party.bsl``) or
when their preferred language names it. Someone who uses BSL needs a BSL interpreter at a meeting whether or not
the interpreter box was ticked."""

from __future__ import annotations

import re
from dataclasses import dataclass

BSL = "British Sign Language (BSL)"
_BSL_WORDS = re.compile(r"^\s*(bsl|british sign language)(\s*\(bsl\))?\s*$", re.IGNORECASE)
ENGLISH = "english"

# The needs the quarterly return counts, in its order, with the words it prints.
NEED_KINDS: tuple[tuple[str, str], ...] = (
    ("bsl", "British Sign Language (BSL)"),
    ("interpreter", "Interpreter"),
    ("language", "Language other than English"),
    ("large_print", "Large print"),
    ("easy_read", "Easy read"),
    ("other", "Other adjustments"),
)


@dataclass(frozen=True)
class Need:
    """One communication need: its kind (a key of ``NEED_KINDS``) and the words shown for it."""

    kind: str
    label: str


def is_bsl(language: str) -> bool:
    """True for 'BSL', 'British Sign Language' and 'British Sign Language (BSL)', in any case."""
    return bool(_BSL_WORDS.match(language or ""))


def uses_bsl(party) -> bool:
    return bool(getattr(party, "bsl", False)) or is_bsl(party.language)


def needs_interpreter(party) -> bool:
    """An interpreter is needed at any meeting with this person: ticked on their record, or they use BSL."""
    return bool(party.interpreter_needed) or uses_bsl(party)


def interpreter_language_for(party) -> str:
    """The language an interpreter for this person works in ('' when none is needed)."""
    if not needs_interpreter(party):
        return ""
    language = (party.interpreter_language or "").strip()
    if language:
        return BSL if is_bsl(language) else language
    return BSL if uses_bsl(party) else "language not recorded"


def same_language(one: str, other: str) -> bool:
    """Two ways of writing a language name the same language ('bsl' and 'British Sign Language (BSL)' do)."""
    if is_bsl(one) or is_bsl(other):
        return is_bsl(one) and is_bsl(other)
    return " ".join((one or "").lower().split()) == " ".join((other or "").lower().split())


def needs_of(party) -> list[Need]:
    """Every communication need recorded for this person, in the return's order; empty when there is none."""
    found: list[Need] = []
    bsl = uses_bsl(party)
    if bsl:
        found.append(Need("bsl", "BSL"))
    if needs_interpreter(party):
        found.append(Need("interpreter", f"Interpreter: {interpreter_language_for(party)}"))
    language = (party.language or "").strip()
    if language and language.lower() != ENGLISH and not is_bsl(language):
        found.append(Need("language", f"Language: {language}"))
    if party.large_print:
        found.append(Need("large_print", "Large print"))
    if party.easy_read:
        found.append(Need("easy_read", "Easy read"))
    if (party.other_adjustments or "").strip():
        found.append(Need("other", f"Other adjustments: {party.other_adjustments.strip()}"))
    return found
