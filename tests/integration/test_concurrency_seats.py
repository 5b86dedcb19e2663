"""Rule 3 under concurrency: 40 parents accept a seat in a 10-seat group at the same moment,
20 times over, on SQLite and on PostgreSQL. Never overbooked; no 'database is locked' (or any
other database error) reaches a caller: each gets a seat or a clear 'no seat left'."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.support.foundation import World, new_world
from waitlist.domain.errors import NoSeatLeft
from waitlist.services import applications, offers
from waitlist.storage.tables import Application, Group, Offer

# Threads racing for the same seats.
pytestmark = pytest.mark.slow

PARENTS, SEATS, TRIALS = 40, 10, 20


def _prepare(world: World) -> tuple[int, list[int]]:
    group_id = world.group(capacity=SEATS, min_size=1)
    with world.uow() as uow:
        ids = [
            applications.apply(
                uow,
                {
                    "programme": "komet",
                    "district": "farsta",
                    "child_birth": "2019-05",
                    "languages": ["sv"],
                },
            ).application.id
            for _ in range(PARENTS)
        ]
        uow.commit()
    return group_id, ids


def _race(world: World, group_id: int, ids: list[int]) -> Counter[str]:
    barrier = threading.Barrier(len(ids))

    def accept(app_id: int) -> str:
        barrier.wait()
        try:
            offers.accept_seat(world.uow(), app_id, group_id, reason="Enrolled at the desk.")
            return "seat"
        except NoSeatLeft:
            return "no seat left"
        except Exception as exc:  # anything else reaching a caller is a failure
            return f"error: {type(exc).__name__}: {str(exc).splitlines()[0][:80]}"

    with ThreadPoolExecutor(max_workers=len(ids)) as pool:
        return Counter(pool.map(accept, ids))


@pytest.mark.slow
def test_forty_concurrent_accepts_never_overbook_a_ten_seat_group(database_url, capsys):
    world = new_world(database_url)
    totals: Counter[str] = Counter()
    overbooked = 0
    try:
        for _ in range(TRIALS):
            group_id, ids = _prepare(world)
            outcome = _race(world, group_id, ids)
            totals.update(outcome)
            with world.uow(readonly=True) as uow:
                taken = uow.session.get(Group, group_id).taken
                enrolled = uow.session.exec(
                    select(func.count())
                    .select_from(Application)
                    .where(Application.group_id == group_id, Application.status == "enrolled")
                ).one()
                accepted = uow.session.exec(
                    select(func.count())
                    .select_from(Offer)
                    .where(Offer.group_id == group_id, Offer.status == "accepted")
                ).one()
            overbooked += max(0, taken - SEATS) + max(0, enrolled - SEATS)
            assert taken == enrolled == accepted == outcome["seat"] == SEATS, outcome
    finally:
        world.engine.dispose()
    errors = {k: v for k, v in totals.items() if k.startswith("error")}
    locked = sum(v for k, v in errors.items() if "locked" in k)
    with capsys.disabled():
        print(
            f"\n[{world.engine.dialect.name}] {TRIALS} trials x {PARENTS} concurrent accepts on "
            f"{SEATS} seats: seats taken {totals['seat']}, refused 'no seat left' "
            f"{totals['no seat left']}, overbooked {overbooked}, 'database is locked' {locked}, "
            f"other errors {sum(errors.values()) - locked}"
        )
    assert overbooked == 0
    assert errors == {}
    assert totals["seat"] == TRIALS * SEATS
    assert totals["no seat left"] == TRIALS * (PARENTS - SEATS)


def test_concurrent_offers_and_a_cancellation_leave_no_seat_in_a_cancelled_group(database_url):
    from waitlist.domain.errors import IllegalTransition
    from waitlist.services import groups

    world = new_world(database_url)
    try:
        group_id, ids = _prepare(world)
        barrier = threading.Barrier(len(ids[:8]) + 1)

        def offer(app_id: int) -> str:
            barrier.wait()
            try:
                offers.make_offer(world.uow(), app_id, group_id)
                return "offered"
            except (NoSeatLeft, IllegalTransition):
                return "refused"

        def cancel() -> str:
            barrier.wait()
            groups.cancel_group(world.uow(), group_id, "test")
            return "cancelled"

        with ThreadPoolExecutor(max_workers=9) as pool:
            futures = [pool.submit(offer, i) for i in ids[:8]] + [pool.submit(cancel)]
            results = [f.result() for f in futures]
        assert "cancelled" in results
        with world.uow(readonly=True) as uow:
            assert uow.session.get(Group, group_id).taken == 0
            pending = uow.session.exec(
                select(Offer).where(Offer.group_id == group_id, Offer.status == "pending")
            ).all()
        assert pending == []
    finally:
        world.engine.dispose()


def test_parents_and_a_coordinator_racing_keep_the_seats_and_offers_consistent(database_url):
    """Accepts, declines, withdrawals, the expiry job and a cancellation at the same moment:
    only clear refusals reach callers, and the books balance afterwards."""
    import random
    from datetime import timedelta

    from waitlist.domain.errors import DomainError
    from waitlist.services import groups
    from waitlist.storage.uow import UnitOfWork

    world = new_world(database_url)
    rng = random.Random(42)
    failures: list[str] = []
    try:
        for trial in range(6):
            group_id, ids = _prepare(world)
            offered = ids[:8]
            made = [offers.make_offer(world.uow(), a, group_id).id for a in offered[:SEATS]]
            late = world.clock.now + timedelta(days=world.rules.offer_response_days + 1)
            jobs = [(lambda o=o: offers.accept_offer(world.uow(), o)) for o in made[:5]]
            jobs += [(lambda o=o: offers.decline_offer(world.uow(), o, "time")) for o in made[5:]]
            jobs += [(lambda a=a: applications.withdraw(world.uow(), a)) for a in offered[2:6]]
            jobs.append(
                lambda late=late: offers.expire_offers(
                    UnitOfWork(world.engine, clock=lambda t=late: t, rules=world.rules)
                )
            )
            if trial % 2 == 0:
                jobs.append(lambda g=group_id: groups.cancel_group(world.uow(), g, "test"))
            rng.shuffle(jobs)
            barrier = threading.Barrier(len(jobs))

            def run(job, barrier=barrier):  # type: ignore[no-untyped-def]
                barrier.wait()
                try:
                    job()
                except DomainError:
                    pass
                except Exception as exc:  # anything else reaching a caller is a failure
                    failures.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}")

            with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
                list(pool.map(run, jobs))
            with world.uow(readonly=True) as uow:
                group = uow.session.get(Group, group_id)
                members = uow.session.exec(
                    select(func.count())
                    .select_from(Application)
                    .where(Application.group_id == group_id, Application.status == "enrolled")
                ).one()
                pending = uow.session.exec(
                    select(Offer).where(Offer.group_id == group_id, Offer.status == "pending")
                ).all()
                offered_apps = uow.session.exec(
                    select(Application).where(Application.status == "offered")
                ).all()
            assert group.taken == members + len(pending) <= group.capacity
            assert len({o.application_id for o in pending}) == len(pending)
            if group.status == "cancelled":
                assert group.taken == 0
            pending_apps = {o.application_id for o in pending}
            assert all(a.id in pending_apps for a in offered_apps if a.id in ids)
    finally:
        world.engine.dispose()
    assert failures == []
