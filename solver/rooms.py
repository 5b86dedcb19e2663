"""Rooms: a room hosts at most one group at a time in the same weekday and slot.

A group holds its room from its start for its programme's number of sessions, one a week
(`sessions`, or `weeks` when the programme gives no session count): from `start` to its last
session, `start + 7·(sessions − 1)` days. Two groups naming the same room, weekday and slot
clash when those runs overlap. Groups already in the scenario that name a room hold it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from solver.types import CandidateGroup, Group, Programme, Scenario

_HOLDING = ("planned", "recruiting", "running")


def session_count(prog: Programme | None) -> int:
    """Weekly sessions of a programme (scenario files listing rooms always give them)."""
    if prog is None:
        return 1
    return max(1, prog.sessions or prog.weeks or 1)


@dataclass(frozen=True)
class Booking:
    """A room held on one weekday and slot from `first` to `last` (session dates, inclusive)."""

    room: str
    weekday: str
    slot: str
    first: date
    last: date

    def clashes(self, other: Booking) -> bool:
        return (
            (self.room, self.weekday, self.slot) == (other.room, other.weekday, other.slot)
            and self.first <= other.last
            and other.first <= self.last
        )


def booking(group: CandidateGroup | Group, scenario: Scenario) -> Booking | None:
    """The room a candidate or a group holds, and when; None when it names no room."""
    if group.room is None:
        return None
    prog = next((p for p in scenario.programmes if p.slug == group.programme), None)
    last = group.start + timedelta(weeks=session_count(prog) - 1)
    return Booking(group.room, group.weekday, group.slot, group.start, last)


def held_by_groups(scenario: Scenario) -> list[Booking]:
    """Rooms held by the scenario's groups (planned, recruiting or running)."""
    out = []
    for g in scenario.groups:
        held = booking(g, scenario) if g.status in _HOLDING else None
        if held is not None:
            out.append(held)
    return out


def clash_cliques(bookings: dict[int, Booking]) -> list[tuple[int, ...]]:
    """Sets of keys whose bookings pairwise clash, at most one of each may open; together they
    forbid every clash (runs on a line: the maximal sets are those holding some run's start)."""
    by_place: dict[tuple[str, str, str], list[int]] = {}
    for key, b in sorted(bookings.items()):
        by_place.setdefault((b.room, b.weekday, b.slot), []).append(key)
    out: list[tuple[int, ...]] = []
    for keys in by_place.values():
        sets = []
        for k in keys:
            day = bookings[k].first
            sets.append(frozenset(j for j in keys if bookings[j].first <= day <= bookings[j].last))
        maximal = {s for s in sets if len(s) > 1 and not any(s < t for t in sets)}
        out.extend(sorted(tuple(sorted(s)) for s in maximal))
    return out


def room_label(scenario: Scenario, room: str) -> str:
    return next((r.label for r in scenario.rooms if r.id == room), room)
