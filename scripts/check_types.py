#!/usr/bin/env python3
"""Type-checks services, selectors and the API with mypy (django-stubs, djangorestframework-stubs): no new errors.

    .venv/bin/python scripts/check_types.py           # fails on an error that mypy-baseline.txt does not list
    .venv/bin/python scripts/check_types.py --update  # rewrites the baseline (after fixing errors, or when told to)

The baseline lists the errors there were when checking began, one per line as "path: message [code]",
without line numbers, so that editing a file above an old error does not make it new. Fixing errors is
always welcome: the check then says the baseline can shrink (run --update and commit it).
"""

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "mypy-baseline.txt"
ERROR = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*)$")


def targets() -> list[str]:
    """Every app's services and selectors (module or package) and the whole API."""
    found = {"api"}
    for pattern in ("*/services.py", "*/services", "*/selectors.py", "*/selectors", "rjcases/timeline.py"):
        found.update(str(path.relative_to(ROOT)) for path in ROOT.glob(pattern) if ".venv" not in path.parts)
    return sorted(found)


def run_mypy() -> tuple[Counter, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "mypy",
            "--no-error-summary",
            "--hide-error-context",
            "--no-color-output",
            "--show-column-numbers",
            *targets(),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode not in (0, 1):  # 2: mypy itself failed (a crash, a bad configuration)
        sys.exit(f"mypy failed to run:\n{result.stdout}{result.stderr}")
    errors = Counter()
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            errors[f"{match['path']}: {match['message']}"] += 1
    return errors, result.stdout


def main(argv: list[str]) -> int:
    errors, output = run_mypy()
    if "--update" in argv:
        BASELINE.write_text("".join(f"{line}\n" for line in sorted(errors.elements())))
        print(f"mypy-baseline.txt now lists {sum(errors.values())} errors.")
        return 0
    baseline = Counter(line for line in BASELINE.read_text().splitlines() if line) if BASELINE.exists() else Counter()
    new = errors - baseline
    fixed = baseline - errors
    print(
        f"mypy over {', '.join(targets())}: {sum(errors.values())} errors, "
        f"{sum(baseline.values())} in the baseline, {sum(new.values())} new."
    )
    if fixed:
        print(f"{sum(fixed.values())} baseline errors are gone: run scripts/check_types.py --update to shrink it.")
    if new:
        wanted = {line.split(": ", 1)[1] for line in new}
        print("New type errors (fix them; the baseline is for old ones only):", file=sys.stderr)
        for line in output.splitlines():
            match = ERROR.match(line)
            if match and match["message"] in wanted:
                print(f"  {line}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
