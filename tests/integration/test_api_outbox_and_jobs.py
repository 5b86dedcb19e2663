"""The outbox sender and the server's jobs: notices are sent once, retried on failure, never
lost; only one worker runs the expiry at a time (PostgreSQL advisory lock)."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session, col, func, select

from api import jobs
from tests.support.api import City, application_body, settings_for
from waitlist.config import Settings
from waitlist.services import applications, offers, outbox
from waitlist.storage.notices import SentNotice
from waitlist.storage.tables import Offer, Outbox


def _offer(city: City, respond_by: date | None = None, group: str = "home") -> int:
    # No contact: the only notice is the offer's (a contact adds the personal-link notice).
    applied = applications.apply(city.uow(), application_body(contact=None))
    offer = offers.make_offer(
        city.uow(), applied.application.id, city.groups[group], respond_by=respond_by
    )
    return offer.id


def _count(city: City, model: type) -> int:
    with Session(city.engine) as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


class FlakySender:
    """Fails the first `failures` sends, then delivers through the demo sender."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.seen: list[int] = []

    def send(self, notice: outbox.Notice, session: Session) -> None:
        self.seen.append(notice.outbox_id)
        if self.failures > 0:
            self.failures -= 1
            raise ConnectionError("provider down")
        outbox.DemoSender().send(notice, session)


def test_every_notice_is_sent_once_and_a_second_run_sends_nothing(city: City) -> None:
    for _ in range(3):
        _offer(city)
    first = outbox.drain(city.engine, outbox.DemoSender())
    again = outbox.drain(city.engine, outbox.DemoSender())
    assert (first.sent, again.sent) == (3, 0)
    assert _count(city, SentNotice) == 3
    with Session(city.engine) as session:
        sent = session.exec(select(SentNotice)).all()
        assert all("answer by" in n.message for n in sent)
        assert all("@" not in n.message for n in sent)  # no contact in the local view


def _hours_later(hours: int) -> datetime:
    """The job clock `hours` from now: past any retry delay (at most an hour)."""
    return datetime.now(UTC) + timedelta(hours=hours)


def test_a_failed_send_is_kept_and_retried_until_it_goes_through(city: City) -> None:
    _offer(city)
    sender = FlakySender(failures=2)
    reports = [outbox.send_pending(city.engine, sender, now=_hours_later(i)) for i in range(3)]
    assert [(r.sent, r.failed) for r in reports] == [(0, 1), (0, 1), (1, 0)]
    with Session(city.engine) as session:
        row = session.exec(select(Outbox)).one()
        assert row.sent_at is not None and row.attempts == 3 and row.last_error is None
    assert _count(city, SentNotice) == 1


def test_a_failed_send_waits_for_its_next_attempt_time_doubling_each_time(city: City) -> None:
    _offer(city)
    sender = FlakySender(failures=100)
    start = datetime.now(UTC)
    waits = []
    for attempt in range(1, 5):
        with Session(city.engine) as session:
            due = session.exec(select(Outbox)).one().next_attempt_at or start
        if attempt > 1:  # not before it is due: a run a second early sends nothing
            assert not outbox.send_pending(city.engine, sender, now=due - timedelta(seconds=1))
        assert outbox.send_pending(city.engine, sender, now=due).failed == 1
        with Session(city.engine) as session:
            row = session.exec(select(Outbox)).one()
        assert row.attempts == attempt and row.next_attempt_at is not None
        waits.append(row.next_attempt_at - due)
    assert waits == [timedelta(minutes=m) for m in (1, 2, 4, 8)]


def test_a_notice_that_keeps_failing_stops_at_the_attempt_limit_and_stays_visible(
    city: City,
) -> None:
    _offer(city)
    sender = FlakySender(failures=100)
    for i in range(outbox.MAX_ATTEMPTS + 2):
        outbox.send_pending(city.engine, sender, now=_hours_later(i))
    assert len(sender.seen) == outbox.MAX_ATTEMPTS
    with Session(city.engine) as session:
        row = session.exec(select(Outbox)).one()
        assert row.sent_at is None and row.last_error == "ConnectionError"
        assert row.dead_at is not None and row.next_attempt_at is None


def test_a_paced_drain_told_to_stop_starts_no_further_batch(city: City) -> None:
    for _ in range(3):
        _offer(city)
    stopping = threading.Event()
    stopping.set()  # the server stops while the first batch is sent
    first = outbox.drain(city.engine, outbox.DemoSender(), batch=2, rest=2.0, stop=stopping)
    rest = outbox.drain(city.engine, outbox.DemoSender(), batch=2, rest=2.0)
    assert (first.sent, rest.sent) == (2, 1)
    assert _count(city, SentNotice) == 3


