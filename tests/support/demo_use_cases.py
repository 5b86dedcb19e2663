"""The demo year played through the use cases, step by step, as the API would (about 40,000
statements for 52 weeks): the reference `waitlist.demo` is checked against. The product's
seeder plays the same year in memory with the same draws and must write the same rows, audit
events and notices (tests/integration/test_storage_demo.py compares every table)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from waitlist import bootstrap
from waitlist import demo_profiles as P
from waitlist import demo_venues as V
from waitlist.config import Settings
from waitlist.domain.eligibility import why_not
from waitlist.domain.errors import Conflict, DomainError, InvalidInput
from waitlist.domain.group import GroupStatus
from waitlist.domain.offer import answer_deadline
from waitlist.domain.queue import in_queue_order
from waitlist.domain.values import ProgrammeKind
from waitlist.reference import load_reference
from waitlist.services import applications, groups, offers, outbox, setup, staff
from waitlist.services.applications import current_seed
from waitlist.storage.tables import (
    Application,
    District,
    Group,
    Leader,
    Offer,
    Programme,
    Staff,
    Venue,
)
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Waiting:
    """What offering a seat to a waiting application needs of it."""

    id: int
    queue_date: date
    lottery: int
    district: str
    max_travel_minutes: int
    child_birth: str | None
    languages: list[str]
    slots: list[str]


WAITING_COLUMNS = tuple(getattr(Application, name) for name in Waiting.__dataclass_fields__)


def already_seeded(engine: Engine) -> bool:
    with UnitOfWork(engine, readonly=True) as uow:
        return uow.session.exec(select(func.count()).select_from(Application)).one() > 0


def _pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for the small weekly means used here.
    limit, k, p = pow(2.718281828459045, -mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class DemoCity:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        seed: int,
        as_of: date,
        weeks: int = 52,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.progress = progress or (lambda _done, _total: None)
        self.rng = random.Random(seed)
        # Rooms, contacts and leaders' names draw from their own stream, so adding them left
        # the city's applications, groups and answers as they were.
        self.place_rng = random.Random(f"{seed}:places")
        self.as_of = as_of
        self.weeks = weeks
        self.now = datetime.combine(as_of - timedelta(weeks=weeks), time(9), tzinfo=UTC)
        # One transaction a week; a use case that fails stops the seeding (the one failure
        # caught, a leader who cannot lead a group, is found before anything changes), so the
        # use cases need no savepoints of their own.
        self.uow = bootstrap.uow_factory(engine, settings, actor="demo", clock=lambda: self.now)()
        self.uow.savepoints = False
        self.uow.batch_records = True  # events and notices written once a week, none read
        self.ref = load_reference()
        self.cross_after = timedelta(weeks=settings.cross_district_after_weeks)
        self.programmes: dict[str, Programme] = {}
        self.answers: dict[int, tuple[str, date]] = {}  # offer id -> (answer, when)
        self.offered: dict[int, set[int]] = {}  # group id -> applications offered a seat in it
        self.rooms: dict[str, list[int | None]] = {}  # district -> its venues' ids
        self.stats: Counter[str] = Counter()

    # --- set-up -------------------------------------------------------------------------
    def staff_and_leaders(self) -> None:
        uow = self.uow
        shared_hash = staff.hash_password(P.DEMO_PASSWORD)  # one slow hash for every account
        for info in self.ref.districts:
            slug = info.district.slug
            staff.create_staff(
                uow,
                {
                    "username": f"coordinator-{slug}",
                    "role": "coordinator",
                    "district": slug,
                    "password": P.DEMO_PASSWORD,
                },
                password_hash=shared_hash,
            )
            mix = P.LANGUAGE_MIX.get(slug, P.DEFAULT_MIX)
            profile = P.PROFILES[P.DISTRICT_PROFILE[slug]]
            group_programmes = [
                p for p in self.programmes.values() if p.kind != ProgrammeKind.INDIVIDUAL
            ]
            for n in range(
                max(2, round(4 * profile.supply * (info.children_0_17 or 10000) / 14000))
            ):
                langs = ["sv"] + [c for c in mix if c != "sv" and self.rng.random() < mix[c] * 2]
                progs = self.rng.sample([p.slug for p in group_programmes], k=3)
                groups.create_leader(
                    uow,
                    {
                        "label": f"{slug}-{n + 1}",
                        "district": slug,
                        "programmes": progs,
                        "languages": langs,
                        "max_groups": self.rng.choice([1, 2, 2, 3]),
                        "unavailable_weeks": V.weeks_away(n, self.as_of),
                    },
                )
        staff.create_staff(
            uow,
            {"username": "management", "role": "management", "password": P.DEMO_PASSWORD},
            password_hash=shared_hash,
        )

    def places(self) -> None:
        """Each district's contact and rooms (waitlist.demo_venues), once."""
        uow = self.uow
        for number, info in enumerate(self.ref.districts):
            slug = info.district.slug
            row = uow.session.get(District, slug)
            if row is not None and row.contact_phone is None:
                row.contact_phone, row.contact_email = V.contact(slug, number + 10)
                uow.session.add(row)
            if uow.session.exec(select(Venue.id).where(Venue.district == slug)).first():
                continue
            for place, address, directions in V.PLACES.get(slug, []):
                for room in V.ROOMS:
                    uow.session.add(
                        Venue(
                            district=slug,
                            name=f"{place}, {room}",
                            address=address,
                            accessibility=self.place_rng.choice(V.ACCESSIBILITY),
                            directions=directions,
                            **V.ROOM_LIMITS.get(room, {}),
                            created_at=uow.now(),
                            updated_at=uow.now(),
                        )
                    )
        uow.session.flush()

    def venue_for(self, district: str) -> list[int | None]:
        """The district's rooms in a random order, then none (when every room is taken)."""
        if district not in self.rooms:  # rooms are added once, before the first week
            self.rooms[district] = list(
                self.uow.session.exec(
                    select(Venue.id).where(Venue.district == district).order_by(col(Venue.id))
                ).all()
            )
        rooms: list[int | None] = list(self.rooms[district])
        self.place_rng.shuffle(rooms)
        return [*rooms, None]

    # --- one week -----------------------------------------------------------------------
    def arrivals(self) -> None:
        for info in self.ref.districts:
            slug = info.district.slug
            profile = P.PROFILES[P.DISTRICT_PROFILE[slug]]
            yearly = (info.children_0_17 or 10000) / 1000 * P.APPLICATIONS_PER_1000_CHILDREN
            for prog_slug, share in P.PROGRAMME_SHARE.items():
                for _ in range(_poisson(self.rng, yearly * profile.demand * share / 52)):
                    self.apply(slug, self.programmes[prog_slug])

    def apply(self, district: str, prog: Programme) -> None:
        rng, today = self.rng, self.now.date()
        age = rng.randint(prog.child_age_min, prog.child_age_max)
        birth = today - timedelta(days=int(age * 365.25) + rng.randint(0, 330))
        first = _pick(rng, P.LANGUAGE_MIX.get(district, P.DEFAULT_MIX))
        if first not in prog.languages:
            first = "sv" if rng.random() < 0.6 else first
        also_sv = 0.85 if first == "en" else 0.5
        langs = [first] + (["sv"] if first != "sv" and rng.random() < also_sv else [])
        slots = (
            []
            if rng.random() < 0.65
            else sorted({_pick(rng, P.SLOT_WEIGHTS) for _ in range(rng.randint(1, 3))})
        )
        cross = rng.random() < 0.4
        applications.apply(
            self.uow,
            {
                "programme": prog.slug,
                "district": district,
                "child_birth": birth.strftime("%Y-%m"),
                "languages": langs,
                "slots": slots,
                "cross_district": cross,
                "max_travel_minutes": rng.choice([20, 25, 30, 40, 45]) if cross else 0,
                "contact": f"parent{rng.randrange(10**6):06d}@example.org"
                if rng.random() < 0.7
                else None,
            },
        )
        self.stats["applications"] += 1

    def plan_groups(self, horizon_weeks: tuple[int, int] = (3, 7)) -> None:
        for info in self.ref.districts:
            slug = info.district.slug
            profile = P.PROFILES[P.DISTRICT_PROFILE[slug]]
            yearly = (info.children_0_17 or 10000) / 1000 * P.APPLICATIONS_PER_1000_CHILDREN
            for prog_slug, share in P.PROGRAMME_SHARE.items():
                prog = self.programmes[prog_slug]
                seats_needed = yearly * share * profile.supply / 52  # average demand x supply
                for _ in range(_poisson(self.rng, seats_needed / prog.capacity)):
                    self.plan_group(slug, prog, horizon_weeks)

    def plan_group(self, district: str, prog: Programme, horizon: tuple[int, int]) -> None:
        rng = self.rng
        mix = P.LANGUAGE_MIX.get(district, P.DEFAULT_MIX)
        # Groups follow the languages of the district's parents (Swedish a little more often:
        # bilingual parents can join those too).
        weights = {k: v * (1.5 if k == "sv" else 1) for k, v in mix.items() if k in prog.languages}
        language = _pick(rng, weights or {"sv": 1})
        slot = _pick(rng, P.GROUP_SLOT_WEIGHTS)
        weekday = rng.choice(P.WEEKDAYS_FOR_SLOT[slot])
        start = self.now.date() + timedelta(weeks=rng.randint(*horizon))
        start += timedelta(
            days=(
                ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].index(weekday) - start.weekday()
            )
            % 7
        )
        status = (
            "recruiting"
            if prog.kind == ProgrammeKind.INDIVIDUAL or rng.random() < 0.8
            else "planned"
        )
        names = self.place_rng
        first_name = names.choice(V.LEADER_FIRST_NAMES) if names.random() < 0.7 else None
        for venue in self.venue_for(district):  # a free room on that weekday and slot
            try:
                group = groups.create_group(
                    self.uow,
                    {
                        "programme": prog.slug,
                        "district": district,
                        "start": start,
                        "weekday": weekday,
                        "slot": slot,
                        "language": language,
                        "capacity": prog.capacity,
                        "min_size": prog.min_size,
                        "status": status,
                        "venue_id": venue,
                        "leader_first_name": first_name,
                    },
                )
                break
            except (Conflict, InvalidInput):  # taken then, or not a room for this group
                continue
        self.stats["groups"] += 1
        if prog.kind == ProgrammeKind.INDIVIDUAL:
            return
        leaders = self.uow.session.exec(
            select(Leader).where(Leader.district == district).order_by(col(Leader.id))
        ).all()
        for leader in leaders:
            if prog.slug in leader.programmes and language in leader.languages:
                try:
                    with self.uow:
                        row = self.uow.session.get(Group, group.id)
                        assert row is not None
                        groups._assign(self.uow, row, leader)
                        self.uow.commit()
                    break
                except DomainError:
                    continue

    def offer_seats(self) -> None:
        """Each district fills its own groups first come, first served; seats still free then
        go, in queue order, to opted-in parents of neighbouring districts who have waited past
        the threshold (WAITLIST_CROSS_DISTRICT_AFTER_WEEKS) and live within their travel limit:
        in practice parents of long-queue districts placed in neighbouring districts whose
        groups would otherwise run short."""
        today = self.now.date()
        open_groups = self.uow.session.exec(
            select(Group)
            .where(
                col(Group.status).in_(["planned", "recruiting"]),
                Group.taken < Group.capacity,
                Group.start > today,
            )
            .order_by(col(Group.start), col(Group.id))
        ).all()
        for group in open_groups:
            if group.status == GroupStatus.PLANNED and (group.start - today).days > 35:
                continue
            rules = self.uow.rules
            if (
                answer_deadline(
                    today, rules.offer_response_days, group.start, rules.min_response_days
                )
                is None
            ):  # rule 10: starts too soon for an answer in time
                continue
            if group.status == GroupStatus.PLANNED:
                groups.open_group(self.uow, group.id or 0)
            own = self.waiting(
                Application.district == group.district, Application.programme == group.programme
            )
            self.offer_group(group, own, "First come, first served in the district.")
            if group.taken < group.capacity:
                self.offer_group(
                    group,
                    self.waiting_elsewhere(group),
                    "Waited past the threshold at home; a seat in another district within "
                    "the parent's travel limit.",
                    P.CROSS_ANSWER_WEIGHTS,
                )

    def waiting_elsewhere(self, group: Group) -> list[Waiting]:
        """Opted-in parents of the neighbouring districts (reference data: shared borders) past
        the threshold, within their travel limit, who have not had an offer in this group
        before; in queue order."""
        near = self.ref.neighbours.get(group.district, ())
        if not near:
            return []
        today = self.now.date()
        rows = self.waiting(
            col(Application.district).in_(near),
            Application.programme == group.programme,
            col(Application.cross_district).is_(True),
            Application.queue_date <= today - self.cross_after,
        )
        offered = self.offered.get(group.id or 0, set())
        travel = self.ref.travel_minutes
        return [
            a
            for a in rows
            if a.id not in offered
            and travel.get(a.district, {}).get(group.district, 10**6) <= a.max_travel_minutes
        ]

    def waiting(self, *where: Any) -> list[Waiting]:
        """The waiting, unpaused applications matching `where`, in queue order: only the
        columns the offers need (no ORM rows built for the many that get none)."""
        rows = self.uow.session.execute(
            select(*WAITING_COLUMNS).where(
                Application.status == "waiting", col(Application.paused).is_(False), *where
            )
        ).all()
        return in_queue_order(Waiting(*row) for row in rows)

    def offer_group(
        self,
        group: Group,
        candidates: list[Waiting],
        reason: str,
        answers: dict[str, float] = P.ANSWER_WEIGHTS,
    ) -> None:
        today = self.now.date()
        prog = self.programmes[group.programme]
        for app in candidates:
            if group.taken >= group.capacity:
                break
            if why_not(app, group, prog) is not None:
                continue
            offer = offers.make_offer(self.uow, app.id, group.id or 0, reason=reason)
            answer = _pick(self.rng, answers)
            delay = self.rng.randint(1, max(1, (offer.respond_by - today).days))
            # `group` is the session's own row, refreshed by the seat taken for the offer.
            self.answers[offer.id] = (answer, today + timedelta(days=delay))
            self.offered.setdefault(group.id or 0, set()).add(app.id)
            self.stats["offers"] += 1
            self.stats["cross_district_offers"] += offer.cross_district

    def answer_offers(self) -> None:
        today = self.now.date()
        due = [offer_id for offer_id, (_, when) in self.answers.items() if when <= today]
        loaded = {
            offer.id: offer
            for offer in self.uow.session.exec(select(Offer).where(col(Offer.id).in_(due))).all()
        }  # one query for the week's answers instead of one each
        for offer_id in due:
            answer, _ = self.answers.pop(offer_id)
            offer = loaded.get(offer_id)
            if offer is None or offer.status != "pending" or offer.respond_by < today:
                continue  # answered or withdrawn meanwhile, or too late: it expires
            if answer == "accept":
                offers.accept_offer(self.uow, offer_id)
            elif answer == "decline":
                why = P.CROSS_DECLINE_REASONS if offer.cross_district else P.DECLINE_REASONS
                offers.decline_offer(self.uow, offer_id, _pick(self.rng, why))
        offers.expire_offers(self.uow)
        offers.send_deadline_notices(self.uow)

    def run_groups(self) -> None:
        today = self.now.date()
        rows = self.uow.session.exec(
            select(Group)
            .where(col(Group.status).in_(["planned", "recruiting", "running"]))
            .order_by(col(Group.id))
        ).all()
        for group in rows:
            prog = self.programmes[group.programme]
            if group.status == "running":
                if group.start + timedelta(weeks=prog.weeks or 8) <= today:
                    groups.complete_group(self.uow, group.id or 0)
            elif group.start <= today:
                if (
                    group.status == "recruiting"
                    and groups.enrolled_count(self.uow, group.id or 0) >= group.min_size
                ):
                    groups.start_group(self.uow, group.id or 0)
                    self.stats["started"] += 1
                else:
                    groups.cancel_group(self.uow, group.id or 0, "Too few participants to start.")
                    self.stats["cancelled"] += 1

    def withdrawals(self) -> None:
        rows = self.uow.session.exec(
            select(Application.id)
            .where(Application.status == "waiting")
            .order_by(col(Application.id))
        ).all()
        for app_id in rows:
            if self.rng.random() < 0.006:  # about a quarter of a year's waiters give up
                applications.withdraw(self.uow, app_id or 0)
                self.stats["withdrawn"] += 1

    # --- the year -------------------------------------------------------------------------
    def run(self) -> str:
        uow = self.uow
        with uow:
            setup._load(uow, self.ref)
            self.programmes = {p.slug: p for p in uow.session.exec(select(Programme)).all()}
            rng_seed = f"{self.rng.getrandbits(128):032x}"
            current_seed(uow, rng_seed)
            if uow.session.exec(select(func.count()).select_from(Staff)).one() == 0:
                self.staff_and_leaders()
            self.places()
            uow.commit()
        for week in range(self.weeks):
            with uow:
                self.arrivals()
                if week >= 6:  # the year opens with queues already forming
                    self.plan_groups()
                self.run_groups()
                self.offer_seats()
                self.now += timedelta(days=3)
                self.answer_offers()
                self.withdrawals()
                self.now += timedelta(days=4)
                uow.commit()
            self.progress(week + 1, self.weeks)
        self.now = datetime.combine(self.as_of, time(9), tzinfo=UTC)
        with uow:
            self.answer_offers()
            for _ in range(2):
                self.plan_groups(horizon_weeks=(1, 8))
            uow.commit()
        with uow:
            outbox.delivered_before(uow.session, self.now.replace(hour=0))
            uow.commit()
        s = self.stats
        return (
            f"demo city seeded up to {self.as_of}: {s['applications']} applications, "
            f"{s['groups']} groups ({s['started']} started, {s['cancelled']} cancelled), "
            f"{s['offers']} offers ({s['cross_district_offers']} in another district), "
            f"{s['withdrawn']} withdrawn; staff: coordinator-<district> "
            f"and management, password {P.DEMO_PASSWORD!r}"
        )


def seed_demo(
    engine: Engine,
    settings: Settings,
    *,
    seed: int,
    as_of: date,
    weeks: int = 52,
    progress: Callable[[int, int], None] | None = None,
) -> str:
    """Seed the demo city: `weeks` simulated weeks ending on `as_of`; returns a summary.
    `progress(done, total)` is called after each simulated week.

    The inputs are checked before anything is written (the city is built through many
    transactions, so a failure half-way would leave half a city)."""
    if not date(2000, 1, 1) <= as_of <= date(2100, 12, 31):
        raise InvalidInput(
            f"as_of must be a date between 2000 and 2100, got {as_of.isoformat()}", field="as_of"
        )
    if not 1 <= weeks <= 520:
        raise InvalidInput(f"weeks must be between 1 and 520, got {weeks}", field="weeks")
    return DemoCity(engine, settings, seed, as_of, weeks, progress).run()
