"""What several benchmarks share: a free port on 127.0.0.1 and a seeded demo database.

The benchmarks run as scripts (`python benchmarks/<name>.py`), so this folder is on the import
path and they import this module as `harness`. Nothing here imports the tests.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    """A free port on 127.0.0.1: any, or the first free one of BENCHMARK_PORTS ("9000-9099")
    on a machine where the benchmarks must keep to some ports."""
    first, _, last = os.environ.get("BENCHMARK_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(sock.getsockname()[1])
    raise SystemExit(f"no free port in BENCHMARK_PORTS={os.environ['BENCHMARK_PORTS']}")


def demo_database(target: Path) -> str:
    """The demo city (`waitlist init` + `waitlist seed --demo`) in a new SQLite file at
    `target`; its SQLAlchemy URL."""
    url = f"sqlite:///{target}"
    env = {**os.environ, "WAITLIST_DATABASE_URL": url}
    for args in (["init"], ["seed", "--demo"]):
        command = [sys.executable, "-c", "from waitlist.cli import app; app()", *args]
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    return url