@pytest.mark.slow  # threads racing
def test_workers_draining_at_once_never_send_a_notice_twice(city: City) -> None:
    for i in range(12):
        _offer(city, group="home" if i % 2 else "other")
    start = threading.Barrier(4)

    def work(_: int) -> int:
        start.wait()
        return outbox.drain(city.engine, outbox.DemoSender()).sent

    with ThreadPoolExecutor(max_workers=4) as pool:
        sent = sum(pool.map(work, range(4)))
    assert sent == 12
    assert _count(city, SentNotice) == 12


def test_an_erased_parent_gets_no_contact_looked_up(city: City) -> None:
    applied = applications.apply(city.uow(), application_body())
    offers.make_offer(city.uow(), applied.application.id, city.groups["home"])
    applications.erase(city.uow(), applied.application.id)
    seen: list[str | None] = []

    class Recorder:
        def send(self, notice: outbox.Notice, session: Session) -> None:
            seen.append(notice.contact)

    outbox.drain(city.engine, Recorder())
    assert seen and all(contact is None for contact in seen)


def test_the_job_tick_expires_overdue_offers_and_sends_the_notices(city: City) -> None:
    offer_id = _offer(city, respond_by=date.today())
    settings = Settings(database_url=city.url)
    jobs.tick(city.engine, settings)  # not overdue yet: nothing expires
    with Session(city.engine) as session:
        assert session.get(Offer, offer_id).status == "pending"  # type: ignore[union-attr]
    jobs.expire_offers(city.engine, settings, today=date.today() + timedelta(days=1))
    with Session(city.engine) as session:
        assert session.get(Offer, offer_id).status == "expired"  # type: ignore[union-attr]
    assert _count(city, SentNotice) >= 1


@pytest.mark.slow  # a subprocess server
def test_a_serving_app_sends_notices_from_its_jobs_child_and_ends_it_on_stopping(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The web process sends nothing itself (a round's notices take seconds of CPU): the
    # child it starts (api.jobs_worker) sends them, with the app's own settings.
    def not_here(*args: object, **kwargs: object) -> outbox.SendReport:
        raise AssertionError("the web process drained the outbox")

    monkeypatch.setattr(outbox, "drain", not_here)
    applications.apply(city.uow(), application_body())
    settings = settings_for(city.url, jobs_interval_seconds=1)

    def unsent() -> int:
        with Session(city.engine) as session:
            waiting = select(func.count()).where(col(Outbox.sent_at).is_(None))
            return int(session.exec(waiting).one())

    async def serve() -> None:
        assert unsent() >= 1
        async with jobs.running(city.engine, settings):
            while unsent():
                await asyncio.sleep(0.1)  # polled until sent, however long it takes

    # In a thread of its own: a browser test before this one in the same process may have left
    # its event loop running in this thread. The timeout is a bound on a hang, not a measure.
    with ThreadPoolExecutor(1) as own:
        own.submit(asyncio.run, asyncio.wait_for(serve(), timeout=600)).result()
    assert _count(city, SentNotice) >= 1


@pytest.mark.postgres
def test_only_one_worker_holds_the_expiry_lock_at_a_time(postgres_url: str) -> None:
    from waitlist.storage.db import make_engine

    engine = make_engine(postgres_url)
    try:
        with jobs.singleton(engine) as first, jobs.singleton(engine) as second:
            assert (first, second) == (True, False)
        with jobs.singleton(engine) as again:
            assert again is True  # released on exit
    finally:
        engine.dispose()


def test_a_notice_whose_attachment_fails_is_retried_and_holds_up_no_other(
    city: City, monkeypatch: pytest.MonkeyPatch
) -> None:
    from waitlist.services import notice_texts

    def broken(session: Session, payload: dict, language: str) -> list:  # type: ignore[type-arg]
        raise ValueError("no calendar")

    monkeypatch.setitem(notice_texts.ATTACHMENTS, "offer_made", broken)
    applications.apply(city.uow(), application_body())  # an "applied" notice: no attachment
    _offer(city)
    report = outbox.send_pending(city.engine, outbox.DemoSender())
    assert report.sent == 1  # the other notice went out
    with Session(city.engine) as session:
        row = session.exec(select(Outbox).where(Outbox.kind == "offer_made")).one()
    assert row.sent_at is None and row.last_error == "compose ValueError"
    assert row.attempts == 1 and row.next_attempt_at is not None
    monkeypatch.delitem(notice_texts.ATTACHMENTS, "offer_made")
    assert outbox.send_pending(city.engine, outbox.DemoSender(), now=_hours_later(1)).sent == 1
