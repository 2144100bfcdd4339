"""A real ``manage.py db_worker`` whose letter rendering waits at a gate: test code only, for test_worker.py.

    python -m tests.jobs.gated_worker GATE_FOLDER [db_worker options]

Each rendering appends ``start <pid>`` to GATE_FOLDER/renders.log and touches GATE_FOLDER/rendering, then waits
until GATE_FOLDER/release exists, renders, and appends ``done <pid>``. The test can so kill the worker while it
is certainly in the middle of rendering, and count how often each worker rendered. Nothing else differs from
the worker production runs: the same command, settings and task code.
"""

import os
import sys
import time
from pathlib import Path


def main() -> None:
    gate = Path(sys.argv[1])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import execute_from_command_line

    from letters.renderer import LetterRenderer

    real = LetterRenderer.render_with_page_count

    def log(line: str) -> None:
        with open(gate / "renders.log", "a") as handle:
            handle.write(f"{line} {os.getpid()}\n")

    def gated(self, content):
        log("start")
        (gate / "rendering").touch()
        deadline = time.monotonic() + 300
        while not (gate / "release").exists():
            if time.monotonic() > deadline:
                raise RuntimeError("the test never opened the gate")
            time.sleep(0.05)
        rendered = real(self, content)
        log("done")
        return rendered

    LetterRenderer.render_with_page_count = gated
    execute_from_command_line(["manage.py", "db_worker", *sys.argv[2:]])


if __name__ == "__main__":
    main()
