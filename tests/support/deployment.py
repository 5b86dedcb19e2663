"""A server started the way a deployment starts one: `waitlist init` in an empty folder (it
writes the key file), staff accounts and a group, then `waitlist serve` on a free port of
127.0.0.1, with no WAITLIST_SECRET_KEY in its environment."""

from __future__ import annotations

import ast
import functools
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from tests.support.api import PASSWORD, ROOT, answering, free_port
from waitlist.services import groups, staff
from waitlist.storage.db import make_engine
from waitlist.storage.uow import UnitOfWork

CLI = [sys.executable, "-c", "from waitlist.cli import app; app()"]


def deployment_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a deployment: no key given, no jobs, no rate limits (unless asked)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WAITLIST_")}
    env |= {
        "WAITLIST_DATABASE_URL": database_url,
        "WAITLIST_JOBS_INTERVAL_SECONDS": "0",
        "WAITLIST_RATE_LIMIT_IP_PER_MINUTE": "0",
        "WAITLIST_RATE_LIMIT_TOKEN_PER_MINUTE": "0",
    }
    env.update(extra)
    return env


def cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=600
    )


@dataclass
class Deployment:
    folder: Path
    database_url: str
    env: dict[str, str]
    staff_ids: dict[str, int] = field(default_factory=dict)
    group_id: int = 0

    @property
    def key_file(self) -> Path:
        return self.folder / "var" / "secret_key"

    def uow(self) -> UnitOfWork:
        return UnitOfWork(make_engine(self.database_url), actor="test")


def deploy(folder: Path, database_url: str, **env: str) -> Deployment:
    """`waitlist init` in `folder`, two staff accounts and a recruiting group in Farsta."""
    folder.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{folder / 'var' / 'waitlist.db'}"
    deployment = Deployment(folder, database_url, deployment_env(database_url, **env))
    done = cli("init", env=deployment.env, cwd=folder)
    assert done.returncode == 0, done.stderr
    for username, role, district in (
        ("coord-farsta", "coordinator", "farsta"),
        ("manager", "management", None),
    ):
        account = staff.create_staff(
            deployment.uow(),
            {"username": username, "role": role, "district": district, "password": PASSWORD},
        )
        deployment.staff_ids[username] = account.id
    group = groups.create_group(
        deployment.uow(),
        {
            "programme": "komet",
            "district": "farsta",
            "start": (date.today() + timedelta(days=60)).isoformat(),
            "slot": "evening",
            "language": "sv",
            "capacity": 10,
            "min_size": 2,
        },
    )
    deployment.group_id = group.id
    return deployment


@contextmanager
def serving(deployment: Deployment, *args: str, **env: str) -> Iterator[str]:
    """`waitlist serve` on a free port of 127.0.0.1; yields its base URL once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        cwd=deployment.folder,
        env=deployment.env | env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    with answering(proc, f"http://127.0.0.1:{port}") as base:
        yield base


def log_in(client: httpx.Client, username: str, password: str = PASSWORD) -> str:
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


_TEXT_SUFFIXES = {".md", ".toml", ".ini", ".cfg", ".txt", ".sh", ".html", ".yml", ".yaml"}
_SOURCE_DIRS = ("waitlist", "api", "solver", "tests", "benchmarks", "scripts", "migrations", "docs")


@functools.cache
def source_tree_values() -> tuple[str, ...]:
    """Every value a reader of the source tree could try as the key: each string literal of
    every Python file, and each word of the other text files (docs, configuration, scripts)."""
    found: set[str] = set()
    files = [ROOT / name for name in ("README.md", "Makefile", "pyproject.toml", "alembic.ini")]
    for folder in _SOURCE_DIRS:
        files.extend(sorted((ROOT / folder).rglob("*")))
    for path in files:
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".py":
            tree = ast.parse(path.read_text(encoding="utf-8"))
            found.update(
                node.value
                for node in ast.walk(tree)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            )
        elif path.suffix in _TEXT_SUFFIXES or path.name in ("Makefile",):
            for word in re.split(r"[\s`'\"=]+", path.read_text(encoding="utf-8", errors="ignore")):
                found.add(word)
    return tuple(sorted(v for v in found if 0 < len(v) <= 200 and "\n" not in v))
