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
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def demo_database(target: Path) -> str:
    """The demo city (`waitlist init` + `waitlist seed --demo`) in a new SQLite file at
    `target`; its SQLAlchemy URL."""
    url = f"sqlite:///{target}"
    env = {**os.environ, "WAITLIST_DATABASE_URL": url}
    for args in (["init"], ["seed", "--demo"]):
        command = [sys.executable, "-c", "from waitlist.cli import app; app()", *args]
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)
    return url
