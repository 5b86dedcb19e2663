"""The personal link goes to the contact address through the outbox, written by the apply use
case in its own transaction; the stored payload holds the token only until it is sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.support.api import City, api_client, application_body
from waitlist.domain.errors import DomainError
from waitlist.services import applications, outbox, parent_tokens, views
from waitlist.services.access import Actor
from waitlist.storage.notices import SentNotice
from waitlist.storage.tables import Outbox

BASE = "https://waitlist.example.org"


class Recorder:
    """A sender that keeps what it was handed, and writes the demo's view like the demo."""

    def __init__(self, failing: bool = False) -> None:
        self.failing = failing
        self.notices: list[outbox.Notice] = []

    def send(self, notice: outbox.Notice, session: Session) -> None:
        self.notices.append(notice)
        if self.failing:
            raise ConnectionError("provider down")
        outbox.DemoSender().send(notice, session)


def _rows(city: City, kind: str = "applied") -> list[Outbox]:
    with Session(city.engine) as session:
        return list(session.exec(select(Outbox).where(Outbox.kind == kind)).all())


def _token_anywhere(city: City, token: str) -> bool:
    with Session(city.engine) as session:
        payloads = [repr(r.payload) for r in session.exec(select(Outbox)).all()]
        kept = [n.message for n in session.exec(select(SentNotice)).all()]
    return any(token in text for text in payloads + kept)


def test_applying_with_a_contact_sends_the_personal_link_once_then_forgets_the_token(
    city: City,
) -> None:
    applied = applications.apply(city.uow(), application_body(contact="parent@example.org"))
    [row] = _rows(city)
    assert row.recipient == f"application:{applied.application.id}"
    assert row.payload == {"token": applied.token}  # needed until it is sent
    sender = Recorder()
    assert outbox.drain(city.engine, sender, base_url=BASE).sent == 1
    [notice] = sender.notices
    assert notice.contact == "parent@example.org"
    link = f"{BASE}/status/{applied.token}"
    assert link in notice.message
    found = applications.find_by_token(city.uow(), link.rsplit("/", 1)[1])
    assert found.id == applied.application.id  # the link sent is the parent's own
    [row] = _rows(city)
    assert row.sent_at is not None and row.payload == {}
    assert not _token_anywhere(city, applied.token)  # not in the outbox, not in the view
    with Session(city.engine) as session:
        kept = session.exec(select(SentNotice)).one()
    assert "personal link" in kept.message and "status/" not in kept.message
    assert outbox.drain(city.engine, Recorder(), base_url=BASE).sent == 0  # sent once


def test_applying_without_a_contact_sends_nothing(city: City) -> None:
    applications.apply(city.uow(), application_body(contact=None))
    assert _rows(city) == []


def test_a_refused_application_leaves_no_notice(city: City) -> None:
    with pytest.raises(DomainError):
        applications.apply(
            city.uow(), application_body(contact="p@example.org", district="atlantis")
        )
    assert _rows(city) == []


def test_erasing_before_the_notice_went_out_removes_the_token_and_the_contact(
    city: City,
) -> None:
    applied = applications.apply(city.uow(), application_body(contact="parent@example.org"))
    applications.erase(city.uow(), applied.application.id)
    assert [r.payload for r in _rows(city)] == [{}]
    sender = Recorder()
    outbox.drain(city.engine, sender, base_url=BASE)
    assert all(n.contact is None and applied.token not in n.message for n in sender.notices)
    assert not _token_anywhere(city, applied.token)


def test_a_new_link_removes_the_old_token_from_a_notice_not_sent_yet(city: City) -> None:
    applied = applications.apply(city.uow(), application_body(contact="parent@example.org"))
    parent_tokens.rotate(city.uow(), applied.application.id)
    assert not _token_anywhere(city, applied.token)


def test_a_notice_given_up_as_a_dead_letter_keeps_no_token(city: City) -> None:
    applied = applications.apply(city.uow(), application_body(contact="parent@example.org"))
    sender = Recorder(failing=True)
    for hours in range(outbox.MAX_ATTEMPTS):
        assert _rows(city)[0].payload  # kept while a retry may still deliver it
        later = datetime.now(UTC) + timedelta(hours=hours)  # past each retry delay
        outbox.send_pending(city.engine, sender, base_url=BASE, now=later)
    [row] = _rows(city)
    assert row.sent_at is None and row.attempts == outbox.MAX_ATTEMPTS
    assert row.payload == {} and not _token_anywhere(city, applied.token)


def test_the_parents_data_export_never_shows_the_token_of_a_pending_notice(city: City) -> None:
    applied = applications.apply(city.uow(), application_body(contact="parent@example.org"))
    actor = Actor(kind="parent", application_id=applied.application.id)
    data = views.export_data(city.uow(), actor)
    assert [n["kind"] for n in data["notices"]] == ["applied"]
    assert applied.token not in repr(data)


def test_the_api_apply_writes_the_same_notice(city: City) -> None:
    response = api_client(city).post("/api/v1/applications", json=application_body())
    assert response.status_code == 201, response.text
    token = response.json()["status_token"]
    assert [r.payload for r in _rows(city)] == [{"token": token}]
