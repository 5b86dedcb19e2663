""" "Erase my data" leaves no trace of the parent: not in a replayed idempotent answer, not in
free text staff wrote about them, and on SQLite not in the database file nor its WAL (the
bytes of both are searched for the erased contact and the name a coordinator typed).

Against a real uvicorn server, SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from tests.support.api import (
    City,
    Served,
    application_body,
    login,
    offer_home_seat,
    served_city,
)
from waitlist.storage.tables import Application, Event, Offer


@pytest.fixture(scope="module")
def served(module_database_url: str) -> Iterator[Served]:
    with served_city(module_database_url) as served:
        yield served


def _sqlite_bytes(city: City) -> bytes:
    path = Path(city.engine.url.database or "")
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_erasure_leaves_no_replay_no_note_and_no_copy_in_the_database_files(
    served: Served,
) -> None:
    client, city = served.client, served.city
    marker = secrets.token_hex(6)
    contact = f"erase.{marker}@example.org"
    name = f"Kim Parentsson {marker}"
    key = {"Idempotency-Key": f"erase-{marker}"}
    body = application_body(contact=contact)
    applied = client.post("/api/v1/applications", json=body, headers=key)
    assert applied.status_code == 201, applied.text
    app_id, token = applied.json()["application"]["id"], applied.json()["status_token"]
    coordinator = login(client, "coord-home")
    reason = f"Referred by the school: {name}."
    offered = offer_home_seat(client, city, app_id, coordinator, reason)
    assert offered.status_code == 201, offered.text
    if city.engine.dialect.name == "sqlite":
        assert contact.encode() in _sqlite_bytes(city)  # the search below can find it

    erased = client.delete("/api/v1/applications/me", headers={"Authorization": f"Bearer {token}"})
    assert erased.status_code == 200, erased.text

    replay = client.post("/api/v1/applications", json=body, headers=key)
    assert replay.status_code == 409, replay.text
    assert replay.json()["code"] == "idempotency_key_expired"
    assert str(body["child_birth"]) not in replay.text and "application" not in replay.json()
    with Session(city.engine) as session:
        assert session.exec(select(Application).where(Application.contact == contact)).all() == []
        reasons = [o.reason for o in session.exec(select(Offer)).all()]
        events = [json.dumps([e.before, e.after]) for e in session.exec(select(Event)).all()]
    assert not [text for text in reasons + events if marker in text]
    if city.engine.dialect.name == "sqlite":
        stored = _sqlite_bytes(city)
        assert contact.encode() not in stored
        assert marker.encode() not in stored
