#!/usr/bin/env python3
"""Lists every installed distribution's licence and fails on one we could not distribute the project beside.

    .venv/bin/python scripts/check_licences.py          # the table, then a verdict (make lint, CI)
    .venv/bin/python scripts/check_licences.py --quiet  # only the problems

The project is MIT (LICENSE). A dependency may be:
- permissive (MIT, BSD, Apache, PSF, ISC, Unlicense, ...): allowed;
- weak copyleft (LGPL, MPL, EPL): allowed, because we use such libraries unmodified and installed separately
  (psycopg and python-bidi are LGPL, certifi is MPL); their own terms then apply to them alone;
- strong or network copyleft, or source-available (GPL, AGPL, SSPL, BUSL, EUPL, OSL, Commons Clause,
  non-commercial): refused, since anyone distributing or hosting the combined work would have to release
  it under that licence instead;
- unknown (no licence in its metadata): refused until someone reads it and records it in KNOWN below.

A package offering alternatives ("MIT OR Apache-2.0", or several licence classifiers, as pyphen's
GPL/LGPL/MPL) passes when one alternative is allowed; "A AND B" needs both. django-fsm is refused by name
whatever its metadata says: it is AGPL since 3.0 and installs the same `django_fsm` module as
django-fsm-2, so pulling it in would silently replace the state machine.
"""

import re
import sys
from collections.abc import Iterable
from importlib.metadata import Distribution, distributions

REFUSED_BY_NAME = {"django-fsm": "AGPL-3.0 since 3.0, and installs the same django_fsm module as django-fsm-2"}
# Distributions whose metadata names no licence (or only a vague one), read by hand:
# name -> (licence, where it was checked).
KNOWN: dict[str, tuple[str, str]] = {
    "python-dateutil": ("Apache-2.0 OR BSD-3-Clause", "LICENSE in the 2.9.0.post0 sdist: dual licensed")
}

REFUSED = ("AGPL", "SSPL", "BUSL", "EUPL", "OSL", "COMMONS-CLAUSE", "CC-BY-NC", "CC-BY-SA", "GPL")
WEAK_COPYLEFT = ("LGPL", "MPL", "EPL")
PERMISSIVE = (
    "MIT",
    "BSD",
    "0BSD",
    "APACHE",
    "PSF",
    "PYTHON",
    "ISC",
    "UNLICENSE",
    "ZLIB",
    "CC0",
    "HPND",
    "MIT-CMU",
    "MIT-0",
    "ZPL",
    "BOOST",
    "BSL-1.0",
    "WTFPL",
    "CNRI-PYTHON",
)

# Free-text licence names and classifier wordings, mapped to an SPDX-like family (checked in this order).
WORDS = [
    (r"affero|\bagpl", "AGPL"),
    (r"server side public", "SSPL"),
    (r"lesser general public|library or lesser|\blgpl", "LGPL"),
    (r"general public license|\bgpl", "GPL"),
    (r"mozilla|\bmpl", "MPL"),
    (r"eclipse public|\bepl", "EPL"),
    (r"apache", "Apache-2.0"),
    (r"\bbsd", "BSD"),
    (r"\bmit\b", "MIT"),
    (r"python software foundation|\bpsf", "PSF-2.0"),
    (r"\bisc\b", "ISC"),
    (r"unlicense", "Unlicense"),
    (r"public domain|cc0", "CC0-1.0"),
]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def family(text: str) -> str | None:
    lowered = text.lower()
    for pattern, name in WORDS:
        if re.search(pattern, lowered):
            return name
    return None


def licence_of(dist: Distribution) -> str | None:
    """The distribution's licence as an expression ("MIT", "LGPL-3.0-only", "GPL OR LGPL OR MPL"), or None."""
    meta = dist.metadata
    name = normalise(meta["Name"] or "")
    if name in KNOWN:
        return KNOWN[name][0]
    if meta.get("License-Expression"):
        return meta["License-Expression"].strip()
    text = (meta.get("License") or "").strip()
    # A short License field names the licence; a long one is usually the licence text itself.
    if text and len(text) < 200 and text.upper() != "UNKNOWN":
        return text.splitlines()[0].strip()
    classifiers = [c.split("::")[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    classifiers = [c for c in classifiers if c not in ("OSI Approved", "Other/Proprietary License")] or classifiers
    if classifiers:
        return " OR ".join(classifiers)
    if text:
        return family(text)
    return None


def verdict_of(name: str, licence: str | None) -> tuple[bool, str]:
    """(allowed, why) for one distribution."""
    if normalise(name) in REFUSED_BY_NAME:
        return False, f"refused by name: {REFUSED_BY_NAME[normalise(name)]}"
    if not licence:
        return False, "no licence in its metadata: read it and record it in KNOWN (scripts/check_licences.py)"
    alternatives = re.split(r"\s+OR\s+", licence.replace("(", " ").replace(")", " ").strip())
    reasons = []
    for alternative in alternatives:
        parts = [re.split(r"\s+WITH\s+", part.strip())[0] for part in re.split(r"\s+AND\s+", alternative)]
        kinds = [kind_of(part) for part in parts]
        if all(kind in ("permissive", "weak copyleft") for kind in kinds):
            return True, " and ".join(sorted(set(kinds)))
        reasons.append(", ".join(f"{part}: {kind}" for part, kind in zip(parts, kinds, strict=True)))
    return False, "; ".join(reasons)


def kind_of(licence: str) -> str:
    token = licence.strip().upper().replace(" ", "-")
    if not token.startswith(PERMISSIVE + WEAK_COPYLEFT + REFUSED):
        token = (family(licence) or "").upper()
    if token.startswith(WEAK_COPYLEFT):
        return "weak copyleft"
    if token.startswith(REFUSED):
        return "copyleft or source-available, incompatible"
    if token.startswith(PERMISSIVE):
        return "permissive"
    return "unrecognised"


def check(dists: Iterable[Distribution]) -> list[tuple[str, str, str | None, bool, str]]:
    """One row per distribution: (name, version, licence, allowed, why), sorted by name."""
    rows = []
    seen = set()
    for dist in dists:
        name = dist.metadata["Name"]
        if not name or normalise(name) in seen:
            continue
        seen.add(normalise(name))
        licence = licence_of(dist)
        allowed, why = verdict_of(name, licence)
        rows.append((name, dist.version, licence, allowed, why))
    return sorted(rows, key=lambda row: normalise(row[0]))


def main(argv: list[str]) -> int:
    rows = check(distributions())
    refused = [row for row in rows if not row[3]]
    if "--quiet" not in argv:
        width = max(len(row[0]) for row in rows)
        for name, version, licence, allowed, why in rows:
            print(f"{'ok ' if allowed else 'NO '} {name:<{width}} {version:<16} {licence or '?'}  ({why})")
    print(f"{len(rows)} distributions, {len(refused)} refused.")
    for name, version, licence, _, why in refused:
        print(f"REFUSED {name} {version}: {licence or 'no licence'}: {why}", file=sys.stderr)
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
