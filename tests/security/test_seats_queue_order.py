"""Queue jumping: no parent request places a parent ahead of the queue (rule 9).

Against a real uvicorn server on the demo city (SQLite and PostgreSQL): in every queue, the
last waiting parent tries every way a parent's token reaches a seat, in every group of their
programme with a free seat. Not one attempt may succeed, and no seat may move. A coordinator
enrolling or offering directly must give a reason, and the reason lands in the audit log.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from tests.support.api import uvicorn_server
from waitlist.config import Settings
from waitlist.demo import seed_demo
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.services import parent_tokens, queues
from waitlist.services.setup import load_reference_data
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.tables import Application, Event, Group, Offer
from waitlist.storage.uow import UnitOfWork

DEMO_WEEKS = 6


@dataclass
class Demo:
    engine: Engine
    base: str


@pytest.fixture(scope="module")
def demo(module_database_url: str) -> Iterator[Demo]:
    engine = make_engine(module_database_url)
    create_schema(engine)
    load_reference_data(UnitOfWork(engine))
    seed_demo(engine, Settings(), seed=2026, as_of=date.today(), weeks=DEMO_WEEKS)
    try:
        with uvicorn_server(module_database_url) as base:
            yield Demo(engine=engine, base=base)
    finally:
        engine.dispose()


def _seats(engine: Engine) -> dict[int, int]:
    with Session(engine) as session:
        return {g.id or 0: g.taken for g in session.exec(select(Group)).all()}


def _placed(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Offer.id)).all())


def _last_in_each_queue(engine: Engine) -> list[tuple[str, str, int]]:
    with Session(engine) as session:
        pairs = sorted(
            set(
                session.exec(
                    select(Application.district, Application.programme).where(
                        Application.status == "waiting"
                    )
                ).all()
            )
        )
    last = []
    for district, programme in pairs:
        entries = list(queues.queue_of(UnitOfWork(engine, readonly=True), district, programme))
        if len(entries) >= 2:  # somebody is ahead of the last one
            last.append((district, programme, entries[-1].application_id))
    return last


def _free_groups(engine: Engine, programme: str) -> list[int]:
    with Session(engine) as session:
        rows = session.exec(
            select(Group).where(
                Group.programme == programme,
                col(Group.status).in_([s.value for s in OFFERABLE_STATUSES]),
            )
        ).all()
        return [g.id or 0 for g in rows if g.taken < g.capacity]


def test_no_parent_takes_a_seat_out_of_queue_order_in_any_queue_of_the_demo_city(
    demo: Demo,
) -> None:
    before_seats, before_offers = _seats(demo.engine), _placed(demo.engine)
    queues_tried: set[tuple[str, str]] = set()
    attempts = successes = server_errors = 0
    with httpx.Client(base_url=demo.base, timeout=60) as client:
        for district, programme, app_id in _last_in_each_queue(demo.engine):
            token = parent_tokens.rotate(UnitOfWork(demo.engine), app_id).token
            headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": f"k-{app_id}"}
            for group_id in _free_groups(demo.engine, programme):
                queues_tried.add((district, programme))
                for path, body in (
                    ("/api/v1/offers/seats", {"group_id": group_id}),
                    (f"/api/v1/groups/{group_id}/offers", {"application_id": app_id}),
                    (
                        f"/api/v1/groups/{group_id}/offers",
                        {"application_id": app_id, "reason": "I was here first."},
                    ),
                ):
                    response = client.post(path, json=body, headers=headers)
                    attempts += 1
                    successes += response.is_success
                    server_errors += response.status_code >= 500
    assert len(queues_tried) >= 10, queues_tried  # the demo city has many queues with seats
    assert (successes, server_errors) == (0, 0), attempts
    assert _seats(demo.engine) == before_seats
    assert _placed(demo.engine) == before_offers
    print(f"\n{len(queues_tried)} queues, {attempts} attempts, {successes} seats taken")


def _coordinator(client: httpx.Client, district: str) -> dict[str, str]:
    response = client.post(
        "/api/v1/auth/login",
        json={"username": f"coordinator-{district}", "password": "demo-password"},
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_a_coordinator_offering_a_seat_directly_must_say_why_and_the_audit_log_keeps_it(
    demo: Demo,
) -> None:
    with Session(demo.engine) as session:
        groups = session.exec(
            select(Group).where(col(Group.status).in_([s.value for s in OFFERABLE_STATUSES]))
        ).all()
    free = [(g.id, g.district, g.programme) for g in groups if g.taken < g.capacity]
    made = None
    with httpx.Client(base_url=demo.base, timeout=60) as client:
        for group_id, district, programme in free:
            headers = _coordinator(client, district)
            path = f"/api/v1/groups/{group_id}/offers"
            queue = queues.queue_of(UnitOfWork(demo.engine, readonly=True), district, programme)
            for entry in queue[:3]:
                for blank in ({"application_id": entry.application_id}, {"reason": " "}):
                    body = {"application_id": entry.application_id} | blank
                    refused = client.post(path, json=body, headers=headers)
                    assert refused.status_code == 422, refused.text
                    assert refused.json()["field"].split(".")[-1] == "reason"
                body = {"application_id": entry.application_id, "reason": "Urgent referral."}
                response = client.post(path, json=body, headers=headers)
                assert response.status_code in (201, 409, 422), response.text
                if response.status_code == 201:
                    made = response.json()
                    break
            if made is not None:
                break
    assert made is not None, "no seat in the demo city fitted the first in its queue"
    with Session(demo.engine) as session:
        event = session.exec(
            select(Event).where(
                Event.entity == "offer",
                Event.entity_id == str(made["id"]),
                Event.action == "offer_made",
            )
        ).one()
    assert event.after is not None and event.after["reason"] == "Urgent referral."
    assert event.actor.startswith("coordinator:")
