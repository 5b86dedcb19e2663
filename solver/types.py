"""Plain data crossing into and out of the solvers: frozen dataclasses, no database.

These mirror the scenario and result files of docs/scenario.md ("waitlist-scenario/1",
"waitlist-result/1"). Parsing and validating the JSON lives in solver/scenario/files.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from typing import Any, Protocol

from waitlist.domain.eligibility import Meeting
from waitlist.domain.policy import Rules
from waitlist.domain.reasons import ReasonFacts

# A scenario's districts and programmes are the domain's own values.
from waitlist.domain.reference import District as District
from waitlist.domain.reference import Programme as Programme
from waitlist.domain.room import room_refusal


@dataclass(frozen=True)
class Policy:
    cross_district_after_weeks: int = 8
    cross_district_test: str = "waited"  # or "projected": see waitlist.domain.crossing
    home_priority: str = "strict"  # see waitlist.domain.values.HomePriority
    offer_response_days: int = 10
    min_response_days: int = 3  # rule 10: see waitlist.domain.offer.answer_deadline
    target_weeks: int = 8
    small_cell_min: int = 5

    @classmethod
    def of(cls, rules: Rules, small_cell_min: int = 5) -> Policy:
        """The placement policy within an installation's rules (waitlist.domain.policy): each
        of its values is the rule of the same name."""
        shared = {f.name: getattr(rules, f.name) for f in fields(cls) if hasattr(rules, f.name)}
        return cls(**shared, small_cell_min=small_cell_min)


@dataclass(frozen=True)
class GroupRun:
    """What every group says about its run: a running group, a candidate, a planned one."""

    id: str
    programme: str
    district: str
    start: date
    weekday: str
    slot: str
    language: str
    capacity: int
    min_size: int


@dataclass(frozen=True)
class Group(GroupRun):
    taken: int = 0
    status: str = "recruiting"
    room: str | None = None  # a listed room it holds (Scenario.rooms); None: not said

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.taken)

    @property
    def short_of_min(self) -> int:
        """Seats still to fill before the group reaches its minimum size (or is full)."""
        return max(0, min(self.min_size, self.capacity) - self.taken)


@dataclass(frozen=True)
class Application:
    id: str
    programme: str
    district: str
    queue_date: date
    lottery: int
    child_birth: str
    languages: tuple[str, ...]
    slots: tuple[str, ...]
    cross_district: bool = False
    max_travel_minutes: int = 0


@dataclass(frozen=True)
class Leader:
    id: str
    district: str
    programmes: tuple[str, ...]
    max_groups: int
    languages: tuple[str, ...]
    unavailable_weeks: tuple[str, ...] = ()  # ISO weeks ('2026-W14') in which they lead nothing


@dataclass(frozen=True)
class CandidateGroup(GroupRun):
    room: str | None = None  # a listed room in its host district; None: a room is available


@dataclass(frozen=True)
class Room:
    """A room a group can meet in; it hosts one group at a time per weekday and slot."""

    id: str
    district: str
    name: str = ""
    capacity: int | None = None  # most parents in a group there; None: no limit
    weekdays: tuple[str, ...] = ()  # weekdays it can be booked; empty: any
    slots: tuple[str, ...] = ()  # time slots it can be booked; empty: any

    def refusal(self, weekday: str, slot: str, size: int) -> str | None:
        """Why it cannot host a group of `size` then (waitlist.domain.room), or None."""
        return room_refusal(
            self.capacity, self.weekdays, self.slots, weekday=weekday, slot=slot, size=size
        )

    @property
    def label(self) -> str:
        return self.name or self.id


class GroupShape(Meeting, Protocol):
    """Anything that describes a group's run: a stored group, a planned one, a candidate (when
    it meets: its start, language and slot; and the rest below)."""

    @property
    def programme(self) -> str: ...
    @property
    def district(self) -> str: ...
    @property
    def weekday(self) -> str: ...
    @property
    def capacity(self) -> int: ...
    @property
    def min_size(self) -> int: ...


def candidate_from(src: GroupShape, *, id: str) -> CandidateGroup:
    """A CandidateGroup with the run of `src` (every field of GroupRun) under the given id."""
    run = {f.name: getattr(src, f.name) for f in fields(GroupRun) if f.name != "id"}
    return CandidateGroup(id=id, **run)


def group_from(src: GroupShape, *, id: str, taken: int = 0, status: str = "recruiting") -> Group:
    """A solver Group with the run of `src` under the given id, seats taken and status."""
    return Group(**vars(candidate_from(src, id=id)), taken=taken, status=status)


@dataclass(frozen=True)
class Scenario:
    as_of: date
    policy: Policy
    districts: tuple[District, ...]
    travel_minutes: dict[str, dict[str, int]]
    programmes: tuple[Programme, ...]
    groups: tuple[Group, ...] = ()
    applications: tuple[Application, ...] = ()
    leaders: tuple[Leader, ...] = ()
    candidate_groups: tuple[CandidateGroup, ...] = ()
    rooms: tuple[Room, ...] = ()

    def travel(self, origin: str, destination: str) -> int | None:
        """Minutes from origin to destination; 0 within a district; None when unreachable."""
        if origin == destination:
            return 0
        return self.travel_minutes.get(origin, {}).get(destination)


class SolveStatus(StrEnum):
    OPTIMAL = "optimal"
    FEASIBLE = "feasible"
    INFEASIBLE = "infeasible"
    MODEL_INVALID = "model_invalid"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Offer:
    application: str
    group: str
    respond_by: date
    cross_district: bool
    travel_minutes: int
    reason: str
    reason_sv: str = ""
    facts: ReasonFacts | None = None  # what the reasons are rendered from, in any language


@dataclass(frozen=True)
class Unplaced:
    application: str
    reason: str
    reason_sv: str = ""
    facts: ReasonFacts | None = None


@dataclass(frozen=True)
class Recommendation:
    candidate: str
    leader: str
    serves: dict[str, int]
    reason: str
    effect: dict[str, float]
    applications: tuple[str, ...] = ()
    reason_sv: str = ""
    room: str | None = None


@dataclass(frozen=True)
class PlacementObjective:
    """A placement result's figures (docs/placement.md): offers made at home and elsewhere,
    parents left waiting, seats toward and groups reaching their minimum size, travel."""

    placed: int = 0
    own_district: int = 0
    cross_district: int = 0
    unplaced: int = 0
    seats_toward_min_size: int = 0
    groups_reaching_min_size: int = 0
    travel_minutes_total: int = 0

    @classmethod
    def count(
        cls, offers: Sequence[Offer], groups: Iterable[Group], waiting: int
    ) -> PlacementObjective:
        """The figures of `offers` into `groups`, out of `waiting` applications."""
        short = {g.id: g.short_of_min for g in groups}
        fill = reaching = 0
        for group, count in Counter(o.group for o in offers).items():
            need = short[group]
            fill += min(count, need)
            reaching += need > 0 and count >= need
        away = sum(1 for o in offers if o.cross_district)
        return cls(
            placed=len(offers),
            own_district=len(offers) - away,
            cross_district=away,
            unplaced=waiting - len(offers),
            seats_toward_min_size=fill,
            groups_reaching_min_size=reaching,
            travel_minutes_total=sum(o.travel_minutes for o in offers),
        )


@dataclass(frozen=True)
class RecommendObjective:
    """A recommendation's figures, its lexicographic tiers first (docs/recommend.md)."""

    weighted_waiting_weeks_removed: float = 0.0
    waiting_weeks_removed: float = 0.0
    groups_opened: int = 0
    parents_served: int = 0
    cross_district: int = 0
    travel_minutes_total: int = 0
    tier3_travel_and_start_weeks: float = 0.0
    gap: float = 0.0


@dataclass(frozen=True)
class PlacementResult:
    """A placement round's answer: an offer or a reason for every waiting application."""

    as_of: date
    status: SolveStatus
    offers: tuple[Offer, ...] = ()
    unplaced: tuple[Unplaced, ...] = ()
    objective: PlacementObjective = field(default_factory=PlacementObjective)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)

    def in_group(self, group: str, groups: Iterable[Group]) -> PlacementResult:
        """Only the offers into `group` (one of `groups`), the figures counted over those."""
        kept = tuple(o for o in self.offers if o.group == group)
        objective = PlacementObjective.count(kept, groups, len(kept))
        return PlacementResult(self.as_of, self.status, kept, (), objective, {})


@dataclass(frozen=True)
class RecommendResult:
    """The group starts recommended, with their leaders, rooms and the parents they serve."""

    as_of: date
    status: SolveStatus
    recommendations: tuple[Recommendation, ...] = ()
    objective: RecommendObjective = field(default_factory=RecommendObjective)
    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
