"""The log-in throttle as a service, on SQLite and PostgreSQL: guesses from one address are
slowed, the owner still gets in from their usual address, a paused attempt checks no
password, attempts sent at once cannot slip through together, and no write transaction is
open while a password is checked."""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.support.passwords import quick_hash
from waitlist.domain.login_throttle import Backoff
from waitlist.services import logins, staff
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.uow import UnitOfWork

PASSWORD = "the right password"
# Pauses far longer than any test run: whatever the machine's speed, a paused bucket stays
# paused, so the counts below are exact.
SLOW = logins.LoginPolicy(
    account=Backoff(free=3, base_seconds=3600, max_seconds=3600),
    wide=Backoff(free=10, base_seconds=3600, max_seconds=3600),
)


def _with_manager(url: str) -> Engine:
    """A new schema at `url` with one management account, `manager` (password PASSWORD)."""
    engine = make_engine(url)
    create_schema(engine)
    staff.create_staff(
        UnitOfWork(engine),
        {"username": "manager", "role": "management", "password": PASSWORD},
        password_hash=quick_hash(PASSWORD),
    )
    return engine


def _app_client(url: str, engine: Engine, **settings: Any) -> Any:
    """A test client of the whole application on `engine` (jobs off, plain-HTTP cookies,
    `settings` as given)."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from waitlist.config import Settings

    config = Settings(database_url=url, jobs_interval_seconds=0, cookie_secure=False, **settings)
    return TestClient(create_app(config, engine), base_url="http://127.0.0.1")


def _log_in_through(client: Any, route: str) -> Any:
    """`manager` logs in through `route`: the API's JSON, or the page's form as a browser
    sends it (the form brings its own token)."""
    from api.web import csrf

    if route.startswith("/api/"):
        return client.post(route, json={"username": "manager", "password": PASSWORD})
    form = client.get(route).text
    token = re.search(rf'name="{csrf.FIELD}" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    return client.post(
        route,
        data={"username": "manager", "password": PASSWORD, csrf.FIELD: token},
        follow_redirects=False,
    )


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = _with_manager(database_url)
    yield engine
    engine.dispose()


# Room for every attempt these tests send at once: the throttle's answers, never "busy".
ROOMY = logins.PasswordChecks(waiting=64)


def attempt(engine: Engine, password: str, address: str) -> logins.LoginResult:
    def make(*, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(engine, readonly=readonly)

    return logins.log_in(make, "manager", password, address, SLOW, checks=ROOMY)


def outcomes(results: list[logins.LoginResult]) -> list[str]:
    return ["paused" if r.throttled else "in" if r.staff else "wrong" for r in results]


def test_guesses_from_one_address_get_three_checks_then_a_pause(engine: Engine) -> None:
    results = [attempt(engine, f"guess {i}", "10.0.0.9") for i in range(6)]
    assert outcomes(results) == ["wrong"] * 3 + ["paused"] * 3
    assert all(r.retry_after > 3000 for r in results[3:])
    # Even the right password waits out the pause from that address.
    assert outcomes([attempt(engine, PASSWORD, "10.0.0.9")]) == ["paused"]


def test_the_owner_gets_in_from_their_usual_address_while_others_guess(engine: Engine) -> None:
    assert outcomes([attempt(engine, PASSWORD, "10.0.0.1")]) == ["in"]
    for attacker in range(5):  # 15 wrong guesses from 5 addresses: the account is paused
        for i in range(4):
            attempt(engine, f"guess {i}", f"10.0.1.{attacker}")
    assert outcomes([attempt(engine, PASSWORD, "10.0.0.1")]) == ["in"]
    # From an address the account never logged in from, the account-wide pause holds.
    assert outcomes([attempt(engine, PASSWORD, "10.0.0.2")]) == ["paused"]


def test_the_right_password_starts_the_count_afresh(engine: Engine) -> None:
    results = [attempt(engine, password, "10.0.0.3") for password in ("a", "b", PASSWORD)]
    results += [attempt(engine, password, "10.0.0.3") for password in ("c", "d", PASSWORD)]
    assert outcomes(results) == ["wrong", "wrong", "in", "wrong", "wrong", "in"]


def test_a_paused_attempt_checks_no_password(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = count_password_checks(monkeypatch)
    for i in range(10):
        attempt(engine, f"guess {i}", "10.0.0.4")
    assert len(checked) == 3


@pytest.mark.slow  # threads racing
def test_attempts_sent_at_once_cannot_slip_through_together(engine: Engine) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda i: attempt(engine, f"guess {i}", "10.0.0.5"), range(24)))
    assert outcomes(results).count("wrong") == 3
    assert outcomes(results).count("paused") == 21


def test_a_paused_address_is_refused_without_a_database_trip(engine: Engine) -> None:
    memory, opened = logins.PauseMemory(), []

    def make(*, readonly: bool = False) -> UnitOfWork:
        opened.append(readonly)
        return UnitOfWork(engine, readonly=readonly)

    results = [
        logins.log_in(make, "manager", f"guess {i}", "10.0.0.7", SLOW, memory=memory)
        for i in range(8)
    ]
    assert outcomes(results) == ["wrong"] * 3 + ["paused"] * 5
    assert len(opened) == 3 * 2  # a read and a claim for each checked guess, then nothing
    # Another process (no memory of the pause) finds it in the database.
    assert outcomes([attempt(engine, "guess", "10.0.0.7")]) == ["paused"]


def count_password_checks(
    monkeypatch: pytest.MonkeyPatch, during: Callable[[], None] = lambda: None
) -> list[str]:
    checked: list[str] = []
    real = staff.verify_password

    def counting(password: str, password_hash: str) -> bool:
        checked.append(password)
        during()
        return real(password, password_hash)

    monkeypatch.setattr(staff, "verify_password", counting)
    return checked


def _may_write(engine: Engine) -> bool:
    """Whether another connection can take SQLite's write lock right now (no waiting)."""
    conn = sqlite3.connect(engine.url.database or "", timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError:  # database is locked
        return False
    finally:
        conn.close()


def test_no_write_lock_is_held_while_a_password_is_checked(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # SQLite has one writer at a time: a log-in holding it through argon2 stalls every apply.
    engine = _with_manager(sqlite_url)
    writes: list[bool] = []

    def another_writer() -> None:
        writes.append(_may_write(engine))

    count_password_checks(monkeypatch, during=another_writer)
    attempt(engine, "wrong", "10.0.0.6")
    attempt(engine, PASSWORD, "10.0.0.6")
    assert writes == [True, True]
    engine.dispose()


@pytest.mark.parametrize("route", ["/api/v1/auth/login", "/management/login"])
def test_no_login_route_holds_the_write_lock_through_argon2(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    from pwdlib.hashers.argon2 import Argon2Hasher

    engine = _with_manager(sqlite_url)
    writes: list[bool] = []
    real = Argon2Hasher.verify

    def probing(self: Argon2Hasher, password: str | bytes, hash: str | bytes) -> bool:
        writes.append(_may_write(engine))
        return real(self, password, hash)

    monkeypatch.setattr(Argon2Hasher, "verify", probing)
    with _app_client(sqlite_url, engine) as client:
        answer = _log_in_through(client, route)
    assert answer.status_code in (200, 303)
    assert writes and all(writes)
    engine.dispose()


def test_a_login_finding_every_password_check_taken_is_busy_and_charged_nothing(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = count_password_checks(monkeypatch)
    checks = logins.PasswordChecks(waiting=0)

    def make(*, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(engine, readonly=readonly)

    with checks.turn() as mine:  # another log-in holds the one place
        assert mine
        busy = [
            logins.log_in(make, "manager", f"guess {i}", "10.0.0.8", SLOW, checks=checks)
            for i in range(5)
        ]
    assert all(r.busy and not r.throttled and r.staff is None for r in busy)
    assert {r.retry_after for r in busy} == {logins.BUSY_RETRY_SECONDS}
    assert checked == []
    # Nothing was charged: the address still has its three free attempts, then the owner's
    # right password gets in.
    after = [
        logins.log_in(make, "manager", p, "10.0.0.8", SLOW, checks=checks)
        for p in ("a", "b", PASSWORD)
    ]
    assert outcomes(after) == ["wrong", "wrong", "in"]


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="thread niceness is Linux's")
def test_a_password_is_checked_at_a_lower_priority_than_the_pages(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    checks = logins.PasswordChecks(niceness=5)
    count_password_checks(
        monkeypatch,
        during=lambda: seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id())),
    )

    def make(*, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(engine, readonly=readonly)

    result = logins.log_in(make, "manager", PASSWORD, "10.0.0.10", SLOW, checks=checks)
    assert result.staff is not None
    here = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert seen == [min(19, here + 5)]


@pytest.mark.parametrize("route", ["/api/v1/auth/login", "/management/login"])
def test_a_busy_login_route_says_when_to_try_again(
    database_url: str, monkeypatch: pytest.MonkeyPatch, route: str
) -> None:
    engine = _with_manager(database_url)
    checked = count_password_checks(monkeypatch)
    full = logins.PasswordChecks(waiting=0)
    monkeypatch.setattr(logins, "CHECKS", full)
    with _app_client(database_url, engine) as client:
        with full.turn():  # every place taken
            answer = _log_in_through(client, route)
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == str(logins.BUSY_RETRY_SECONDS)
        if route.startswith("/api/"):
            assert answer.json()["code"] == "login_busy"
        else:
            said = ("Many log-ins are being checked right now", "Många inloggningar kontrolleras")
            assert any(words in answer.text for words in said)
            assert 'name="username"' in answer.text  # the form again, to send once more
        assert checked == []
        # Once a place is free the same log-in works.
        assert _log_in_through(client, route).status_code in (200, 303)
    engine.dispose()


def test_health_answers_while_every_thread_of_the_pool_waits_on_a_password(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = _with_manager(sqlite_url)
    checking, release = threading.Event(), threading.Event()
    count_password_checks(monkeypatch, during=lambda: (checking.set(), release.wait(60)))
    with _app_client(sqlite_url, engine, worker_threads=1) as client:
        body = {"username": "manager", "password": PASSWORD}
        with ThreadPoolExecutor(max_workers=2) as side:
            login = side.submit(client.post, "/api/v1/auth/login", json=body)
            assert checking.wait(60)  # the pool's one thread now waits for the check
            health = side.submit(client.get, "/health")
            try:  # a /health that needed a thread would wait for the check (released below)
                assert health.result(timeout=60).json() == {"status": "ok"}
            finally:
                release.set()
            assert login.result().status_code == 200
    engine.dispose()
