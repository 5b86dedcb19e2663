"""One group listed in several rooms: the model opens the copy whose room is at least as free
and that starts no later (solver.recommend.reduce.room_dominance), without losing the optimum;
rooms that cannot host a group (weekday, slot, size) and leaders away in its weeks are left out.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver.recommend.pipeline import run
from solver.recommend.reduce import room_dominance
from solver.types import Leader, Programme, Room
from tests.support.budgets import examples
from tests.support.recommend_scenarios import (
    AS_OF,
    KOMET,
    ROOMS,
    candidate,
    parent,
    scenario,
    small_candidate,
)
from tests.unit.test_recommend_optimal import solved_in_rooms
from waitlist.domain.leader import iso_week

THIRD = Room("r-farsta-3", "farsta", "Farsta family centre, room 3")


@st.composite
def copies_in_rooms(draw):
    """One or two groups each listed in two or three of Farsta's rooms, copies starting a week
    apart or together, and another candidate taking one room now and then: the rooms differ, so
    they are not pooled, and some copy dominates another."""
    programmes = (
        replace(KOMET, capacity=3, min_size=2, sessions=draw(st.integers(1, 3))),
        Programme("abc", "ABC", "parent_group", 3, 12, 3, 1, ("sv",), sessions=2),
    )
    apps = [
        parent(
            n,
            "farsta",
            weeks=draw(st.sampled_from([1, 4, 9, 16, 30])),
            programme=draw(st.sampled_from(["komet", "abc"])),
        )
        for n in range(draw(st.integers(2, 6)))
    ]
    cands = []
    for n in range(draw(st.integers(1, 2))):
        base = small_candidate(draw, n)
        for room in draw(st.sampled_from([(1, 2), (1, 2, 3), (2, 3)])):
            later = timedelta(weeks=draw(st.integers(0, 1)))
            cands.append(
                replace(
                    base, id=f"{base.id}-{room}", room=f"r-farsta-{room}", start=base.start + later
                )
            )
    if draw(st.booleans()):
        other = candidate("d", "farsta", programme="abc", capacity=2, min_size=1, weeks_ahead=5)
        cands.append(replace(other, room=f"r-farsta-{draw(st.integers(1, 3))}"))
    leaders = [
        Leader(f"l-{p}", "farsta", (p,), draw(st.integers(1, 3)), ("sv",)) for p in ("komet", "abc")
    ]
    city = scenario(apps, cands, leaders, programmes)
    return replace(city, rooms=(*ROOMS, THIRD))


@settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(copies_in_rooms())
def test_copies_of_a_group_in_several_rooms_keep_the_brute_force_optimum(city):
    solved_in_rooms(city)


def _three_parents_and_a_leader(**leader):
    apps = [parent(n, "farsta", weeks=20) for n in range(3)]
    base = candidate("c", "farsta", capacity=3, min_size=2)
    cands = [replace(base, id=f"c-{r}", room=f"r-farsta-{r}") for r in (1, 2)]
    leaders = [Leader("l-1", "farsta", ("komet",), 1, ("sv",), **leader)]
    programmes = (replace(KOMET, sessions=3),)
    return replace(scenario(apps, cands, leaders, programmes), rooms=ROOMS)


def test_of_two_copies_the_one_whose_room_nothing_else_wants_is_preferred():
    city = _three_parents_and_a_leader()
    other = replace(candidate("d", "farsta", capacity=2, min_size=2), room="r-farsta-1")
    city = replace(city, candidate_groups=(*city.candidate_groups, other))
    prep = run(city).prepared
    ids = [(prep.candidates[a].id, prep.candidates[b].id) for a, b in room_dominance(prep)]
    assert ids == [("c-2", "c-1")]


def test_a_room_too_small_or_closed_that_day_hosts_no_recommended_group():
    city = _three_parents_and_a_leader()
    [rec] = run(city).result.recommendations
    small = replace(ROOMS[0], capacity=2)
    closed = replace(ROOMS[1], weekdays=("mon", "wed"))
    assert run(replace(city, rooms=(small, closed, *ROOMS[2:]))).result.recommendations == ()
    assert rec.room in {"r-farsta-1", "r-farsta-2"}


def test_a_leader_away_in_one_of_the_groups_weeks_leads_none_of_it():
    start = candidate("c", "farsta").start
    last_meeting = start + timedelta(weeks=2)
    assert run(_three_parents_and_a_leader()).result.recommendations
    away = _three_parents_and_a_leader(unavailable_weeks=(iso_week(last_meeting),))
    assert run(away).result.recommendations == ()
    after = _three_parents_and_a_leader(
        unavailable_weeks=(iso_week(last_meeting + timedelta(weeks=1)),)
    )
    assert run(after).result.recommendations
    assert start > AS_OF
