"""Random sequences of apply / offer / accept / decline / expire / withdraw / cancel group /
start group / complete group, with the invariants checked after every step:

- taken <= capacity, and taken = enrolled (or completed) members + pending offers;
- queue dates and lottery numbers never change (declines, expiries, cancellations);
- at most one pending offer per application, and 'offered' exactly when it has one;
- every queue is in (queue date, lottery) order.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlmodel import col, select

from tests.support.databases import BOTH
from tests.support.foundation import START, World, new_world
from waitlist.domain.errors import DomainError
from waitlist.domain.policy import Rules
from waitlist.services import applications, groups, offers, queues
from waitlist.storage.tables import Application, Group, Offer

DISTRICTS = ["farsta", "skarpnack"]


class WaitlistMachine(RuleBasedStateMachine):
    world: World

    def __init__(self) -> None:
        super().__init__()
        self.apps: dict[int, tuple] = {}  # id -> (queue_date, lottery)
        self.groups: list[int] = []
        self.outcomes: Counter[str] = Counter()

    @initialize()
    def a_district_with_parents_and_groups(self) -> None:
        self.world.clock.now = START
        for district, languages in [
            ("farsta", ["sv"]),
            ("farsta", ["sv", "ar"]),
            ("skarpnack", ["sv"]),
            ("farsta", ["sv"]),
        ]:
            a = self.world.apply(
                district=district, languages=languages, cross_district=True, max_travel_minutes=30
            ).application
            self.apps[a.id] = (a.queue_date, a.lottery)
        for district, capacity, min_size in [("farsta", 2, 1), ("skarpnack", 3, 2)]:
            self.groups.append(
                self.world.group(district=district, capacity=capacity, min_size=min_size)
            )

    def _try(self, name: str, action) -> None:  # type: ignore[no-untyped-def]
        try:
            action()
            self.outcomes[name] += 1
        except DomainError as exc:
            self.outcomes[f"{name} refused: {exc.code}: {exc.message[:40]}"] += 1

    def _pick(self, items: list[int], index: int) -> int:
        return items[index % len(items)]

    @rule(
        district=st.sampled_from(DISTRICTS),
        arabic=st.booleans(),
        cross=st.booleans(),
        evening_only=st.booleans(),
    )
    def apply(self, district: str, arabic: bool, cross: bool, evening_only: bool) -> None:
        a = self.world.apply(
            district=district,
            languages=["sv", "ar"] if arabic else ["sv"],
            slots=["evening"] if evening_only else [],
            cross_district=cross,
            max_travel_minutes=30 if cross else 0,
        ).application
        self.apps[a.id] = (a.queue_date, a.lottery)

    @rule(
        capacity=st.integers(1, 4),
        min_extra=st.integers(0, 3),
        district=st.sampled_from(DISTRICTS),
        language=st.sampled_from(["sv", "ar"]),
        slot=st.sampled_from(["evening", "day"]),
        planned=st.booleans(),
    )
    def create_group(self, capacity, min_extra, district, language, slot, planned) -> None:
        gid = self.world.group(
            capacity=capacity,
            min_size=max(1, capacity - min_extra),
            district=district,
            language=language,
            slot=slot,
            status="planned" if planned else "recruiting",
            start=self.world.clock.today + timedelta(weeks=3),
        )
        self.groups.append(gid)

    @precondition(lambda self: self.apps and self.groups)
    @rule(a=st.integers(0, 999), g=st.integers(0, 999))
    def make_offer(self, a: int, g: int) -> None:
        app_id, group_id = self._pick(list(self.apps), a), self._pick(self.groups, g)
        self._try("offer", lambda: offers.make_offer(self.world.uow(), app_id, group_id))

    @precondition(lambda self: self.groups)
    @rule(g=st.integers(0, 999), answer=st.sampled_from(["accept", None, "decline"]))
    def offer_to_the_head_of_the_queue(self, g: int, answer: str | None) -> None:
        """What a coordinator does: offer the seat to the first waiting parent who fits (who
        may answer at once)."""
        group_id = self._pick(self.groups, g)
        with self.world.uow(readonly=True) as uow:
            waiting = uow.session.exec(
                select(Application).where(
                    col(Application.id).in_(list(self.apps)), Application.status == "waiting"
                )
            ).all()
        for app in sorted(waiting, key=lambda x: (x.queue_date, x.lottery, x.id)):
            try:
                offer = offers.make_offer(self.world.uow(), app.id, group_id)
                self.outcomes["offer"] += 1
                if answer == "accept":
                    self._try(
                        "accept", lambda oid=offer.id: offers.accept_offer(self.world.uow(), oid)
                    )
                elif answer == "decline":
                    self._try(
                        "decline",
                        lambda oid=offer.id: offers.decline_offer(self.world.uow(), oid, "time"),
                    )
                return
            except DomainError as exc:
                self.outcomes[f"offer refused: {exc.code}"] += 1

    def _pending_offer(self, o: int) -> int | None:
        with self.world.uow(readonly=True) as uow:
            ids = uow.session.exec(
                select(Offer.id)
                .where(col(Offer.application_id).in_(list(self.apps)), Offer.status == "pending")
                .order_by(Offer.id)
            ).all()
        return self._pick(list(ids), o) if ids else None

    @precondition(lambda self: self.apps)
    @rule(o=st.integers(0, 999))
    def accept(self, o: int) -> None:
        offer_id = self._pending_offer(o)
        if offer_id is not None:
            self._try("accept", lambda: offers.accept_offer(self.world.uow(), offer_id))

    @precondition(lambda self: self.apps)
    @rule(o=st.integers(0, 999), reason=st.sampled_from([None, "time", "distance"]))
    def decline(self, o: int, reason: str | None) -> None:
        offer_id = self._pending_offer(o)
        if offer_id is not None:
            self._try("decline", lambda: offers.decline_offer(self.world.uow(), offer_id, reason))

    @precondition(lambda self: self.apps)
    @rule(a=st.integers(0, 999))
    def withdraw(self, a: int) -> None:
        app_id = self._pick(list(self.apps), a)
        self._try("withdraw", lambda: applications.withdraw(self.world.uow(), app_id))

    @rule(days=st.integers(1, 12))
    def time_passes_and_offers_expire(self, days: int) -> None:
        self.world.clock.advance(days)
        self._try("expire", lambda: offers.expire_offers(self.world.uow()))

    @precondition(lambda self: self.groups)
    @rule(g=st.integers(0, 999), action=st.sampled_from(["open", "start", "cancel", "complete"]))
    def group_lifecycle(self, g: int, action: str) -> None:
        gid = self._pick(self.groups, g)
        run = {
            "open": groups.open_group,
            "start": groups.start_group,
            "cancel": groups.cancel_group,
            "complete": groups.complete_group,
        }[action]
        self._try(action, lambda: run(self.world.uow(), gid))

    def _groups_where(self, status: str) -> list[Group]:
        with self.world.uow(readonly=True) as uow:
            return list(
                uow.session.exec(
                    select(Group)
                    .where(col(Group.id).in_(self.groups), Group.status == status)
                    .order_by(Group.id)
                ).all()
            )

    @precondition(lambda self: self.groups)
    @rule(g=st.integers(0, 999))
    def start_a_recruiting_group(self, g: int) -> None:
        candidates = self._groups_where("recruiting")
        if candidates:
            gid = candidates[g % len(candidates)].id
            self._try("start", lambda: groups.start_group(self.world.uow(), gid))

    @precondition(lambda self: self.groups)
    @rule(g=st.integers(0, 999))
    def complete_a_running_group(self, g: int) -> None:
        candidates = self._groups_where("running")
        if candidates:
            gid = candidates[g % len(candidates)].id
            self._try("complete", lambda: groups.complete_group(self.world.uow(), gid))

    # --- invariants -----------------------------------------------------------------------
    @invariant()
    def seats_are_enrolled_plus_pending_and_within_capacity(self) -> None:
        if not self.groups:
            return
        with self.world.uow(readonly=True) as uow:
            rows = uow.session.exec(select(Group).where(col(Group.id).in_(self.groups))).all()
            members = Counter(
                a.group_id
                for a in uow.session.exec(
                    select(Application).where(
                        col(Application.group_id).in_(self.groups),
                        col(Application.status).in_(["enrolled", "completed"]),
                    )
                ).all()
            )
            pending = Counter(
                o.group_id
                for o in uow.session.exec(
                    select(Offer).where(
                        col(Offer.group_id).in_(self.groups), Offer.status == "pending"
                    )
                ).all()
            )
        for g in rows:
            assert 0 <= g.taken <= g.capacity
            assert g.taken == members[g.id] + pending[g.id], (g.id, g.status)
            if g.status == "cancelled":
                assert g.taken == 0

    @invariant()
    def queue_dates_never_change_and_offers_are_one_at_a_time(self) -> None:
        if not self.apps:
            return
        with self.world.uow(readonly=True) as uow:
            rows = uow.session.exec(
                select(Application).where(col(Application.id).in_(list(self.apps)))
            ).all()
            pending = Counter(
                o.application_id
                for o in uow.session.exec(
                    select(Offer).where(
                        col(Offer.application_id).in_(list(self.apps)), Offer.status == "pending"
                    )
                ).all()
            )
        for app in rows:
            assert (app.queue_date, app.lottery) == self.apps[app.id]
            assert pending[app.id] <= 1
            assert (app.status == "offered") == (pending[app.id] == 1)
            if app.status == "enrolled":
                assert app.group_id is not None

    @invariant()
    def queues_are_in_queue_date_then_lottery_order(self) -> None:
        for district in DISTRICTS:
            entries = queues.queue_of(self.world.uow(readonly=True), district, "komet")
            keys = [(e.queue_date, e.lottery, e.application_id) for e in entries]
            assert keys == sorted(keys)
            assert [e.position for e in entries] == list(range(1, len(entries) + 1))


@pytest.fixture(params=BOTH)
def db(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.mark.slow
def test_random_waitlist_histories_keep_every_invariant(request, db, capsys):
    examples = 50 if db == "sqlite" else 20
    # SQLite in memory (same engine code, minus the file) keeps the many short histories fast.
    url = "sqlite://" if db == "sqlite" else request.getfixturevalue("postgres_url")
    world = new_world(url, Rules(max_expired_offers=2, offer_response_days=7))
    WaitlistMachine.world = world
    totals: Counter[str] = Counter()
    original_teardown = WaitlistMachine.teardown

    def teardown(self: WaitlistMachine) -> None:
        totals.update(self.outcomes)
        original_teardown(self)

    WaitlistMachine.teardown = teardown  # type: ignore[method-assign]
    try:
        run_state_machine_as_test(
            WaitlistMachine,
            settings=settings(
                max_examples=examples,
                stateful_step_count=30,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                derandomize=True,  # the same histories every run: a failure reproduces
                database=None,
            ),
        )
    finally:
        WaitlistMachine.teardown = original_teardown  # type: ignore[method-assign]
        world.engine.dispose()
    with capsys.disabled():
        done = sorted((k, v) for k, v in totals.items() if "refused" not in k)
        print(
            f"\n[{world.engine.dialect.name}] steps that changed state: {dict(done)}; "
            f"refused by a rule: {sorted((k, v) for k, v in totals.items() if 'refused' in k)}"
        )
    # The histories reach every rule (PostgreSQL runs fewer of them: the core ones suffice,
    # the group lifecycle code is the same on both databases).
    reached = ["offer", "accept", "decline", "cancel", "withdraw", "expire"]
    if db == "sqlite":
        reached += ["start", "complete"]
    assert [r for r in reached if totals[r] == 0] == []
