"""What a district's queues need of the next group (the coordinator's groups page): the
parents with no free seat in sight, the time most of them can come at and the language, by
the rules the simulation's queue-starts policy uses. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import Session

from tests.support.api import (
    HOME,
    OTHER,
    City,
    api_client,
    application_body,
    bearer,
    group_body,
    login,
)
from tests.support.foundation import coordinator
from waitlist.domain.errors import Forbidden
from waitlist.services import applications, groups
from waitlist.services.access import Actor
from waitlist.services.queue_needs import queue_needs
from waitlist.storage.tables import Application


def _apply(city: City, n: int, district: str = HOME, **extra: object) -> list[int]:
    body = application_body(district, **{"cross_district": False, **extra})
    return [applications.apply(city.uow(), body).application.id for _ in range(n)]


def _komet(city: City, district: str = HOME):  # noqa: ANN202
    needs = {n.programme: n for n in queue_needs(city.uow(), coordinator(district), district)}
    return needs["komet"]


def test_parents_the_open_groups_can_seat_need_nothing_new(city: City) -> None:
    _apply(city, 10)  # the home group has 10 free seats, Swedish, evenings
    need = _komet(city)
    assert (need.waiting, need.unseated, need.slot) == (10, 0, None)


def test_the_suggestion_follows_the_parents_no_open_group_fits(city: City) -> None:
    _apply(city, 10)
    _apply(city, 6, languages=["ar"], slots=["day"])  # no Arabic group anywhere
    _apply(city, 3, slots=["day"])  # Swedish, but days only: the evening group does not fit
    need = _komet(city)
    assert (need.waiting, need.unseated) == (19, 9)
    # Six can take only Arabic, enough to start a Komet group (minimum 6) and more than the
    # three who can take only Swedish: in Arabic, by day.
    assert need.only == {"ar": 6, "sv": 3} and need.language == "ar"
    assert need.can_come == {"day": 6} and need.slot == "day"


def test_a_seat_next_door_counts_only_for_parents_who_opted_in_within_reach(city: City) -> None:
    start = (date.today() + timedelta(days=40)).isoformat()
    groups.create_group(
        city.uow(),
        group_body(OTHER, language="ar", slot="day", capacity=3, min_size=3, start=start),
    )
    _apply(city, 6, languages=["ar"], slots=["day"])
    assert _komet(city).language == "ar"  # not opted in: the seats next door do not count
    _apply(city, 2, languages=["ar"], slots=["day"], cross_district=True, max_travel_minutes=60)
    _apply(city, 1, languages=["ar"], slots=["day"], cross_district=True, max_travel_minutes=15)
    # Skarpnäck is 19 minutes away: the two who opted in with an hour have seats in sight,
    # the one with 15 minutes has not, though a third seat is free there.
    need = _komet(city)
    assert (need.waiting, need.unseated, need.only) == (9, 7, {"ar": 7})


def test_paused_parents_and_other_districts_are_left_out(city: City) -> None:
    _apply(city, 6, OTHER, languages=["ar"], slots=["day"])
    ids = _apply(city, 6, languages=["ar"], slots=["day"])
    with Session(city.engine) as session:  # paused after two unanswered offers (rule)
        app = session.get(Application, ids[0])
        assert app is not None
        app.paused = True
        session.add(app)
        session.commit()
    need = _komet(city)
    assert (need.waiting, need.only) == (5, {"ar": 5}) and need.language == "sv"


def test_only_the_districts_coordinator_may_see_its_needs(city: City) -> None:
    for actor in (
        coordinator(OTHER),
        Actor(kind="staff", role="management"),
        Actor(kind="parent", application_id=1),
    ):
        with pytest.raises(Forbidden):
            queue_needs(city.uow(), actor, HOME)


def test_the_api_answers_the_districts_coordinator_and_names_what_is_wrong(city: City) -> None:
    _apply(city, 6, languages=["ar"], slots=["day"])
    client = api_client(city)
    mine = bearer(login(client, "coord-home"))
    got = client.get(f"/api/v1/queues/{HOME}/komet/next-group", headers=mine)
    assert got.status_code == 200, got.text
    body = got.json()
    assert (body["slot"], body["language"], body["only"], body["waiting"]) == (
        "day",
        "ar",
        {"ar": 6},
        6,
    )
    nobody = client.get(f"/api/v1/queues/{HOME}/abc/next-group", headers=mine).json()
    assert (nobody["waiting"], nobody["slot"], nobody["language"]) == (0, None, "sv")
    unknown = client.get(f"/api/v1/queues/{HOME}/nosuch/next-group", headers=mine)
    assert unknown.status_code == 404 and "programme" in unknown.text
    theirs = bearer(login(client, "coord-other"))
    manager = bearer(login(client, "manager"))
    for headers in (theirs, manager, {}):
        refused = client.get(f"/api/v1/queues/{HOME}/komet/next-group", headers=headers)
        assert refused.status_code in (401, 403)


def test_individual_support_starts_no_group_and_is_not_listed(city: City) -> None:
    _apply(city, 2, programme="trappan")
    _apply(city, 1)
    listed = queue_needs(city.uow(), coordinator(HOME), HOME)
    assert [n.programme for n in listed] == ["komet"]


def test_a_seat_at_a_time_the_parent_cannot_come_is_no_seat_in_sight(city: City) -> None:
    _apply(city, 2, slots=["day"])  # the home group's 10 free seats are in the evening
    need = _komet(city)
    assert (need.waiting, need.unseated, need.slot, need.can_come) == (2, 2, "day", {"day": 2})
