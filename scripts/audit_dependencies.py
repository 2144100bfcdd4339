#!/usr/bin/env python3
"""Checks the pinned requirements against known vulnerabilities, offline (make audit, CI).

    .venv/bin/python scripts/audit_dependencies.py requirements.txt requirements-dev.txt
    .venv/bin/python scripts/audit_dependencies.py --refresh /path/to/advisory-database  # new snapshot

Why offline: pip-audit reaches PyPI from here, but PyPI's per-release JSON (where its vulnerability
service reads) answers 404 for every pin, so it audits nothing ("Dependency not found on PyPI"), and OSV's
API is not reachable at all. So the advisories come from a snapshot of the PyPA Advisory Database (OSV
format, the data behind PyPI's and OSV's answers), cut down to the packages this project pins and kept in
security/pypa-advisories.json. Refresh it from a clone of github.com/pypa/advisory-database when pins
change and at least once a release; the report prints the snapshot's date so a stale one shows.
Where pip-audit does work (`pip-audit --disable-pip --no-deps -r requirements.txt`), run it as well.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "security" / "pypa-advisories.json"
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s#;]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(files: list[Path]) -> dict[str, str]:
    found = {}
    for path in files:
        for line in path.read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                found[normalise(match["name"])] = match["version"]
            elif line.startswith("-r "):
                found.update(pins([path.parent / line.split(maxsplit=1)[1].strip()]))
    return found


def affected(version: str, advisory: dict) -> bool:
    """OSV's rule for an ECOSYSTEM range: affected from an `introduced` up to a `fixed` (or `last_affected`)."""
    if version in advisory.get("versions", []):
        return True
    try:
        ours = Version(version)
    except InvalidVersion:
        return False
    for events in advisory.get("ranges", []):
        state = False
        ordered = sorted(
            ((Version(value if value != "0" else "0"), kind) for event in events for kind, value in event.items()),
            key=lambda pair: pair[0],
        )
        for at, kind in ordered:
            if kind == "introduced" and at <= ours:
                state = True
            elif kind == "fixed" and at <= ours:
                state = False
            elif kind == "last_affected" and at < ours:
                state = False
        if state:
            return True
    return False


def audit(pinned: dict[str, str], snapshot: dict) -> list[tuple[str, str, dict]]:
    return [
        (name, version, advisory)
        for name, version in sorted(pinned.items())
        for advisory in snapshot["packages"].get(name, [])
        if affected(version, advisory)
    ]


def refresh(database: Path, names: set[str]) -> None:
    import yaml

    commit = subprocess.run(  # noqa: S603
        ["git", "-C", str(database), "log", "-1", "--format=%H %cs"],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    packages: dict[str, list] = {}
    for folder in sorted((database / "vulns").iterdir()):
        if normalise(folder.name) not in names:
            continue
        for file in sorted(folder.glob("*.yaml")):
            entry = yaml.safe_load(file.read_text())
            if entry.get("withdrawn"):
                continue
            for item in entry.get("affected", []):
                ranges = [r["events"] for r in item.get("ranges", []) if r.get("type") == "ECOSYSTEM"]
                packages.setdefault(normalise(item["package"]["name"]), []).append(
                    {
                        "id": entry["id"],
                        "aliases": entry.get("aliases", []),
                        "summary": " ".join((entry.get("summary") or entry.get("details") or "").split())[:200],
                        "ranges": ranges,
                        # The ranges say it all where there are any; the list of versions is for the rest.
                        "versions": [] if ranges else item.get("versions", []),
                    }
                )
    SNAPSHOT.parent.mkdir(exist_ok=True)
    SNAPSHOT.write_text(
        json.dumps(
            {
                "source": "https://github.com/pypa/advisory-database",
                "commit": commit[0] if commit else None,
                "date": commit[1] if len(commit) > 1 else None,
                "packages": packages,
            },
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )
    print(f"{SNAPSHOT.relative_to(ROOT)}: {sum(map(len, packages.values()))} advisories for {len(packages)} packages.")


def main(argv: list[str]) -> int:
    requirement_files = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
    if argv[:1] == ["--refresh"]:
        names = set(pins(requirement_files)) | {"django-fsm"}
        refresh(Path(argv[1]), names)
        return 0
    files = [Path(arg) for arg in argv] or requirement_files
    snapshot = json.loads(SNAPSHOT.read_text())
    pinned = pins(files)
    found = audit(pinned, snapshot)
    print(
        f"{len(pinned)} pinned packages checked against the PyPA Advisory Database of {snapshot['date']} "
        f"({len(snapshot['packages'])} of them have advisories there): {len(found)} known vulnerabilities."
    )
    for name, version, advisory in found:
        aliases = ", ".join(advisory["aliases"])
        print(f"VULNERABLE {name}=={version}: {advisory['id']} ({aliases}) {advisory['summary']}", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
