"""Under load, against a real uvicorn server on 127.0.0.1 (SQLite and PostgreSQL):

- a coordinator offers a 10-seat group's seats to 40 parents at the same moment, 20 times:
  never overbooked, never a server error;
- a parent accepts while the expiry job runs, 50 times: exactly one of them wins.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import httpx
import pytest
from sqlmodel import Session, func, select

from tests.support.api import (
    City,
    application_body,
    build_city,
    login,
    new_group,
    uvicorn_server,
)
from waitlist import bootstrap
from waitlist.config import Settings
from waitlist.domain.offer import OfferStatus
from waitlist.services import applications, expiry, offers
from waitlist.storage.tables import Application, Group, Offer

# A real two-worker server raced by threads.
pytestmark = pytest.mark.slow

SEATS = 10
PARENTS = 40
SEAT_TRIALS = 20
RACE_TRIALS = 50


@pytest.fixture(scope="module")
def served(module_database_url: str) -> Iterator[tuple[City, str]]:
    """One server (2 workers) and one database per module and database kind."""
    city = build_city(module_database_url)
    try:
        with uvicorn_server(module_database_url, workers=2) as base:
            yield city, base
    finally:
        city.engine.dispose()


def _parents(city: City, count: int) -> list[tuple[int, str]]:
    made = []
    for _ in range(count):
        result = applications.apply(city.uow(), application_body())
        made.append((result.application.id, result.token))
    return made


def _counts(city: City, group_id: int) -> tuple[int, int, int, int]:
    with Session(city.engine) as session:
        group = session.get(Group, group_id)
        assert group is not None
        enrolled = session.exec(
            select(func.count())
            .select_from(Application)
            .where(Application.group_id == group_id, Application.status == "enrolled")
        ).one()
        pending = session.exec(
            select(func.count())
            .select_from(Offer)
            .where(Offer.group_id == group_id, Offer.status == OfferStatus.PENDING)
        ).one()
        return group.capacity, group.taken, int(enrolled), int(pending)


def _offer_seats_at_once(
    client: httpx.Client, group_id: int, app_ids: list[int], staff: str
) -> list[int]:
    start = threading.Barrier(len(app_ids))

    def offer(app_id: int) -> int:
        start.wait()
        return client.post(
            f"/api/v1/groups/{group_id}/offers",
            json={"application_id": app_id, "reason": "Seats offered at the desk."},
            headers={"Authorization": f"Bearer {staff}"},
        ).status_code

    with ThreadPoolExecutor(max_workers=len(app_ids)) as pool:
        return list(pool.map(offer, app_ids))


@pytest.mark.slow
def test_forty_offers_racing_for_ten_seats_never_overbook(served: tuple[City, str]) -> None:
    city, base = served
    overbooked = server_errors = 0
    with httpx.Client(base_url=base, timeout=60) as client:
        staff = login(client, "coord-home")
        for _ in range(SEAT_TRIALS):
            group_id = new_group(city, capacity=SEATS)
            app_ids = [app_id for app_id, _ in _parents(city, PARENTS)]
            codes = _offer_seats_at_once(client, group_id, app_ids, staff)
            server_errors += sum(code >= 500 for code in codes)
            capacity, taken, enrolled, pending = _counts(city, group_id)
            overbooked += max(0, taken - capacity) + max(0, pending - capacity)
            assert taken == enrolled + pending
            assert codes.count(201) == pending == SEATS, codes
            assert set(codes) <= {201, 409}, codes
    assert (overbooked, server_errors) == (0, 0)


def _race(
    client: httpx.Client, city: City, settings: Settings, offer_id: int, token: str, day: date
) -> tuple[int, int]:
    """Accept (over HTTP) and run the expiry job as of `day` at the same moment."""
    start = threading.Barrier(2)
    result: dict[str, int] = {}

    def accept() -> None:
        start.wait()
        result["accept"] = client.post(
            f"/api/v1/offers/{offer_id}/accept", headers={"Authorization": f"Bearer {token}"}
        ).status_code

    def expire() -> None:
        start.wait()
        time.sleep(random.uniform(0, 0.04))  # vary who gets there first
        result["expired"] = expiry.run(
            bootstrap.uow_factory(city.engine, settings, actor="system:expiry", today=day)
        )

    threads = [threading.Thread(target=accept), threading.Thread(target=expire)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result["accept"], result["expired"]


def test_an_accept_racing_the_expiry_job_has_exactly_one_winner(
    served: tuple[City, str],
) -> None:
    city, base = served
    settings = Settings(database_url=city.url)
    today = date.today()
    # A group holds at most the programme's 12 places: one group per ten races.
    group_ids = [new_group(city, capacity=10) for _ in range(-(-RACE_TRIALS // 10))]
    outcomes = {"accepted": 0, "expired": 0}
    with httpx.Client(base_url=base, timeout=60) as client:
        for n, (app_id, token) in enumerate(_parents(city, RACE_TRIALS)):
            # Due today: the parent may still accept; the job, run as of tomorrow, expires it.
            group_id = group_ids[n // 10]
            offer = offers.make_offer(city.uow(), app_id, group_id, respond_by=today)
            accept_code, expired = _race(
                client, city, settings, offer.id, token, today + timedelta(days=1)
            )
            with Session(city.engine) as session:
                final = session.get(Offer, offer.id)
                assert final is not None
                status = final.status
            assert accept_code in (200, 409), accept_code
            accept_won, expiry_won = accept_code == 200, expired == 1
            assert accept_won != expiry_won, (accept_code, expired)
            assert status == ("accepted" if accept_won else "expired")
            outcomes[status] += 1
    counts = [_counts(city, g) for g in group_ids]
    taken, enrolled, pending = (sum(c[i] for c in counts) for i in (1, 2, 3))
    assert taken == enrolled + pending == outcomes["accepted"]
    assert sum(outcomes.values()) == RACE_TRIALS
    print(f"accept vs expiry, {RACE_TRIALS} races: {outcomes}")
