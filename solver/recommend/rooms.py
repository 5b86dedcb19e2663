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


@dataclass(frozen=True)
class RoomPool:
    """Rooms interchangeable on one weekday and slot: each is named by the same candidates but
    for the room (same kind, same run), so any group can take any of them. `orbits`: per such
    candidate, its copies, one per room in `rooms` order."""

    rooms: tuple[str, ...]
    orbits: tuple[tuple[int, ...], ...]


def room_rows(
    bookings: dict[int, Booking], kind_of: dict[int, int]
) -> tuple[list[tuple[tuple[int, ...], int]], list[RoomPool]]:
    """Rows `Σ open ≤ limit` that together forbid every clash, and the pools they assume.

    A room outside a pool gets its clique rows (limit 1). Rooms of a pool get, for each set of
    pairwise-overlapping orbits, one row over all their copies with the pool's size as limit:
    runs are intervals, so when at most that many run at any time they fit in the rooms, and
    each orbit has a copy in every room. The model opens an orbit's copies in room order;
    `place_in_rooms` gives the opened ones their rooms."""
    by_place: dict[tuple[str, str], dict[str, list[int]]] = {}
    for key, b in sorted(bookings.items()):
        by_place.setdefault((b.weekday, b.slot), {}).setdefault(b.room, []).append(key)
    pools: list[RoomPool] = []
    alone: dict[int, Booking] = {}
    for rooms in by_place.values():

        def run(k: int) -> tuple[int, date, date]:
            return (kind_of[k], bookings[k].first, bookings[k].last)

        same: dict[tuple[object, ...], list[str]] = {}
        for room in sorted(rooms):
            same.setdefault(tuple(sorted(run(k) for k in rooms[room])), []).append(room)
        for names in same.values():
            if len(names) < 2:
                alone.update((k, bookings[k]) for k in rooms[names[0]])
                continue
            columns = [sorted(rooms[r], key=lambda k: (run(k), k)) for r in names]
            pools.append(RoomPool(tuple(names), tuple(zip(*columns, strict=True))))
    rows = [(clique, 1) for clique in clash_cliques(alone)]
    for pool in pools:
        runs = {n: bookings[orbit[0]] for n, orbit in enumerate(pool.orbits)}
        for clique in clash_cliques(runs):
            copies = tuple(sorted(c for n in clique for c in pool.orbits[n]))
            rows.append((copies, len(pool.rooms)))
    return rows, pools


def in_room_order(pools: list[RoomPool] | tuple[RoomPool, ...], opened: set[int]) -> set[int]:
    """The same groups with each orbit's opened copies moved to its first rooms (the model's
    form of a plan)."""
    out = set(opened)
    for pool in pools:
        for orbit in pool.orbits:
            n = sum(1 for c in orbit if c in out)
            out -= set(orbit)
            out |= set(orbit[:n])
    return out


def place_in_rooms(
    pools: list[RoomPool] | tuple[RoomPool, ...], bookings: dict[int, Booking], opened: set[int]
) -> set[int]:
    """The same groups with each pool's opened orbits given rooms that never clash: by start,
    each takes the first room free then (intervals: never more running than rooms)."""
    out = set(opened)
    for pool in pools:
        starts: list[tuple[date, date, int]] = []
        for n, orbit in enumerate(pool.orbits):
            k = sum(1 for c in orbit if c in out)
            out -= set(orbit)
            b = bookings[orbit[0]]
            starts.extend((b.first, b.last, n) for _ in range(k))
        free_from: list[date | None] = [None] * len(pool.rooms)
        for first, last, n in sorted(starts):
            r = next(r for r, day in enumerate(free_from) if day is None or day < first)
            free_from[r] = last
            out.add(pool.orbits[n][r])
    return out
