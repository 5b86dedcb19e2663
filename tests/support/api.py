"""Helpers for the HTTP API tests: a small city in a fresh database, the app bound to it, a
real uvicorn server on 127.0.0.1, and the roles of the access matrix."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from api.main import create_app
from tests.support.databases import reference_database
from tests.support.passwords import quick_hash
from waitlist.config import Settings
from waitlist.services import groups
from waitlist.storage.tables import Staff
from waitlist.storage.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery"
HOME = "farsta"
OTHER = "skarpnack"


def _hash() -> str:
    return quick_hash(PASSWORD)


def settings_for(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": url,
        "jobs_interval_seconds": 0,
        "cookie_secure": True,
        "rate_limit_ip_per_minute": 0,
        "rate_limit_token_per_minute": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@dataclass
class City:
    url: str
    engine: Engine
    groups: dict[str, int] = field(default_factory=dict)

    def uow(self, actor: str = "test") -> UnitOfWork:
        return UnitOfWork(self.engine, actor=actor)


def build_city(url: str) -> City:
    """Reference data, three staff accounts, a recruiting group in each of two districts."""
    engine = reference_database(url)
    city = City(url=url, engine=engine)
    with Session(engine) as session:
        for username, role, district in (
            ("coord-home", "coordinator", HOME),
            ("coord-other", "coordinator", OTHER),
            ("manager", "management", None),
        ):
            # One argon2id hash for every account, cheap to check (tests.support.passwords).
            session.add(
                Staff(username=username, role=role, district=district, password_hash=_hash())
            )
        session.commit()
    for name, district in (("home", HOME), ("other", OTHER)):
        city.groups[name] = new_group(city, district)
    return city


def group_body(district: str = HOME, **extra: object) -> dict[str, object]:
    """A new Komet group in Swedish, evenings, starting in 90 days; its weekday follows from the
    start (`extra` overrides)."""
    body: dict[str, object] = {
        "programme": "komet",
        "district": district,
        "start": (date.today() + timedelta(days=90)).isoformat(),
        "slot": "evening",
        "language": "sv",
        "capacity": 8,
        "min_size": 4,
    }
    body.update(extra)
    return body


def new_group(city: City, district: str = HOME, capacity: int = 10) -> int:
    """A recruiting Komet group, Swedish, evenings, starting in 60 days (its weekday follows)."""
    start = (date.today() + timedelta(days=60)).isoformat()
    body = group_body(district, start=start, capacity=capacity, min_size=2)
    return groups.create_group(city.uow(), body).id


def application_body(district: str = HOME, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "programme": "komet",
        "district": district,
        "child_birth": f"{date.today().year - 6}-03",
        "languages": ["sv"],
        "slots": ["evening"],
        "cross_district": True,
        "max_travel_minutes": 60,
        "contact": "parent@example.org",
    }
    body.update(extra)
    return body


def apply(client: httpx.Client | TestClient, district: str = HOME) -> tuple[int, str]:
    response = client.post("/api/v1/applications", json=application_body(district))
    assert response.status_code == 201, response.text
    data = response.json()
    return data["application"]["id"], data["status_token"]


def login(client: httpx.Client | TestClient, username: str) -> str:
    response = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
"""The form's CSRF token in a page."""


def form_login(client: httpx.Client | TestClient, desk: str, username: str) -> None:
    """Sign in through a staff desk's login form (`/coordinator` or `/management`)."""
    token = CSRF.search(client.get(f"{desk}/login").text).group(1)
    done = client.post(
        f"{desk}/login",
        data={"csrf_token": token, "username": username, "password": PASSWORD},
    )
    assert done.status_code in (200, 303), done.text


