"""scripts/run_together.py, which `make run` (server and worker) and `make serve` use: one Ctrl-C stops every
process, and one process ending stops the others."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "run_together.py"
SLEEPER = f"{sys.executable} -c 'import time; time.sleep(120)'"


def start(*commands):
    return subprocess.Popen([sys.executable, str(SCRIPT), "--grace", "5", *commands], stdout=subprocess.PIPE, text=True)


def started_pids(helper, count) -> list[int]:
    pids = []
    while len(pids) < count:
        line = helper.stdout.readline()
        assert line, "run_together ended before starting everything"
        pids += [int(pid) for pid in re.findall(r"started \w+ \(process (\d+)\)", line)]
    return pids


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def wait_gone(pids, seconds=30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if all(gone(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def test_ctrl_c_stops_every_process():
    helper = start(f"web: {SLEEPER}", f"worker: {SLEEPER}")
    pids = started_pids(helper, 2)
    helper.send_signal(signal.SIGINT)
    assert helper.wait(timeout=30) == 0
    assert wait_gone(pids)


def test_one_process_ending_stops_the_others_with_its_status():
    helper = start(f"web: {sys.executable} -c 'import sys, time; time.sleep(1); sys.exit(3)'", f"worker: {SLEEPER}")
    pids = started_pids(helper, 2)
    assert helper.wait(timeout=60) == 3
    assert wait_gone(pids)
    assert "web ended with status 3; stopping the others." in helper.stdout.read()


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_it_prints_the_address_only_once_the_server_listens():
    port = free_port()
    # A "server" that waits two seconds before it listens, prints that it does, then serves until stopped.
    late_server = (
        f"{sys.executable} -c 'import socket, time; time.sleep(2); s = socket.socket(); "
        f's.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", {port})); s.listen(); '
        f'print("LISTENING", flush=True); time.sleep(120)\''
    )
    url = f"http://127.0.0.1:{port}/accounts/login/"
    helper = start("--announce-when-listening", f"127.0.0.1:{port}", url, f"web: {late_server}")
    lines = []
    while not any(line.startswith("Open ") for line in lines):
        line = helper.stdout.readline()
        assert line, "run_together ended without announcing the address"
        lines.append(line.strip())
    assert lines.index("LISTENING") < lines.index(f"Open {url}")
    assert sum(line.startswith("Open ") for line in lines) == 1
    helper.send_signal(signal.SIGINT)
    assert helper.wait(timeout=30) == 0
