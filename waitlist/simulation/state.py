"""Mutable state of one simulated city under one policy: applications, groups, offers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from waitlist.simulation.arrivals import Arrival, PlannedGroup
from waitlist.simulation.behaviour import Response
from waitlist.simulation.estimates import EstimateLog

OPEN = ("waiting", "offered", "enrolled")
ENDED = ("placed", "withdrawn", "expired")


@dataclass
class SimApp:
    arrival: Arrival
    status: str = "waiting"  # waiting | offered | enrolled | placed | withdrawn | expired
    offers: int = 0  # offers received so far: index of the next behaviour draw
    expired_in_row: int = 0
    declined: int = 0
    returned: int = 0  # times sent back to the queue by a cancelled group
    group: str | None = None
    offer_date: date | None = None  # date of the offer that gave the current seat
    cross_district: bool = False
    travel_minutes: int = 0
    ended: date | None = None
    # History for the management metrics (waitlist.metrics.records).
    first_offer: date | None = None
    accepted_on: date | None = None
    returned_on: date | None = None
    declines: list[tuple[date, str]] = field(default_factory=list)  # day, host district
    expiries: list[date] = field(default_factory=list)
    # A policy's opt-in prompt: None until asked; then the travel limit they accepted (0: no).
    prompt_minutes: int | None = None

    @property
    def id(self) -> str:
        return self.arrival.id

    @property
    def opted_in(self) -> bool:
        """Seats in other districts are fine: opted in when applying, or said yes when asked."""
        return self.arrival.cross_district or bool(self.prompt_minutes)

    @property
    def travel_limit(self) -> int:
        """Most minutes to a seat elsewhere: as applied, or as accepted when asked again."""
        if self.arrival.cross_district:
            return self.arrival.max_travel_minutes
        return self.prompt_minutes or 0

    def wait_days(self, today: date) -> int:
        """Queue date to the offer of the seat held, or to today while still waiting."""
        until = self.offer_date if self.status in ("enrolled", "placed") else today
        if self.status in ("withdrawn", "expired") and self.ended is not None:
            until = self.ended
        return (until - self.arrival.queue_date).days  # type: ignore[operator]


@dataclass
class SimGroup:
    id: str
    programme: str
    district: str
    start: date
    weeks: int
    weekday: str
    slot: str
    language: str
    capacity: int
    min_size: int
    origin: str = "plan"  # plan | recommended
    leader: str | None = None
    status: str = "recruiting"  # recruiting | running | completed | cancelled
    enrolled: set[str] = field(default_factory=set)
    pending: set[str] = field(default_factory=set)
    decided_week: int | None = None
    decided_on: date | None = None

    @property
    def taken(self) -> int:
        return len(self.enrolled) + len(self.pending)

    @property
    def end(self) -> date:
        return self.start + timedelta(weeks=self.weeks)


@dataclass
class SimOffer:
    app: str
    group: str
    made: date
    respond_by: date
    response: Response
    cross_district: bool
    travel_minutes: int


@dataclass
class WeekStats:
    week: int
    day: date
    waiting: int
    placed: int
    offers: int
    equality_ratio: float | None
    medians: dict[str, float | None]
    over_capacity: int


@dataclass
class SimState:
    apps: dict[str, SimApp] = field(default_factory=dict)
    groups: dict[str, SimGroup] = field(default_factory=dict)
    offers: dict[str, SimOffer] = field(default_factory=dict)  # by application id
    next_arrival: int = 0
    next_planned: int = 0
    leader_groups: dict[str, set[str]] = field(default_factory=dict)
    # Leaders of cancelled planned groups (policy `cancelled_leader_weeks`): id -> (district,
    # last day they may be given a recommended group). Once given one they are in leader_groups.
    freed_leaders: dict[str, tuple[str, date]] = field(default_factory=dict)
    accepted: list[tuple[int, str, int]] = field(default_factory=list)  # week, district, wait
    history: list[WeekStats] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)
    candidate_seq: int = 0
    plan: list[PlannedGroup] | None = None  # this policy's own plan (policy 4), else the run's
    estimates: EstimateLog = field(default_factory=EstimateLog)  # ranges shown, and what followed

    def count(self, name: str, n: int = 1) -> None:
        self.counters[name] = self.counters.get(name, 0) + n
