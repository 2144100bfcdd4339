"""What the case search matches on, so that it forgives and stays fast at a million cases.

- **Names** are compared folded (``fold``): lower case, accents and other marks dropped, and the letters that
  Unicode does not decompose spelt out in plain letters (ł → l, ß → ss, æ → ae, ø → o, ...), so "lukasz
  michalowski" finds "Łukasz Michałowski". A person's folded name is stored in ``Party.search_name`` (kept current
  by ``Party.save`` and by the demo's bulk writer, backfilled by migration 0018); on PostgreSQL a trigram index
  (``pg_trgm``'s ``gin_trgm_ops``) serves ``search_name LIKE '%term%'`` for every term typed.
- **Case references** ("RJ-2026-00042") are matched exactly, or by prefix when only the start is typed, on the
  reference's own unique index (and its ``varchar_pattern_ops`` twin on PostgreSQL).
- **Police crime references** ("06/123456/26") likewise on the incident's indexed ``crime_reference``.

A query is one of the three by its shape (``search_kind``), never all three at once: an ``OR`` across the case,
its incident and its people can use none of their indexes, so it would read every case.
"""

from __future__ import annotations

import re
import unicodedata

# Letters NFKD leaves whole (they are letters of their own, not a letter and a mark), spelt the way a person
# typing on an English keyboard would. Upper case is folded by ``casefold`` afterwards.
LETTERS = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ß": "ss",
        "ẞ": "ss",
        "æ": "ae",
        "Æ": "ae",
        "ø": "o",
        "Ø": "o",
        "œ": "oe",
        "Œ": "oe",
        "đ": "d",
        "Đ": "d",
        "ð": "d",
        "Ð": "d",
        "þ": "th",
        "Þ": "th",
        "ħ": "h",
        "Ħ": "h",
        "ı": "i",
        "ŀ": "l",
        "Ŀ": "l",
        "ŧ": "t",
        "Ŧ": "t",
        "ŋ": "n",
        "Ŋ": "n",
        "ſ": "s",
        # Apostrophes are left out, so "obrien" finds "O'Brien" and "O’Brien".
        "'": None,
        "’": None,
        "‘": None,
        "ʼ": None,
    }
)

CASE_REFERENCE = re.compile(r"^RJ-\d{4}-\d{5,}$")
REFERENCE_START = re.compile(r"^(RJ|\d{4}-)")


def fold(text: str) -> str:
    """``text`` in lower case, without accents or marks, its spaces collapsed: what names are compared as."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(LETTERS))
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(plain.casefold().split())


def folded_name(first_name: str, last_name: str) -> str:
    """The value of ``Party.search_name``."""
    return fold(f"{first_name} {last_name}")


def search_kind(query: str) -> tuple[str, str]:
    """What a typed query is, and the value to look up: ("crime_reference", "06/123456/26"), ("reference",
    "RJ-2026-00042") (exact when it is a whole reference, else a prefix), or ("name", "lukasz michalowski").

    A slash makes a crime reference; "RJ" or a year and a dash at the start, or any digit, a case reference (a
    reference typed without its "RJ-" gets it back); anything else is a name."""
    compact = re.sub(r"\s+", "", query).upper()
    if "/" in compact:
        return "crime_reference", compact
    if REFERENCE_START.match(compact) or any(char.isdigit() for char in compact):
        if compact[:1].isdigit():
            compact = f"RJ-{compact}"
        return "reference", compact
    return "name", fold(query)
