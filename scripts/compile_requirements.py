#!/usr/bin/env python3
"""Compile requirements.in and requirements-dev.in into the pinned requirements.txt and requirements-dev.txt.

    .venv/bin/python scripts/compile_requirements.py                      # re-pin, keeping today's versions
    .venv/bin/python scripts/compile_requirements.py --upgrade-package X  # move X (and what it needs) forward
    .venv/bin/python scripts/compile_requirements.py --upgrade            # move everything forward

`uv pip compile` resolves the set (it prefers the versions already pinned unless told to upgrade); this
script then writes each pinned file with the reason comment from the .in file above every direct
dependency, and "# via ..." after every transitive one. requirements-dev.txt starts with
`-r requirements.txt` and lists only what production does not already pin.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>\S+)\s*(?:#\s*via\s*(?P<via>.*))?$"
)
REQUIREMENT = re.compile(r"^(?P<spec>(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def direct_requirements(in_file: Path) -> dict[str, tuple[str, list[str]]]:
    """normalised name -> (name with extras as written, the comment lines directly above it)."""
    found: dict[str, tuple[str, list[str]]] = {}
    comments: list[str] = []
    for line in in_file.read_text().splitlines():
        stripped = line.strip()
        if not stripped:
            comments = []
        elif stripped.startswith("#"):
            comments.append(stripped)
        elif stripped.startswith("-"):
            comments = []
        else:
            match = REQUIREMENT.match(stripped)
            if match:
                found[normalise(match["name"])] = (match["spec"], comments)
            comments = []
    return found


def compile_pins(in_file: Path, out_file: Path, uv_args: list[str]) -> dict[str, tuple[str, str]]:
    """normalised name -> (version, via) as uv resolves them, preferring the versions out_file pins."""
    python = ROOT / ".venv" / "bin" / "python"
    uv = ROOT / ".venv" / "bin" / "uv"
    with tempfile.TemporaryDirectory() as scratch:
        result_file = Path(scratch) / out_file.name
        if out_file.exists():
            # uv prefers the pins of its output file: give it today's so that nothing moves unasked.
            keep = [line for line in out_file.read_text().splitlines() if PIN.match(line.split("#")[0].strip())]
            result_file.write_text("\n".join(line.split("#")[0].strip() for line in keep) + "\n")
        subprocess.run(  # noqa: S603
            [
                str(uv),
                "pip",
                "compile",
                str(in_file),
                "-o",
                str(result_file),
                "--python",
                str(python),
                "--python-version",
                "3.12",
                "--annotation-style",
                "line",
                "--no-header",
                "--quiet",
                "--no-emit-package",
                "pip",
                *uv_args,
            ],
            check=True,
            cwd=ROOT,
            env={**os.environ, "UV_PYTHON_DOWNLOADS": "never"},
        )
        pins = {}
        for line in result_file.read_text().splitlines():
            match = PIN.match(line.strip())
            if match:
                pins[normalise(match["name"])] = (match["version"], (match["via"] or "").strip())
        return pins


def write(out_file: Path, header: list[str], direct: dict, pins: dict, skip: set[str]) -> None:
    lines = list(header)
    for key, (spec, comments) in direct.items():
        if key in skip:
            continue
        lines += [*comments, f"{spec}=={pins[key][0]}"]
    transitive = sorted(key for key in pins if key not in direct and key not in skip)
    if transitive:
        lines += ["", "# Transitive dependencies of the above, pinned so every machine installs the same set"]
        for key in transitive:
            version, via = pins[key]
            via = ", ".join(part.strip() for part in via.split(",") if not part.strip().startswith(("-r", "-c")))
            lines.append(f"{key}=={version}" + (f"  # via {via}" if via else ""))
    out_file.write_text("\n".join(lines) + "\n")


def main(uv_args: list[str]) -> None:
    if shutil.which("uv", path=str(ROOT / ".venv" / "bin")) is None:
        sys.exit("uv is not installed in .venv: run `make setup-dev` first.")
    prod_in, prod_txt = ROOT / "requirements.in", ROOT / "requirements.txt"
    dev_in, dev_txt = ROOT / "requirements-dev.in", ROOT / "requirements-dev.txt"

    prod_direct = direct_requirements(prod_in)
    prod_pins = compile_pins(prod_in, prod_txt, uv_args)
    write(
        prod_txt,
        [
            "# What production runs, pinned. Generated from requirements.in by scripts/compile_requirements.py:",
            "# edit requirements.in (with a reason comment), then run that script.",
            "",
        ],
        prod_direct,
        prod_pins,
        skip=set(),
    )

    dev_direct = direct_requirements(dev_in)
    # Production's fresh pins are constraints here (-c requirements.txt): the dev set can only add to them.
    dev_pins = compile_pins(dev_in, dev_txt, uv_args)
    write(
        dev_txt,
        [
            "# Tests, lint, type checking and benchmarks, pinned. Generated from requirements-dev.in by",
            "# scripts/compile_requirements.py: edit requirements-dev.in (with a reason comment), then run it.",
            "-r requirements.txt",
            "",
        ],
        dev_direct,
        dev_pins,
        skip=set(prod_pins),
    )


if __name__ == "__main__":
    main(sys.argv[1:])
