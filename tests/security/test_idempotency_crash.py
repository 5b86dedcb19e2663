"""kill -9 during idempotent applies: every retry gets the original answer or makes the
application exactly once; no key stays stuck, no application is made twice, not even by a retry
after the 24-hour purge.

A real uvicorn server in a subprocess (SQLite and PostgreSQL) takes concurrent applies, each with
its own Idempotency-Key, and is killed with SIGKILL while they run, 20 times. Each time a new
server starts, the unanswered requests are retried (as a client would) on the same database.
The lease on a pending key is 1 s here, so retries wait for states, not for a fixed time.

Importing the app takes seconds on a loaded machine, so one helper process imports it once and
forks each server from there (`ZYGOTE`): every server is still its own process, killed for real.
"""

from __future__ import annotations

import os
import random
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, update
from sqlmodel import Session, func, select

from api.jobs import purge
from tests.support.api import application_body, build_city, free_port
from tests.support.databases import BOTH, fresh_database
from waitlist.storage.columns import utcnow
from waitlist.storage.idempotency import IdempotencyRecord
from waitlist.storage.tables import Application

ROOT = Path(__file__).resolve().parents[2]
KILLS = 20
CLIENTS = 4  # concurrent applies per server life
PATIENCE = 120.0  # seconds a state may take to come on a loaded machine (never a pass/fail time)


@dataclass
class Key:
    key: str
    contact: str
    first: dict[str, object] | None = None  # the answer, once one arrived
    tries: int = 0


@dataclass
class Crashes:
    url: str
    engine: Engine
    env: dict[str, str]
    keys: list[Key] = field(default_factory=list)


@pytest.fixture(params=BOTH)
def crashes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Crashes]:
    with fresh_database(request.param, tmp_path_factory) as url:
        city = build_city(url)
        env = os.environ | {
            "WAITLIST_DATABASE_URL": url,
            "WAITLIST_SECRET_KEY": secrets.token_urlsafe(48),  # the same for every server life
            "WAITLIST_JOBS_INTERVAL_SECONDS": "0",
            "WAITLIST_RATE_LIMIT_IP_PER_MINUTE": "0",
            "WAITLIST_RATE_LIMIT_TOKEN_PER_MINUTE": "0",
            "WAITLIST_COOKIE_SECURE": "false",
            "WAITLIST_IDEMPOTENCY_LEASE_SECONDS": "1",
        }
        try:
            yield Crashes(url=url, engine=city.engine, env=env)
        finally:
            city.engine.dispose()


# Reads a port per line, forks a uvicorn server on it, answers with the server's pid.
ZYGOTE = """
import os, signal, sys
import uvicorn
import api.main
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # servers killed with -9 are reaped at once
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        quiet = os.open(os.devnull, os.O_WRONLY)  # the pid line is the only output
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        uvicorn.run(api.main.create_app(), host="127.0.0.1", port=int(line), log_level="warning")
        os._exit(0)
    print(pid, flush=True)
"""


STARTED: list[int] = []


@dataclass
class Server:
    pid: int
    base: str

    def alive(self) -> bool:
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def kill(self) -> None:
        if self.alive():
            os.kill(self.pid, signal.SIGKILL)
        deadline = time.monotonic() + PATIENCE
        while self.alive() and time.monotonic() < deadline:  # wait for the state "gone"
            time.sleep(0.01)


@pytest.fixture
def zygote(crashes: Crashes) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", ZYGOTE],
        cwd=ROOT,
        env=crashes.env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield proc
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=PATIENCE)
        for pid in STARTED:  # none should be left; a failed test must not leave one running
            Server(pid, "").kill()
        STARTED.clear()


def _start(zygote: subprocess.Popen[str]) -> Server:
    assert zygote.stdin is not None and zygote.stdout is not None
    port = free_port()
    zygote.stdin.write(f"{port}\n")
    zygote.stdin.flush()
    server = Server(pid=int(zygote.stdout.readline()), base=f"http://127.0.0.1:{port}")
    STARTED.append(server.pid)
    deadline = time.monotonic() + PATIENCE
    while True:  # wait for the state "serving"
        try:
            if httpx.get(f"{server.base}/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if not server.alive() or time.monotonic() > deadline:
            server.kill()
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)


