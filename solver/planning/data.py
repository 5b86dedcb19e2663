"""Term planning's plain data: what the planner is given and what it gives back.

A term's demand comes in classes of parents who could use the same groups: the same home
district, programme, languages, times of day and travel limit (0: their own district only).
Each class counts the parents waiting now and those expected to apply before the term's
groups have started (`forecast_demand`). The planner places the term's budget of groups
over host district x programme x language x slot; `baseline` is the plan the city would make
otherwise (by population), the yardstick of each effect.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from solver.types import District, Programme, SolveStatus

SLOTS = ("morning", "day", "evening", "weekend")


class Applicant(Protocol):
    """What the forecast reads of an application (a solver Application, a simulated arrival)."""

    @property
    def district(self) -> str: ...
    @property
    def programme(self) -> str: ...
    @property
    def languages(self) -> tuple[str, ...]: ...
    @property
    def slots(self) -> tuple[str, ...]: ...
    @property
    def cross_district(self) -> bool: ...
    @property
    def max_travel_minutes(self) -> int: ...


@dataclass(frozen=True)
class DemandClass:
    district: str
    programme: str
    languages: tuple[str, ...]
    slots: tuple[str, ...]
    max_travel_minutes: int  # 0: own district only
    waiting: int  # waiting now, less the seats already recruiting in the district
    arriving: int  # expected to apply during the term

    @property
    def parents(self) -> int:
        return self.waiting + self.arriving


@dataclass(frozen=True)
class PlanOptions:
    # CP-SAT's deterministic work limit per solve binds: the same input gives the same plan on
    # any machine, however loaded. The wall-clock limit is only a safety net, far above it
    # (a wall-clock limit that binds on a busy machine makes the plan depend on the load).
    time_limit_s: float = 900.0
    deterministic_limit: float = 5.0
    random_seed: int = 2026


@dataclass(frozen=True)
class TermInput:
    term_start: date
    term_weeks: int
    districts: tuple[District, ...]
    programmes: tuple[Programme, ...]
    travel_minutes: dict[str, dict[str, int]]
    demand: tuple[DemandClass, ...]
    budget: dict[str, int]  # programme -> groups to plan this term
    baseline: dict[tuple[str, str], int] = field(default_factory=dict)  # (district, programme)
    # Groups a district can host this term (its leaders' and venues' room); absent: no limit.
    host_limits: dict[str, int] = field(default_factory=dict)
    # Count on opted-in parents (within their travel limit) filling planned groups in other
    # districts. Without it a small district's parents count only where a group of their own
    # can fill. In the simulation (seed 2026, policy 4) the two make little difference: a
    # max/min ratio of district median waits of 2.50 with, 2.47 without (docs/simulation.md).
    cross_district: bool = True

    def travel(self, origin: str, destination: str) -> int | None:
        if origin == destination:
            return 0
        return self.travel_minutes.get(origin, {}).get(destination)


@dataclass(frozen=True)
class PlannedCell:
    """Groups of one programme in one language and slot, hosted in one district."""

    district: str
    programme: str
    language: str
    slot: str
    groups: int
    parents: int  # expected to take a seat
    by_home: dict[str, int]  # expected parents per home district (counts, never names)


@dataclass(frozen=True)
class Effect:
    """One district and programme, before (baseline) and after (the plan).

    Groups are those hosted in the district; waits are for its own parents, wherever
    they are served: the projected wait of a parent who applies in the middle of the term
    (`projected_wait_weeks`), None when no seat is planned for them at all.
    """

    district: str
    programme: str
    groups_before: int
    groups_after: int
    waiting: int
    arriving: int
    served_before: int
    served_after: int
    wait_before: float | None
    wait_after: float | None
    short_before: int = 0  # baseline groups expected to fall below their minimum size


@dataclass(frozen=True)
class TermPlan:
    status: SolveStatus
    cells: tuple[PlannedCell, ...] = ()
    effects: tuple[Effect, ...] = ()
    objective: dict[str, float] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.status in (SolveStatus.OPTIMAL, SolveStatus.FEASIBLE)


def projected_wait_weeks(waiting: int, arriving: int, served: int, term_weeks: int) -> float | None:
    """The wait of a parent who applies in the middle of the term, as a fluid queue: seats come
    evenly over the term (`served` / `term_weeks` a week) and are taken in queue order, so that
    parent waits for the parents ahead of them then (those waiting now and half of the term's
    arrivals, less the seats of the first half) at that rate. None with no seat at all."""
    if served <= 0:
        return None
    rate = served / term_weeks
    ahead = max(0.0, waiting + arriving / 2 - served / 2)
    return round(ahead / rate, 1)


def forecast_demand(
    waiting: Sequence[Applicant],
    recent: Sequence[Applicant],
    *,
    lookback_weeks: int,
    horizon_weeks: int,
    free_seats: dict[tuple[str, str], int] | None = None,
) -> tuple[DemandClass, ...]:
    """Demand classes from the queues: the parents waiting now, and as many applying in the
    next `horizon_weeks` as applied in the last `lookback_weeks` (scaled), with the same mix of
    languages, slots and travel limits. Free seats already recruiting in a district are taken
    from its waiting parents first (the earliest-sorted classes)."""
    free = dict(free_seats or {})
    waiting_n: dict[Key, int] = {}
    for a in waiting:
        waiting_n[_key(a)] = waiting_n.get(_key(a), 0) + 1
    recent_n: dict[Key, int] = {}
    for a in recent:
        recent_n[_key(a)] = recent_n.get(_key(a), 0) + 1
    arriving = _scaled(recent_n, horizon_weeks / max(1, lookback_weeks))
    out = []
    for key in sorted(set(waiting_n) | set(arriving)):
        w = waiting_n.get(key, 0)
        take = min(w, free.get(key[:2], 0))
        if take:
            free[key[:2]] -= take
        district, programme, languages, slots, travel = key
        cls = DemandClass(
            district, programme, languages, slots, travel, w - take, arriving.get(key, 0)
        )
        if cls.parents > 0:
            out.append(cls)
    return tuple(out)


Key = tuple[str, str, tuple[str, ...], tuple[str, ...], int]  # DemandClass without counts


def _key(a: Applicant) -> Key:
    travel = a.max_travel_minutes if a.cross_district else 0
    slots = tuple(sorted(a.slots)) if a.slots else SLOTS
    return (a.district, a.programme, tuple(sorted(a.languages)), slots, travel)


def _scaled(counts: dict[Key, int], factor: float) -> dict[Key, int]:
    """Counts times `factor`, rounded per district and programme by largest remainder (so the
    total per district and programme is its own rounded total)."""
    groups: dict[tuple[str, str], list[Key]] = {}
    for key in sorted(counts):
        groups.setdefault(key[:2], []).append(key)
    out: dict[Key, int] = {}
    for keys in groups.values():
        exact = {k: counts[k] * factor for k in keys}
        total = round(sum(exact.values()))
        floors = {k: int(v) for k, v in exact.items()}
        left = total - sum(floors.values())
        for k in sorted(keys, key=lambda k: (-(exact[k] - floors[k]), k))[: max(0, left)]:
            floors[k] += 1
        out.update({k: n for k, n in floors.items() if n})
    return out
