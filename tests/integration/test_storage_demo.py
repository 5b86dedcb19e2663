"""The demo city: reproducible, and shaped like the city reports (long queues in some
districts, groups that cannot fill in others)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlmodel import col, select

from waitlist.config import Settings
from waitlist.demo import already_seeded, seed_demo
from waitlist.demo_profiles import DISTRICT_PROFILE
from waitlist.reference import load_reference
from waitlist.services.setup import load_reference_data
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.digest import digest
from waitlist.storage.tables import Application, Group, Offer, Staff
from waitlist.storage.uow import UnitOfWork

AS_OF = date(2026, 3, 2)


def _seed(path, seed: int, weeks: int = 8):
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    load_reference_data(UnitOfWork(engine))
    summary = seed_demo(engine, Settings(), seed=seed, as_of=AS_OF, weeks=weeks)
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