def _send(client: httpx.Client, key: Key) -> int | None:
    """One try of the key's apply; the status, or None if the server died under it."""
    key.tries += 1
    try:
        response = client.post(
            "/api/v1/applications",
            json=application_body(contact=key.contact),
            headers={"Idempotency-Key": key.key},
        )
    except httpx.HTTPError:
        return None
    if response.status_code == 201:
        answer = response.json()
        if key.first is None:
            key.first = answer
        else:  # a retry must give the original answer, byte for byte the same application
            assert answer == key.first, (key.key, answer, key.first)
    else:
        assert response.status_code == 409, response.text  # still in progress: retry later
        assert response.json()["code"] == "idempotency_in_progress", response.text
    return response.status_code


def _records(engine: Engine, state: str | None = None) -> int:
    with Session(engine) as session:
        query = select(func.count()).select_from(IdempotencyRecord)
        if state is not None:
            query = query.where(IdempotencyRecord.state == state)
        return int(session.exec(query).one())


def _new_keys(crashes: Crashes, count: int) -> list[Key]:
    made = []
    for _ in range(count):
        n = len(crashes.keys)
        made.append(Key(key=f"crash-{n}-{secrets.token_hex(8)}", contact=f"p{n}@example.org"))
        crashes.keys.append(made[-1])
    return made


def _one_life_then_kill(crashes: Crashes, zygote: subprocess.Popen[str], rng: random.Random) -> int:
    """One server life, killed mid-work; returns how many keys it left pending."""
    server = _start(zygote)
    try:
        with httpx.Client(base_url=server.base, timeout=PATIENCE) as client:
            for key in [k for k in crashes.keys if k.first is None]:
                _send(client, key)  # a retry of what the last life left unanswered
            before = _records(crashes.engine)
            fresh = _new_keys(crashes, CLIENTS)
            threads = [threading.Thread(target=_send, args=(client, k)) for k in fresh]
            for thread in threads:
                thread.start()
            # Kill once a random number of this life's keys are claimed: mid-work, that is.
            target = before + rng.randint(1, CLIENTS)
            deadline = time.monotonic() + PATIENCE
            while _records(crashes.engine) < target and time.monotonic() < deadline:
                if not any(t.is_alive() for t in threads):
                    break
                time.sleep(0.002)
            server.kill()
            for thread in threads:
                thread.join()
    finally:
        server.kill()
    return _records(crashes.engine, "pending")


def _applications_by_contact(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.exec(
            select(Application.contact, func.count()).group_by(Application.contact)
        ).all()
        return {str(contact): int(count) for contact, count in rows}


def test_kill_minus_nine_during_applies_never_duplicates_nor_sticks_a_key(
    crashes: Crashes, zygote: subprocess.Popen[str]
) -> None:
    rng = random.Random(13)
    left_pending = [_one_life_then_kill(crashes, zygote, rng) for _ in range(KILLS)]
    server = _start(zygote)
    try:
        with httpx.Client(base_url=server.base, timeout=PATIENCE) as client:
            deadline = time.monotonic() + PATIENCE
            while any(k.first is None for k in crashes.keys) and time.monotonic() < deadline:
                for key in [k for k in crashes.keys if k.first is None]:
                    _send(client, key)
            for key in crashes.keys:  # every key once more: the stored answer, replayed
                assert _send(client, key) == 201
            stuck = [k.key for k in crashes.keys if k.first is None]
            per_contact = _applications_by_contact(crashes.engine)
            duplicates = {c: n for c, n in per_contact.items() if n != 1}
            assert (stuck, duplicates) == ([], {}), (stuck, duplicates)
            assert set(per_contact) == {k.contact for k in crashes.keys}
            assert _records(crashes.engine, "pending") == 0
            # The purge a day later drops the answers but not the knowledge of the keys.
            with Session(crashes.engine) as session:
                session.execute(
                    update(IdempotencyRecord).values(created_at=utcnow() - timedelta(hours=25))
                )
                session.commit()
            purge(crashes.engine)
            late = client.post(
                "/api/v1/applications",
                json=application_body(contact=crashes.keys[0].contact),
                headers={"Idempotency-Key": crashes.keys[0].key},
            )
            assert late.status_code == 409, late.text
            assert late.json()["code"] == "idempotency_key_expired"
            assert _applications_by_contact(crashes.engine) == per_contact
    finally:
        server.kill()
    print(
        f"\n{KILLS} kill -9, {len(crashes.keys)} keys, {sum(k.tries for k in crashes.keys)} "
        f"requests; keys left pending by each kill: {left_pending}; stuck 0, duplicates 0"
    )
