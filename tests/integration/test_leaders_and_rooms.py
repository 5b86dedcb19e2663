"""Leaders and venues kept in the database by coordinators (SQLite and PostgreSQL), and the
recommender reading them: who can lead where and when, and which room can host a group."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.foundation import World, coordinator, new_world
from waitlist.domain.errors import DomainError, Forbidden, InvalidInput
from waitlist.domain.leader import iso_week
from waitlist.services import groups, leaders, recommendations, venues


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


FARSTA = coordinator("farsta")


def _leader(world: World, **overrides) -> int:
    data = {
        "label": "Anna",
        "district": "farsta",
        "programmes": ["komet"],
        "languages": ["sv"],
        "max_groups": 1,
    }
    return leaders.create_leader(world.uow(), FARSTA, data | overrides).id


def _venue(world: World, **overrides) -> int:
    data = {"district": "farsta", "name": "Familjecentralen, sal 1", "address": "Farsta torg 3"}
    return venues.create_venue(world.uow(), FARSTA, data | overrides).id


def _recommended(world: World):
    world.clock.advance(7 * 12)
    found = recommendations.recommend_for(world.uow(), district="farsta")
    world.clock.advance(-7 * 12)
    return found


def _seven_waiting(world: World) -> None:
    for _ in range(7):
        world.apply(slots=["evening"])


def test_a_coordinator_keeps_their_leaders_weeks_away_written_as_people_write_them(world):
    leader = _leader(world, unavailable_weeks=["2026-w14", "2026-04-01", "2026-W14"])
    shown = leaders.get_leader(world.uow(readonly=True), FARSTA, leader)
    assert shown.unavailable_weeks == ["2026-W14"]  # a date stands for its week; each once
    leaders.update_leader(world.uow(), FARSTA, leader, {"max_groups": 2, "languages": ["sv", "ar"]})
    leaders.update_leader(world.uow(), FARSTA, leader, {"active": False})
    [row] = leaders.list_leaders(world.uow(readonly=True), FARSTA).data
    assert (row.max_groups, row.languages, row.active) == (2, ["ar", "sv"], False)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unavailable_weeks": ["week 14"]}, "unavailable_weeks"),
        ({"unavailable_weeks": ["2026-W54"]}, "unavailable_weeks"),
        ({"programmes": ["no-such-programme"]}, "programmes"),
        ({"languages": []}, "languages"),
        ({"max_groups": 0}, "max_groups"),
    ],
)
def test_a_leader_with_bad_values_is_refused_naming_the_field(world, change, field):
    with pytest.raises(DomainError) as raised:
        _leader(world, **change)
    assert raised.value.field == field


def test_another_districts_coordinator_can_neither_see_nor_change_a_leader(world):
    leader = _leader(world)
    other = coordinator("skarpnack")
    with pytest.raises(Forbidden):
        leaders.get_leader(world.uow(readonly=True), other, leader)
    with pytest.raises(Forbidden):
        leaders.update_leader(world.uow(), other, leader, {"active": False})
    with pytest.raises(Forbidden):
        leaders.create_leader(
            world.uow(),
            other,
            {"label": "X", "district": "farsta", "programmes": ["komet"], "languages": ["sv"]},
        )
    assert leaders.list_leaders(world.uow(readonly=True), other).data == []
    with pytest.raises(Forbidden):
        venues.update_venue(world.uow(), other, _venue(world), {"capacity": 4})


def test_a_room_hosts_only_the_groups_it_can_take(world):
    room = _venue(world, capacity=8, weekdays=["wed", "mon"], slots=["evening"])
    shown = venues.get_venue(world.uow(readonly=True), room)
    assert (shown.capacity, shown.weekdays, shown.slots) == (8, ["mon", "wed"], ["evening"])
    refused = [("tue", "evening", 8), ("wed", "day", 8), ("wed", "evening", 12)]
    for weekday, slot, capacity in refused:
        with pytest.raises(InvalidInput) as raised:
            world.group(venue_id=room, weekday=weekday, slot=slot, capacity=capacity, min_size=6)
        assert raised.value.field == "venue_id"
    start = world.clock.today + timedelta(weeks=4)
    start += timedelta(days=(2 - start.weekday()) % 7)
    assert world.group(venue_id=room, start=start, weekday="wed", capacity=8, min_size=6)


def test_a_recommendation_changes_when_its_leader_is_away_in_the_groups_weeks(world):
    _seven_waiting(world)
    first = _leader(world, label="Anna")
    [rec] = _recommended(world).result.recommendations
    assert rec.leader == f"l-{first}"
    start = _recommended(world).candidates[rec.candidate].start
    second = _leader(world, label="Bo")
    leaders.update_leader(world.uow(), FARSTA, first, {"unavailable_weeks": [iso_week(start)]})
    [rec] = _recommended(world).result.recommendations
    assert rec.leader == f"l-{second}"
    leaders.update_leader(world.uow(), FARSTA, second, {"active": False})
    assert _recommended(world).result.recommendations == ()


def test_a_recommendation_moves_when_its_room_is_taken_or_removed(world):
    _seven_waiting(world)
    _leader(world, max_groups=2)
    big = _venue(world, name="Sal 1", weekdays=["tue"], slots=["evening"])
    small = _venue(world, name="Sal 2", capacity=4)
    found = _recommended(world)
    [rec] = found.result.recommendations
    assert rec.room == f"v-{big}"  # the small room cannot take a group of six
    venues.update_venue(world.uow(), FARSTA, big, {"weekdays": ["thu"]})
    [rec] = _recommended(world).result.recommendations
    assert (rec.room, _recommended(world).candidates[rec.candidate].weekday) == (f"v-{big}", "thu")
    venues.update_venue(world.uow(), FARSTA, small, {"capacity": 12})
    cand = found.candidates[found.result.recommendations[0].candidate]
    # An Arabic group (none of these parents' languages) takes the big room on Thursdays.
    world.group(venue_id=big, start=cand.start + timedelta(days=2), weekday="thu", language="ar")
    [rec] = _recommended(world).result.recommendations
    assert rec.room == f"v-{small}"  # the big room is held by a group then
    venues.update_venue(world.uow(), FARSTA, small, {"active": False})
    assert _recommended(world).result.recommendations == ()


def test_a_leader_away_in_a_week_the_group_meets_cannot_be_given_the_group(world):
    group = world.group(meetings=4)
    start = world.clock.today + timedelta(weeks=4)
    away = _leader(world, unavailable_weeks=[iso_week(start + timedelta(weeks=2))])
    with pytest.raises(InvalidInput) as raised:
        groups.assign_leader(world.uow(), group, away)
    assert raised.value.field == "leader"
    free = _leader(world, label="Bo", unavailable_weeks=[iso_week(start + timedelta(weeks=9))])
    assert groups.assign_leader(world.uow(), group, free).leaders == [free]
