"""The demo city: reproducible, and shaped like the city reports (long queues in some
districts, groups that cannot fill in others)."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
from sqlmodel import col, select

from tests.support import demo_use_cases
from tests.support.databases import BOTH, fresh_database
from waitlist.config import Settings
from waitlist.demo import already_seeded, seed_demo
from waitlist.demo_profiles import DISTRICT_PROFILE
from waitlist.domain.schedule import meeting_dates
from waitlist.holidays import holidays
from waitlist.reference import load_reference
from waitlist.services import applications
from waitlist.services.setup import load_reference_data
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.digest import digest
from waitlist.storage.tables import Application, Event, Group, Offer, Outbox, Staff
from waitlist.storage.uow import UnitOfWork

AS_OF = date(2026, 3, 2)


def _seed(path, seed: int, weeks: int = 8):
    return _seed_url(f"sqlite:///{path}", seed, weeks)


def _seed_url(url: str, seed: int, weeks: int = 8, seeder=seed_demo):
    engine = make_engine(url)
    create_schema(engine)
    load_reference_data(UnitOfWork(engine))
    summary = seeder(engine, Settings(), seed=seed, as_of=AS_OF, weeks=weeks)
    return engine, summary


def _fingerprint(engine) -> list[tuple]:
    with UnitOfWork(engine, readonly=True) as uow:
        apps = uow.session.exec(select(Application).order_by(Application.id)).all()
        groups = uow.session.exec(select(Group).order_by(Group.id)).all()
        return [
            (
                a.district,
                a.programme,
                a.queue_date,
                a.lottery,
                a.status,
                a.child_birth,
                tuple(a.languages),
                a.group_id,
            )
            for a in apps
        ] + [
            (g.district, g.programme, g.start, g.language, g.slot, g.taken, g.status)
            for g in groups
        ]


@pytest.mark.slow
def test_the_same_seed_gives_the_same_city_and_another_seed_another(tmp_path):
    one, summary = _seed(tmp_path / "a.db", 7)
    two, _ = _seed(tmp_path / "b.db", 7)
    three, _ = _seed(tmp_path / "c.db", 8)
    assert "applications" in summary
    assert _fingerprint(one) == _fingerprint(two)
    assert _fingerprint(one) != _fingerprint(three)
    # Every table alike (but for salted hashes and tokens), the audit log and notices too.
    assert digest(one).tables == digest(two).tables
    assert digest(one).counts["event"] > 0 and digest(one).counts["outbox"] > 0
    assert already_seeded(one)
    for engine in (one, two, three):
        engine.dispose()


@pytest.mark.slow
def test_the_demo_city_has_long_queues_in_some_districts_and_unfilled_groups_in_others(
    tmp_path,
):
    engine, _ = _seed(tmp_path / "city.db", 2026, weeks=30)
    with UnitOfWork(engine, readonly=True) as uow:
        waiting = Counter(
            a.district
            for a in uow.session.exec(
                select(Application).where(Application.status == "waiting")
            ).all()
        )
        groups = uow.session.exec(select(Group)).all()
        staff = uow.session.exec(select(Staff)).all()
        placed_elsewhere = uow.session.exec(
            select(Application, Group)
            .join(Offer, col(Offer.application_id) == col(Application.id))
            .join(Group, col(Group.id) == col(Offer.group_id))
            .where(Offer.status == "accepted", col(Offer.cross_district).is_(True))
        ).all()
    engine.dispose()

    def share(profile: str, status: str) -> float:
        mine = [
            g
            for g in groups
            if DISTRICT_PROFILE[g.district] == profile
            and g.status in ("running", "completed", "cancelled")
        ]
        return sum(g.status == status for g in mine) / max(1, len(mine))

    long_q = [waiting[d] for d, p in DISTRICT_PROFILE.items() if p == "long_queue"]
    unfilled = [waiting[d] for d, p in DISTRICT_PROFILE.items() if p == "cannot_fill"]
    assert sum(long_q) / len(long_q) > 2 * sum(unfilled) / len(unfilled)
    assert share("cannot_fill", "cancelled") > share("long_queue", "cancelled")
    assert {g.language for g in groups} >= {"sv", "ar", "so", "en"}
    assert {g.slot for g in groups} >= {"day", "evening"}
    assert {s.role for s in staff} == {"coordinator", "management"}
    assert sum(s.role == "coordinator" for s in staff) == 14
    assert all(s.password_hash.startswith("$argon2") for s in staff)

    # Parents of long-queue districts placed in neighbouring districts, within their limit.
    ref = load_reference()
    assert len(placed_elsewhere) >= 50
    for app, group in placed_elsewhere:
        assert app.cross_district and group.district in ref.neighbours[app.district]
        assert ref.travel_minutes[app.district][group.district] <= app.max_travel_minutes
    homes = Counter(DISTRICT_PROFILE[app.district] for app, _ in placed_elsewhere)
    hosts = Counter(DISTRICT_PROFILE[group.district] for _, group in placed_elsewhere)
    assert homes["long_queue"] > homes["cannot_fill"]
    assert hosts["cannot_fill"] > hosts["long_queue"]


# Every step of the year, so that the comparison below covers each of them.
YEAR_STEPS = {
    "applied", "group_created", "leader_assigned", "group_opened", "offer_made", "offered",
    "accepted", "enrolled", "declined", "offer_declined", "expired", "offer_expired", "paused",
    "group_started", "group_completed", "completed", "group_cancelled", "revoked",
    "offer_revoked", "withdrawn",
}  # fmt: skip


@pytest.mark.slow
@pytest.mark.parametrize("kind", BOTH)
def test_the_seeder_writes_what_the_use_cases_would_have_written(kind, tmp_path_factory):
    """The seeder plays the year in memory; the same year through the use cases (as the API
    runs them) must give the same rows in every table: audit events and notices too."""
    with (
        fresh_database(kind, tmp_path_factory) as fast_url,
        fresh_database(kind, tmp_path_factory) as reference_url,
    ):
        fast, summary = _seed_url(fast_url, 11, weeks=24)
        reference, expected = _seed_url(
            reference_url, 11, weeks=24, seeder=demo_use_cases.seed_demo
        )
        with UnitOfWork(fast, readonly=True) as uow:
            actions = set(uow.session.exec(select(Event.action)).all())
        found, wanted = digest(fast), digest(reference)
        fast.dispose()
        reference.dispose()
    assert summary == expected
    assert actions >= YEAR_STEPS
    assert found.counts == wanted.counts
    assert found.tables == wanted.tables


@pytest.mark.slow
def test_a_second_seeding_adds_a_year_beside_the_first(database_url):
    """`waitlist seed --demo --force`: the second year's rows follow the first's ids, no room
    holds two groups at once, and the use cases go on from there (on PostgreSQL the id
    sequences continue after the seeded rows)."""
    engine, _ = _seed_url(database_url, 3, weeks=10)
    with UnitOfWork(engine, readonly=True) as uow:
        first = len(uow.session.exec(select(Application.id)).all())
    seed_demo(engine, Settings(), seed=4, as_of=AS_OF, weeks=10)
    uow = UnitOfWork(engine, clock=lambda: datetime.combine(AS_OF, time(12), tzinfo=UTC))
    applied = applications.apply(
        uow,
        {
            "programme": "komet",
            "district": "farsta",
            "child_birth": "2018-05",
            "languages": ["sv"],
        },
    )
    with UnitOfWork(engine, readonly=True) as uow:
        ids = uow.session.exec(select(Application.id).order_by(col(Application.id))).all()
        held = uow.session.exec(
            select(Group).where(
                col(Group.status).in_(["planned", "recruiting", "running"]),
                col(Group.venue_id).is_not(None),
            )
        ).all()
    engine.dispose()
    assert len(ids) > first + 1 and ids == list(range(1, len(ids) + 1))
    assert applied.application.id == ids[-1]
    days = holidays()
    booked: dict[tuple, list[tuple[date, date]]] = {}
    for group in held:
        dates = meeting_dates(group.start, group.weekday, group.meetings or 1, days)
        booked.setdefault((group.venue_id, group.weekday, group.slot), []).append(
            (dates[0], dates[-1])
        )
    for spans in booked.values():
        spans.sort()
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_the_demo_years_notices_are_history_and_only_todays_wait_for_the_sender(tmp_path):
    engine, _ = _seed(tmp_path / "notices.db", 5)
    today = datetime.combine(AS_OF, time(0), tzinfo=UTC)
    with UnitOfWork(engine, readonly=True) as uow:
        rows = uow.session.exec(select(Outbox)).all()
    past = [r for r in rows if r.created_at.replace(tzinfo=UTC) < today]
    assert past and all(r.sent_at is not None for r in past)
    assert not any("token" in (r.payload or {}) for r in past)  # sent: no secret kept
    assert any(r.sent_at is None for r in rows)  # today's notices are still to be sent
    engine.dispose()
