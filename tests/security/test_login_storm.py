"""Password guessing against a real uvicorn server (SQLite and PostgreSQL): every login route
slows an attacking address down, the owner still gets in from their usual address, the pages
behind a status link are limited, and a small storm while parents apply answers no 5xx.

Each client speaks from its own loopback address (127.0.0.x), as different machines would.
The pauses are set far longer than any run (WAITLIST_LOGIN_BACKOFF_SECONDS), so the counts
asserted here do not depend on how fast the machine is.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from tests.support.api import application_body, uvicorn_server
from waitlist.services import setup, staff
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.tables import Staff
from waitlist.storage.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]

PASSWORD = "correct horse battery"
OWNER = "127.0.0.3"
SLOW_PAUSES = {
    "WAITLIST_LOGIN_BACKOFF_SECONDS": "3600",
    "WAITLIST_LOGIN_BACKOFF_MAX_SECONDS": "3600",
}


@pytest.fixture
def city_url(database_url: str) -> str:
    """The city's reference data and two coordinators, sharing one (slow) password hash."""
    engine = make_engine(database_url)
    create_schema(engine)
    setup.load_reference_data(UnitOfWork(engine))
    password_hash = staff.hash_password(PASSWORD)
    with Session(engine) as session:
        for username, district in (("coord-home", "farsta"), ("coord-other", "skarpnack")):
            session.add(
                Staff(
                    username=username,
                    role="coordinator",
                    district=district,
                    password_hash=password_hash,
                )
            )
        session.commit()
    engine.dispose()
    return database_url


def client_at(base: str, address: str) -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=base, transport=transport, timeout=60)


def api_login(client: httpx.Client, password: str, username: str = "coord-home") -> httpx.Response:
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def form_login(client: httpx.Client, password: str, username: str = "coord-home") -> httpx.Response:
    page = client.get("/coordinator/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    return client.post(
        "/coordinator/login",
        data={"username": username, "password": password, "csrf_token": token.group(1)},
        headers={"Accept": "text/html"},
        follow_redirects=False,
    )


def test_guesses_are_slowed_on_every_login_route_and_the_owner_still_gets_in(
    city_url: str,
) -> None:
    with uvicorn_server(city_url, env=SLOW_PAUSES) as base:
        with client_at(base, OWNER) as owner:
            assert api_login(owner, PASSWORD).status_code == 200  # the owner's usual address
        with client_at(base, "127.0.0.2") as attacker:
            api = [api_login(attacker, f"guess {i}") for i in range(12)]
            form = [form_login(attacker, f"guess {i}") for i in range(4)]
        assert [r.status_code for r in api] == [401] * 3 + [429] * 9
        assert all(int(r.headers["Retry-After"]) > 60 for r in api[3:])
        assert [r.status_code for r in form] == [429] * 4
        assert "Retry-After" in form[0].headers
        assert "Try again in" in form[0].text or "Försök igen om" in form[0].text
        # More addresses guess through the form, until the account is paused for strangers.
        for n in range(4, 9):
            with client_at(base, f"127.0.0.{n}") as other:
                statuses = [form_login(other, f"guess {i}").status_code for i in range(4)]
            assert statuses.count(422) <= 3  # the wrong-password form, shown again
        with client_at(base, "127.0.0.20") as stranger:
            assert api_login(stranger, PASSWORD).status_code == 429
        with client_at(base, OWNER) as owner:
            assert api_login(owner, PASSWORD).status_code == 200
            assert form_login(owner, PASSWORD).status_code == 303


def test_the_pages_of_a_status_link_are_limited(city_url: str) -> None:
    limits = {
        "WAITLIST_RATE_LIMIT_TOKEN_PER_MINUTE": "20",
        "WAITLIST_RATE_LIMIT_IP_PER_MINUTE": "0",
    }
    with uvicorn_server(city_url, env=limits) as base, client_at(base, "127.0.0.2") as parent:
        applied = parent.post("/api/v1/applications", json=application_body(cross_district=False))
        assert applied.status_code == 201, applied.text
        token = applied.json()["status_token"]
        pages = [f"/status/{token}", f"/status/{token}/data.json", f"/status/{token}/withdraw"]
        answers = [parent.get(pages[i % 3], headers={"Accept": "text/html"}) for i in range(90)]
    statuses = Counter(r.status_code for r in answers)
    # 20 a minute per link; a run crossing the turn of a minute may get a second 20.
    assert set(statuses) == {200, 429}
    assert 20 <= statuses[200] <= 40
    refused = next(r for r in answers if r.status_code == 429)
    assert int(refused.headers["Retry-After"]) >= 1


def test_a_small_login_storm_while_parents_apply_answers_no_5xx(city_url: str) -> None:
    statuses: Counter[int] = Counter()
    applied: list[int] = []
    lock = threading.Lock()

    def guess(address: str, api: bool) -> None:
        with client_at(base, address) as attacker:
            for i in range(15):
                answer = api_login(attacker, f"guess {i}") if api else form_login(attacker, "x")
                with lock:
                    statuses[answer.status_code] += 1

    def parents() -> None:
        with client_at(base, "127.0.0.30") as parent:
            for _ in range(10):
                answer = parent.post(
                    "/api/v1/applications", json=application_body(cross_district=False)
                )
                health = parent.get("/health")
                with lock:
                    applied.append(answer.status_code)
                    statuses[health.status_code] += 1

    with uvicorn_server(city_url, env=SLOW_PAUSES) as base:
        with client_at(base, OWNER) as owner:
            assert api_login(owner, PASSWORD).status_code == 200
        threads = [
            threading.Thread(target=guess, args=(f"127.0.0.{10 + n}", n % 2 == 0)) for n in range(4)
        ] + [threading.Thread(target=parents)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with client_at(base, OWNER) as owner:
            assert api_login(owner, PASSWORD).status_code == 200
    assert applied == [201] * 10
    # No server error; a guess that finds the process's password checks all taken is told
    # to try again (503 login_busy, charged nothing, checked nothing).
    assert not [status for status in statuses if status >= 500 and status != 503]
    # 4 addresses x 15 guesses: at most 3 checked from each, and 10 in all for the account
    # from addresses it never logged in from; the rest paused (or busy).
    checked = statuses[401] + statuses[422]
    assert 3 <= checked <= 10  # how many of the 10 depends on which attempts found it busy
    assert statuses[429] + statuses[503] == 60 - checked
