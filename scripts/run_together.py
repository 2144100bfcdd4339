#!/usr/bin/env python3
"""Run several processes as one: `make run` (the development server and a worker) and `make serve` (gunicorn,
the worker and the scheduler) use it.

    scripts/run_together.py "web: .venv/bin/python manage.py runserver" "worker: .venv/bin/python manage.py db_worker"

Each command (a name, a colon, then the command line, split as a shell would but run without one) starts in its
own process group, so that a reloader's child goes with its parent. Ctrl-C or SIGTERM is passed once to every
group (a worker finishes its task first: a second signal would make it stop at once); when any process ends, the
others are stopped the same way. Whatever is still running after --grace seconds (10) is killed. The exit status
is that of the first process to end, or 0 when they were asked to stop.

With ``--announce-when-listening HOST:PORT URL`` it prints "Open URL" once something accepts connections on
HOST:PORT (the development server takes some seconds to start: an address printed before it listens would
give a newcomer a refused connection).
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import socket
import subprocess
import sys
import time


def parse(spec: str) -> tuple[str, list[str]]:
    name, sep, command = spec.partition(":")
    if not sep or not name.strip() or not command.strip():
        raise SystemExit(f"run_together: {spec!r} is not 'name: command'.")
    return name.strip(), shlex.split(command)


def signal_all(processes: dict[str, subprocess.Popen], signum: int, *, running_only: bool = True) -> None:
    """Signal each process's group; with ``running_only`` False also the groups whose first process has ended
    (a reloader's child may still be in one)."""
    for process in processes.values():
        if process.poll() is None or not running_only:
            try:
                os.killpg(process.pid, signum)
            except ProcessLookupError:
                pass


def listening(host: str, port: int) -> bool:
    """True when something accepts a TCP connection on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def parse_address(value: str) -> tuple[str, int]:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise SystemExit(f"run_together: {value!r} is not HOST:PORT.")
    return host, int(port)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("commands", nargs="+", metavar="NAME: COMMAND")
    parser.add_argument("--grace", type=float, default=10.0, help="Seconds to wait before killing (default 10).")
    parser.add_argument(
        "--announce-when-listening",
        nargs=2,
        metavar=("HOST:PORT", "URL"),
        help="Print 'Open URL' once something listens on HOST:PORT.",
    )
    options = parser.parse_args(argv)
    announce = None
    if options.announce_when_listening:
        address, url = options.announce_when_listening
        announce = (parse_address(address), url)
    specs = [parse(spec) for spec in options.commands]

    asked_to_stop: list[int] = []
    # Set before starting anything, so that a signal arriving while they start is not lost.
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda signum, frame: asked_to_stop.append(signum))

    processes: dict[str, subprocess.Popen] = {}
    for name, command in specs:
        processes[name] = subprocess.Popen(command, process_group=0)  # noqa: S603 (the Makefile's own commands)
        print(f"run_together: started {name} (process {processes[name].pid}): {shlex.join(command)}", flush=True)

    first_status = None
    while first_status is None and not asked_to_stop:
        if announce is not None and listening(*announce[0]):
            print(f"\nOpen {announce[1]}\n", flush=True)
            announce = None
        for name, process in processes.items():
            status = process.poll()
            if status is not None:
                print(f"run_together: {name} ended with status {status}; stopping the others.", flush=True)
                first_status = status
                break
        else:
            time.sleep(0.2)

    signum = asked_to_stop[0] if asked_to_stop else signal.SIGTERM
    signal_all(processes, signum)
    deadline = time.monotonic() + options.grace
    while time.monotonic() < deadline and any(process.poll() is None for process in processes.values()):
        time.sleep(0.1)
    for name, process in processes.items():
        if process.poll() is None:
            print(f"run_together: {name} did not stop within {options.grace:g} s: killed.", flush=True)
    signal_all(processes, signal.SIGKILL, running_only=False)
    for process in processes.values():
        process.wait()
    return 0 if first_status is None else first_status


if __name__ == "__main__":
    sys.exit(main())
