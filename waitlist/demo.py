"""`waitlist seed --demo`: a realistic demo city, one simulated year, same seed same data.

Week by week over the year before `as_of`: parents apply (demand by district profile, see
waitlist.demo_profiles), districts plan groups in several languages and slots with their
leaders, coordinators offer seats first come first served inside their own district and
then open seats still free to opted-in parents of neighbouring districts who have waited past
the threshold and live within their travel limit (so parents of long-queue districts are placed in
neighbouring districts whose groups would otherwise run short), parents accept, decline (more
often for a seat further away) or let offers expire, groups start, complete or are
cancelled below their minimum size. At the end, groups are planned for the coming weeks.
Staff accounts: `coordinator-<district>` per district and `management`, password
`demo-password` (demo only).

The reference data, staff, leaders and rooms are stored through the use cases. The year is
played in memory with the domain's rules (the state machines, eligibility, answer deadlines,
room and leader checks) and writes the rows and the audit events the use cases would have
written, the same ids in the same order, with one multi-row INSERT per table: a year through
the use cases took about 40,000 statements. `tests/support/demo_use_cases.py` plays the same
year through the use cases, and a test compares every table of the two. A second seeding
(`--force`) plays its year on its own rows; the groups already stored keep their rooms and
count for their leaders, but are not moved on.

Random draws come from `random.Random(seed)` only; the lottery seed is drawn from it too.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, text
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from waitlist import bootstrap
from waitlist import demo_profiles as P
from waitlist import demo_venues as V
from waitlist.config import Settings
from waitlist.domain import lottery
from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.application import check_application_transition, is_paused
from waitlist.domain.eligibility import why_not
from waitlist.domain.errors import Conflict, DomainError, InvalidInput
from waitlist.domain.group import (
    GroupStatus,
    check_group_transition,
    check_start,
    validate_group_size,
)
from waitlist.domain.leader import check_leader_free, free_for
from waitlist.domain.offer import (
    OfferStatus,
    answer_deadline,
    check_offer_transition,
    is_overdue,
    parse_decline_reason,
)
from waitlist.domain.queue import in_queue_order
from waitlist.domain.room import room_refusal
from waitlist.domain.schedule import check_meetings, group_times, meeting_dates
from waitlist.domain.values import ProgrammeKind
from waitlist.holidays import holidays
from waitlist.reference import load_reference
from waitlist.services import groups, outbox, setup, staff
from waitlist.services.applications import TOKEN_PREFIX, current_seed
from waitlist.services.offers import direct_facts, offer_made_notice
from waitlist.services.snapshots import application_state, group_state, offer_state
from waitlist.storage.tables import (
    Application,
    District,
    Group,
    GroupLeaderLink,
    Leader,
    Offer,
    Programme,
    Staff,
    Venue,
)
from waitlist.storage.uow import UnitOfWork

# Statuses in which a group holds its room and its leader (waitlist.services.venues, groups).
_HOLDING = (GroupStatus.PLANNED, GroupStatus.RECRUITING, GroupStatus.RUNNING)
_OFFERABLE = (GroupStatus.PLANNED, GroupStatus.RECRUITING)


@dataclass(slots=True)
class _App:
    """An application row in memory (the columns of `Application`)."""

    id: int
    programme: str
    district: str
    cross_district: bool
    max_travel_minutes: int
    child_birth: str | None
    languages: list[str]
    slots: list[str]
    queue_date: date
    lottery: int
    lottery_seed_id: int | None
    contact: str | None
    notice_language: str
    token_hash: str | None
    created_at: datetime
    updated_at: datetime
    status: str = S.WAITING
    group_id: int | None = None
    paused: bool = False
    expired_in_a_row: int = 0
    contact_unreachable_at: datetime | None = None
    erased_at: datetime | None = None
    external_id: str | None = None


@dataclass(slots=True)
class _Group:
    """A group row in memory (the columns of `Group`)."""

    id: int
    programme: str
    district: str
    start: date
    weekday: str
    slot: str
    language: str
    capacity: int
    min_size: int
    venue_id: int | None
    time_start: str | None
    time_end: str | None
    meetings: int | None
    leader_first_name: str | None
    status: str
    created_at: datetime
    updated_at: datetime
    taken: int = 0
    last_meeting: date = date.min  # not a column: when the group's last meeting is
    members: list[int] = field(default_factory=list)  # not a column: ids with group_id = id


@dataclass(slots=True)
class _Offer:
    """An offer row in memory (the columns of `Offer`)."""

    id: int
    application_id: int
    group_id: int
    status: str
    made_at: datetime
    respond_by: date
    cross_district: bool
    travel_minutes: int
    reason: str
    reason_facts: dict[str, Any] | None
    actor: str
    answered_at: datetime | None = None
    decline_reason: str | None = None
    round_id: int | None = None
    reminded_at: datetime | None = None


_NOT_COLUMNS = {"last_meeting", "members"}


def _columns(rows: Iterable[Any]) -> list[dict[str, Any]]:
    rows = list(rows)
    if not rows:
        return []
    names = [f.name for f in fields(rows[0]) if f.name not in _NOT_COLUMNS]
    return [{name: getattr(row, name) for name in names} for row in rows]


@dataclass(frozen=True)
class _Leader:
    id: int
    district: str
    programmes: list[str]
    languages: list[str]
    unavailable_weeks: list[str]
    max_groups: int


@dataclass(frozen=True)
class _Room:
    id: int
    district: str
    name: str
    active: bool
    capacity: int | None
    weekdays: list[str]
    slots: list[str]


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


def _next_id(uow: UnitOfWork, model: Any) -> int:
    return int(uow.session.exec(select(func.coalesce(func.max(model.id), 0))).one()) + 1


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
        # The set-up is one transaction, the year another: a failure leaves no half year.
        self.uow = bootstrap.uow_factory(engine, settings, actor="demo", clock=lambda: self.now)()
        self.uow.savepoints = False
        self.uow.batch_records = True  # events and notices written with one INSERT each
        self.rules = self.uow.rules
        self.ref = load_reference()
        self.holidays = holidays()
        self.cross_after = timedelta(weeks=settings.cross_district_after_weeks)
        self.programmes: dict[str, Programme] = {}
        self.answers: dict[int, tuple[str, date]] = {}  # offer id -> (answer, when)
        self.offered: dict[int, set[int]] = {}  # group id -> applications offered a seat in it
        self.rooms: dict[str, list[int | None]] = {}  # district -> its venues' ids
        self.stats: Counter[str] = Counter()
        # The year in memory, by id (ids continue after the rows already stored).
        self.apps: dict[int, _App] = {}
        self.queues: dict[tuple[str, str], list[_App]] = {}  # (district, programme) -> apps
        self.groups: dict[int, _Group] = {}
        self.offers: dict[int, _Offer] = {}
        self.pending: dict[int, _Offer] = {}  # offer id -> the pending offer
        self.links: list[tuple[int, int]] = []  # (group id, leader id)
        self.leading: dict[int, list[int]] = {}  # leader id -> group ids
        self.leaders: dict[str, list[_Leader]] = {}  # district -> its leaders by id
        self.venues: dict[int, _Room] = {}
        self.district_names: dict[str, str] = {}
        self.held: list[_Group] = []  # groups that may hold a room (stored ones too)
        self.seed_id: int | None = None
        self.seed = ""
        self.next_app = self.next_group = self.next_offer = 1

    # --- set-up, through the use cases ---------------------------------------------------
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

    def load(self) -> None:
        """What the year reads of the stored set-up: leaders, rooms, names, the lottery seed,
        and where the ids of the year's rows start."""
        session = self.uow.session
        for leader in session.exec(select(Leader).order_by(col(Leader.id))).all():
            self.leaders.setdefault(leader.district, []).append(
                _Leader(
                    leader.id or 0,
                    leader.district,
                    list(leader.programmes),
                    list(leader.languages),
                    list(leader.unavailable_weeks),
                    leader.max_groups,
                )
            )
        for venue in session.exec(select(Venue).order_by(col(Venue.id))).all():
            room = _Room(
                venue.id or 0,
                venue.district,
                venue.name,
                venue.active,
                venue.capacity,
                list(venue.weekdays),
                list(venue.slots),
            )
            self.venues[room.id] = room
            self.rooms.setdefault(venue.district, []).append(room.id)
        self.district_names = {d.slug: d.name for d in session.exec(select(District)).all()}
        seed = current_seed(self.uow)
        self.seed_id, self.seed = seed.id, seed.seed
        self.next_app = _next_id(self.uow, Application)
        self.next_group = _next_id(self.uow, Group)
        self.next_offer = _next_id(self.uow, Offer)
        # Groups stored before (another seeding) keep their rooms and leaders.
        for row in session.exec(
            select(Group).where(col(Group.status).in_(list(_HOLDING))).order_by(col(Group.id))
        ).all():
            stored = _Group(
                **{name: getattr(row, name) for name in _STORED_GROUP},
                last_meeting=self.last_meeting(row.start, row.weekday, row.meetings),
            )
            self.held.append(stored)
        for group_id, leader_id in session.execute(
            select(GroupLeaderLink.group_id, GroupLeaderLink.leader_id)
            .join(Group, col(Group.id) == col(GroupLeaderLink.group_id))
            .where(col(Group.status).in_(list(_HOLDING)))
        ).all():
            self.leading.setdefault(leader_id, []).append(-group_id)  # held elsewhere: counted

    def venue_for(self, district: str) -> list[int | None]:
        """The district's rooms in a random order, then none (when every room is taken)."""
        rooms: list[int | None] = list(self.rooms.get(district, []))
        self.place_rng.shuffle(rooms)
        return [*rooms, None]

    # --- the use cases' steps, in memory ---------------------------------------------------
    def set_status(self, app: _App, target: str, action: str) -> None:
        """waitlist.services.lifecycle.set_status."""
        before = application_state(app)
        check_application_transition(app.status, target)
        app.status = target
        app.updated_at = self.now
        self.uow.record_row(
            "application",
            app,
            action,
            before=before,
            after=application_state(app),
        )

    def close_offer(
        self, offer: _Offer, status: OfferStatus, action: str, decline_reason: str | None = None
    ) -> None:
        """waitlist.services.lifecycle.close_offer: the seat back, the parent to waiting."""
        before = offer_state(offer)
        check_offer_transition(offer.status, status)
        offer.status = status
        offer.answered_at = self.now
        offer.decline_reason = decline_reason
        del self.pending[offer.id]
        group = self.groups[offer.group_id]
        if group.taken > 0:
            group.taken -= 1
            group.updated_at = self.now
        self.uow.record_row(
            "offer", offer, action, before=before, after=offer_state(offer), place=group
        )
        app = self.apps[offer.application_id]
        if app.status == S.OFFERED:
            self.set_status(app, S.WAITING, f"offer_{action}")

    def enrolled_count(self, group: _Group) -> int:
        apps = self.apps
        return sum(apps[i].status in (S.ENROLLED, S.COMPLETED) for i in group.members)

    def move(
        self, group: _Group, target: GroupStatus, action: str, before: dict[str, Any] | None = None
    ) -> None:
        """waitlist.services.groups._move."""
        before = before or group_state(group)
        check_group_transition(
            group.status, target, enrolled=self.enrolled_count(group), min_size=group.min_size
        )
        group.status = target
        group.updated_at = self.now
        self.uow.record_row(
            "group",
            group,
            action,
            before=before,
            after=group_state(group),
        )

    def group_pending(self, group: _Group) -> list[_Offer]:
        return sorted(
            (o for o in self.pending.values() if o.group_id == group.id), key=lambda o: o.id
        )

    def group_members(self, group: _Group, status: str) -> list[_App]:
        return [self.apps[i] for i in sorted(group.members) if self.apps[i].status == status]

    def last_meeting(self, start: date, weekday: str, meetings: int | None) -> date:
        return meeting_dates(start, weekday, meetings or 1, self.holidays)[-1]

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
        """A parent applies (waitlist.services.applications.apply)."""
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
        travel = rng.choice([20, 25, 30, 40, 45]) if cross else 0
        contact = f"parent{rng.randrange(10**6):06d}@example.org" if rng.random() < 0.7 else None
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)  # as applications.new_token
        app = _App(
            id=self.next_app,
            programme=prog.slug,
            district=district,
            cross_district=cross,
            max_travel_minutes=travel,
            child_birth=birth.strftime("%Y-%m"),
            languages=list(dict.fromkeys(langs)),
            slots=list(dict.fromkeys(slots)),
            queue_date=today,
            lottery=lottery.draw(self.seed, self.next_app),
            lottery_seed_id=self.seed_id,
            contact=contact,
            notice_language="sv",
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            created_at=self.now,
            updated_at=self.now,
        )
        self.next_app += 1
        self.apps[app.id] = app
        self.queues.setdefault((district, prog.slug), []).append(app)
        self.uow.record_row("application", app, "applied", after=application_state(app))
        if contact:
            self.uow.notify("applied", f"application:{app.id}", {"token": token})
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
        group = self.new_group(prog, district, start, weekday, slot, language, status, first_name)
        self.stats["groups"] += 1
        if prog.kind == ProgrammeKind.INDIVIDUAL:
            return
        for leader in self.leaders.get(district, []):
            if prog.slug in leader.programmes and language in leader.languages:
                try:
                    self.assign(group, leader)
                    break
                except DomainError:
                    continue

    def new_group(
        self,
        prog: Programme,
        district: str,
        start: date,
        weekday: str,
        slot: str,
        language: str,
        status: str,
        first_name: str | None,
    ) -> _Group:
        """waitlist.services.groups.create_group, in the first free room (or none)."""
        validate_group_size(prog.capacity, prog.min_size, prog.capacity)
        weekday = check_start(start, weekday, self.now.date())
        if language not in prog.languages:
            raise InvalidInput(f"{prog.name} is not run in {language!r}.", field="language")
        time_start, time_end = group_times(slot, None, None)
        meetings = check_meetings(prog.sessions or prog.weeks or 1)
        dates = meeting_dates(start, weekday, meetings, self.holidays)
        venue_id: int | None = None
        for venue in self.venue_for(district):  # a free room on that weekday and slot
            if venue is None or self.room_free(
                venue, weekday, slot, dates[0], dates[-1], prog.capacity
            ):
                venue_id = venue
                break
        group = _Group(
            id=self.next_group,
            programme=prog.slug,
            district=district,
            start=start,
            weekday=weekday,
            slot=slot,
            language=language,
            capacity=prog.capacity,
            min_size=prog.min_size,
            venue_id=venue_id,
            time_start=time_start,
            time_end=time_end,
            meetings=meetings,
            leader_first_name=first_name,
            status=status,
            created_at=self.now,
            updated_at=self.now,
            last_meeting=dates[-1],
        )
        self.next_group += 1
        self.groups[group.id] = group
        self.held.append(group)
        self.uow.record_row("group", group, "group_created", after=group_state(group))
        return group

    def room_free(
        self, venue_id: int, weekday: str, slot: str, first: date, last: date, size: int
    ) -> bool:
        """waitlist.services.venues.check_venue: the room can host the group and holds no
        other group on that weekday and slot while it runs."""
        room = self.venues[venue_id]
        if not room.active:
            return False
        if room_refusal(
            room.capacity, room.weekdays, room.slots, weekday=weekday, slot=slot, size=size
        ):
            return False
        return not any(
            other.venue_id == venue_id
            and other.weekday == weekday
            and other.slot == slot
            and other.status in _HOLDING
            and other.start <= last
            and other.last_meeting >= first
            for other in self.held
        )

    def assign(self, group: _Group, leader: _Leader) -> None:
        """waitlist.services.groups._assign."""
        meetings = meeting_dates(group.start, group.weekday, group.meetings or 1, self.holidays)
        if not free_for(leader.unavailable_weeks, meetings):
            raise InvalidInput("The leader is away in a week the group meets.", field="leader")
        busy = sum(
            gid < 0 or self.groups[gid].status in _HOLDING
            for gid in self.leading.get(leader.id, [])
        )
        check_leader_free(busy, leader.max_groups)
        self.links.append((group.id, leader.id))
        self.leading.setdefault(leader.id, []).append(group.id)
        self.uow.record_row(
            "group",
            group,
            "leader_assigned",
            after={"leader_id": leader.id},
        )

    def offer_seats(self) -> None:
        """Each district fills its own groups first come, first served; seats still free then
        go, in queue order, to opted-in parents of neighbouring districts who have waited past
        the threshold (WAITLIST_CROSS_DISTRICT_AFTER_WEEKS) and live within their travel limit:
        in practice parents of long-queue districts placed in neighbouring districts whose
        groups would otherwise run short."""
        today = self.now.date()
        open_groups = sorted(
            (
                g
                for g in self.groups.values()
                if g.status in _OFFERABLE and g.taken < g.capacity and g.start > today
            ),
            key=lambda g: (g.start, g.id),
        )
        rules = self.rules
        for group in open_groups:
            if group.status == GroupStatus.PLANNED and (group.start - today).days > 35:
                continue
            if (
                answer_deadline(
                    today, rules.offer_response_days, group.start, rules.min_response_days
                )
                is None
            ):  # rule 10: starts too soon for an answer in time
                continue
            if group.status == GroupStatus.PLANNED:
                self.move(group, GroupStatus.RECRUITING, "group_opened")
            own = self.waiting([group.district], group.programme)
            self.offer_group(group, own, "First come, first served in the district.")
            if group.taken < group.capacity:
                self.offer_group(
                    group,
                    self.waiting_elsewhere(group),
                    "Waited past the threshold at home; a seat in another district within "
                    "the parent's travel limit.",
                    P.CROSS_ANSWER_WEIGHTS,
                )

    def waiting_elsewhere(self, group: _Group) -> list[_App]:
        """Opted-in parents of the neighbouring districts (reference data: shared borders) past
        the threshold, within their travel limit, who have not had an offer in this group
        before; in queue order."""
        near = self.ref.neighbours.get(group.district, ())
        if not near:
            return []
        latest = self.now.date() - self.cross_after
        offered = self.offered.get(group.id, set())
        travel = self.ref.travel_minutes
        return [
            a
            for a in self.waiting(near, group.programme)
            if a.cross_district
            and a.queue_date <= latest
            and a.id not in offered
            and travel.get(a.district, {}).get(group.district, 10**6) <= a.max_travel_minutes
        ]

    def waiting(self, districts: Iterable[str], programme: str) -> list[_App]:
        """The waiting, unpaused applications of these districts' queues, in queue order."""
        return in_queue_order(
            a
            for d in districts
            for a in self.queues.get((d, programme), ())
            if a.status == S.WAITING and not a.paused
        )

    def offer_group(
        self,
        group: _Group,
        candidates: list[_App],
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
            offer = self.make_offer(app, group, reason)
            answer = _pick(self.rng, answers)
            delay = self.rng.randint(1, max(1, (offer.respond_by - today).days))
            self.answers[offer.id] = (answer, today + timedelta(days=delay))
            self.offered.setdefault(group.id, set()).add(app.id)
            self.stats["offers"] += 1
            self.stats["cross_district_offers"] += offer.cross_district

    def make_offer(self, app: _App, group: _Group, reason: str) -> _Offer:
        """waitlist.services.offers.make_offer, for a waiting application that fits the group
        (eligibility checked by the caller, reach by the queue it was taken from)."""
        if app.status != S.WAITING or app.paused or group.status not in _OFFERABLE:
            raise Conflict("The application or the group takes no offer now.", field="offer")
        today, rules = self.now.date(), self.rules
        cross = group.district != app.district
        travel = self.ref.travel_minutes[app.district][group.district] if cross else 0
        deadline = answer_deadline(
            today, rules.offer_response_days, group.start, rules.min_response_days
        )
        if deadline is None or group.taken >= group.capacity:
            raise Conflict("The group takes no offer now.", field="group")
        group.taken += 1  # seats.take_seat
        group.updated_at = self.now
        facts = direct_facts(
            programme=self.programmes[group.programme].name,
            home=self.district_names[app.district],
            host=self.district_names[group.district] if cross else None,
            weeks_waited=max(0, (today - app.queue_date).days // 7),
            group_start=group.start,
            travel=travel,
            travel_limit=max(travel, app.max_travel_minutes or 0),
            cross_after_weeks=rules.cross_district_after_weeks,
        )
        offer = _Offer(
            id=self.next_offer,
            application_id=app.id,
            group_id=group.id,
            status=OfferStatus.PENDING,
            made_at=self.now,
            respond_by=deadline,
            cross_district=cross,
            travel_minutes=travel,
            reason=reason,
            reason_facts=facts.to_dict(),
            actor=self.uow.actor,
        )
        self.next_offer += 1
        self.offers[offer.id] = offer
        self.pending[offer.id] = offer
        self.uow.record_row("offer", offer, "offer_made", after=offer_state(offer), place=group)
        self.set_status(app, S.OFFERED, "offered")
        self.uow.notify("offer_made", f"application:{app.id}", offer_made_notice(offer, group))
        return offer

    def answer_offers(self) -> None:
        today = self.now.date()
        due = [offer_id for offer_id, (_, when) in self.answers.items() if when <= today]
        for offer_id in due:
            answer, _ = self.answers.pop(offer_id)
            offer = self.offers[offer_id]
            if offer.status != OfferStatus.PENDING or offer.respond_by < today:
                continue  # answered or withdrawn meanwhile, or too late: it expires
            if answer == "accept":
                self.accept(offer)
            elif answer == "decline":
                why = P.CROSS_DECLINE_REASONS if offer.cross_district else P.DECLINE_REASONS
                self.decline(offer, _pick(self.rng, why))
        self.expire_offers()
        self.deadline_notices()

    def accept(self, offer: _Offer) -> None:
        """waitlist.services.offers.accept_offer."""
        check_offer_transition(offer.status, OfferStatus.ACCEPTED)
        if is_overdue(offer.respond_by, self.now.date()):
            raise Conflict("This offer has expired.", field="offer")
        before = offer_state(offer)
        offer.status = OfferStatus.ACCEPTED
        offer.answered_at = self.now
        del self.pending[offer.id]
        group = self.groups[offer.group_id]
        self.uow.record_row(
            "offer", offer, "accepted", before=before, after=offer_state(offer), place=group
        )
        app = self.apps[offer.application_id]
        app.group_id = offer.group_id
        group.members.append(app.id)
        app.expired_in_a_row = 0
        app.paused = False
        self.set_status(app, S.ENROLLED, "enrolled")

    def decline(self, offer: _Offer, reason: str) -> None:
        """waitlist.services.offers.decline_offer: the queue date is kept."""
        parsed = parse_decline_reason(reason)
        self.close_offer(offer, OfferStatus.DECLINED, "declined", parsed.value if parsed else None)
        app = self.apps[offer.application_id]
        app.expired_in_a_row = 0  # an answer is not silence: the expiry count starts over
        app.paused = False

    def expire_offers(self) -> None:
        """waitlist.services.offers.expire_offers."""
        today = self.now.date()
        due = sorted(o.id for o in self.pending.values() if o.respond_by < today)
        for offer_id in due:
            offer = self.offers[offer_id]
            app = self.apps[offer.application_id]
            self.close_offer(offer, OfferStatus.EXPIRED, "expired")
            self.uow.notify(
                "offer_expired",
                f"application:{app.id}",
                {"offer_id": offer.id, "respond_by": offer.respond_by.isoformat()},
            )
            app.expired_in_a_row += 1
            app.paused = is_paused(app.expired_in_a_row, self.rules.max_expired_offers)
            if app.paused:
                self.uow.record_row(
                    "application",
                    app,
                    "paused",
                    after={"expired_in_a_row": app.expired_in_a_row},
                )

    def deadline_notices(self) -> None:
        """waitlist.services.offers.send_deadline_notices."""
        today = self.now.date()
        soon = today + timedelta(days=self.rules.deadline_notice_days)
        for offer in sorted(self.pending.values(), key=lambda o: o.id):
            if offer.reminded_at is None and today <= offer.respond_by <= soon:
                offer.reminded_at = self.now
                self.uow.notify(
                    "deadline_near",
                    f"application:{offer.application_id}",
                    {"offer_id": offer.id, "respond_by": offer.respond_by.isoformat()},
                )

    def run_groups(self) -> None:
        today = self.now.date()
        for gid in sorted(self.groups):
            group = self.groups[gid]
            if group.status not in _HOLDING:
                continue
            prog = self.programmes[group.programme]
            if group.status == GroupStatus.RUNNING:
                if group.start + timedelta(weeks=prog.weeks or 8) <= today:
                    self.complete(group)
            elif group.start <= today:
                if (
                    group.status == GroupStatus.RECRUITING
                    and self.enrolled_count(group) >= group.min_size
                ):
                    self.move(group, GroupStatus.RUNNING, "group_started")
                    self.stats["started"] += 1
                else:
                    self.cancel(group, "Too few participants to start.")
                    self.stats["cancelled"] += 1

    def complete(self, group: _Group) -> None:
        """waitlist.services.groups.complete_group."""
        check_group_transition(group.status, GroupStatus.COMPLETED, enrolled=0, min_size=0)
        for offer in self.group_pending(group):
            self.close_offer(offer, OfferStatus.REVOKED, "revoked")
        for app in self.group_members(group, S.ENROLLED):
            self.set_status(app, S.COMPLETED, "completed")
        self.move(group, GroupStatus.COMPLETED, "group_completed")

    def cancel(self, group: _Group, reason: str) -> None:
        """waitlist.services.groups.cancel_group: its parents back in the queue, dates kept."""
        check_group_transition(group.status, GroupStatus.CANCELLED, enrolled=0, min_size=0)
        before = group_state(group)
        notify: list[int] = []
        for offer in self.group_pending(group):
            self.close_offer(offer, OfferStatus.REVOKED, "revoked")
            notify.append(offer.application_id)
        for app in self.group_members(group, S.ENROLLED):
            app.group_id = None  # back to the queue; queue date and lottery untouched
            group.members.remove(app.id)
            self.set_status(app, S.WAITING, "returned_to_queue")
            notify.append(app.id)
        group.taken = 0
        self.move(group, GroupStatus.CANCELLED, "group_cancelled", before)
        for app_id in notify:
            self.uow.notify(
                "group_cancelled",
                f"application:{app_id}",
                {
                    "group_id": group.id,
                    "programme": group.programme,
                    "district": group.district,
                    "start": group.start.isoformat(),
                    "reason": reason,
                },
            )

    def withdrawals(self) -> None:
        for app in self.apps.values():  # in id order
            if app.status == S.WAITING and self.rng.random() < 0.006:
                # about a quarter of a year's waiters give up (applications.withdraw)
                self.set_status(app, S.WITHDRAWN, "withdrawn")
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
        with uow:
            self.load()
            for week in range(self.weeks):
                self.arrivals()
                if week >= 6:  # the year opens with queues already forming
                    self.plan_groups()
                self.run_groups()
                self.offer_seats()
                self.now += timedelta(days=3)
                self.answer_offers()
                self.withdrawals()
                self.now += timedelta(days=4)
                self.progress(week + 1, self.weeks)
            self.now = datetime.combine(self.as_of, time(9), tzinfo=UTC)
            self.answer_offers()
            for _ in range(2):
                self.plan_groups(horizon_weeks=(1, 8))
            self.write()
            uow.commit()
        with uow:  # the year's notices went out in their day: only today's are left to send
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

    def write(self) -> None:
        """The year's rows, one multi-row INSERT per table (the events and notices follow at
        the commit); on PostgreSQL the id sequences then continue after them."""
        session = self.uow.session
        for model, rows in (
            (Group, _columns(self.groups.values())),
            (Application, _columns(self.apps.values())),
            (Offer, _columns(self.offers.values())),
            (GroupLeaderLink, [{"group_id": g, "leader_id": lid} for g, lid in self.links]),
        ):
            if rows:
                self.uow.insert_rows(model, rows)
        if self.uow.dialect == "postgresql":
            for table in ("programme_group", "application", "offer"):
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                    )
                )


_STORED_GROUP = [f.name for f in fields(_Group) if f.name not in _NOT_COLUMNS]


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