def bearer(token: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"} if token else {}


@dataclass
class Roles:
    """A caller of each role of the access matrix, as request headers: parents A and B (A holds
    an offer in the home group), the coordinators of the home and the other district,
    management, and anonymous."""

    headers: dict[str, dict[str, str]]
    application_a: int
    offer_a: int


def offer_home_seat(
    client: httpx.Client | TestClient,
    city: City,
    application_id: int,
    coordinator: str,
    reason: str = "First in the queue.",
) -> httpx.Response:
    """The home coordinator (token `coordinator`) offers the application a seat in the home
    group, through the API."""
    return client.post(
        f"/api/v1/groups/{city.groups['home']}/offers",
        json={"application_id": application_id, "reason": reason},
        headers=bearer(coordinator),
    )


def every_role(city: City, client: TestClient) -> Roles:
    app_a, token_a = apply(client)
    _, token_b = apply(client)
    coord = login(client, "coord-home")
    offer = offer_home_seat(client, city, app_a, coord)
    assert offer.status_code == 201, offer.text
    headers = {
        "parent_a": bearer(token_a),
        "parent_b": bearer(token_b),
        "coord_own": bearer(coord),
        "coord_other": bearer(login(client, "coord-other")),
        "manager": bearer(login(client, "manager")),
        "anon": {},
    }
    return Roles(headers, app_a, offer.json()["id"])


class CityClient(TestClient):
    """An in-process client of an app shared by the tests of a process, pointed at this
    client's city and settings before each request (the app keeps no state of its own: the
    engine and the settings hang on `app.state`)."""

    def __init__(self, app: FastAPI, settings: Settings, engine: Engine) -> None:
        super().__init__(app, base_url="https://testserver", raise_server_exceptions=False)
        self._own = (settings, engine)

    def _point(self) -> None:
        self.app.state.settings, self.app.state.engine = self._own  # type: ignore[attr-defined]

    def request(self, *args: Any, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        self._point()
        return super().request(*args, **kwargs)

    def __enter__(self) -> CityClient:
        self._point()
        super().__enter__()
        return self


_APPS: dict[tuple[tuple[str, str], ...], FastAPI] = {}


def api_client(city: City, **overrides: object) -> TestClient:
    """An in-process client of the app bound to `city` (with `overrides` of its settings).

    Building an app's routes costs a fifth of a second of CPU on its first request, so the
    app is built once per set of overrides and shared."""
    settings = settings_for(city.url, **overrides)
    key = tuple(sorted((name, repr(value)) for name, value in overrides.items()))
    app = _APPS.get(key)
    if app is None:
        app = _APPS[key] = create_app(settings, city.engine)
    return CityClient(app, settings, city.engine)


@dataclass
class Served:
    city: City
    client: httpx.Client  # to the real server, with a generous timeout


@contextmanager
def served_city(url: str) -> Iterator[Served]:
    """The test city in the empty database at `url`, served by a real uvicorn on 127.0.0.1."""
    city = build_city(url)
    try:
        with uvicorn_server(url) as base, httpx.Client(base_url=base, timeout=60) as client:
            yield Served(city, client)
    finally:
        city.engine.dispose()


@contextmanager
def city_client(url: str, prepare: Callable[[City], None]) -> Iterator[tuple[City, TestClient]]:
    """The test city in the empty database at `url`, prepared, with an in-process client."""
    city = build_city(url)
    prepare(city)
    try:
        yield city, api_client(city)
    finally:
        city.engine.dispose()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def uvicorn_server(
    url: str, *, workers: int = 1, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run `uvicorn api.main:app` on 127.0.0.1 against `url`; yield its base URL."""
    port = free_port()
    environment = os.environ | {
        "WAITLIST_DATABASE_URL": url,
        "WAITLIST_JOBS_INTERVAL_SECONDS": "0",
        "WAITLIST_RATE_LIMIT_IP_PER_MINUTE": "0",
        "WAITLIST_RATE_LIMIT_TOKEN_PER_MINUTE": "0",
        "WAITLIST_COOKIE_SECURE": "false",
    }
    environment.update(env or {})
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "api.main:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    proc = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    with answering(proc, f"http://127.0.0.1:{port}") as base:
        yield base


@contextmanager
def answering(proc: subprocess.Popen[bytes], base: str) -> Iterator[str]:
    """Wait until the server process `proc` answers `/health` at `base` (or fail with its last
    error output if it dies first), yield `base`, then stop the process.

    The start-up wait is generous: on a loaded machine a server can take a minute to import."""
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"the server did not start: {err[-2000:]}")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
