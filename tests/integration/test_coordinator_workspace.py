"""A coordinator's workspace against the database (SQLite and PostgreSQL): finding an
application by number, a queue's members with filters and order, the district's queue for a
download, taking one offer out of a round's preview, and groups whose dates, limits and
actions make sense. Another district's coordinator sees none of it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.support.foundation import World, coordinator, new_world
from waitlist.domain.errors import Forbidden, IllegalTransition, InvalidInput, NotFound
from waitlist.services import groups, offers, queue_members, round_edits, rounds, views
from waitlist.services.access import Actor
from waitlist.services.queue_members import MemberQuery
from waitlist.services.scenario_export import application_ref, parse_ref
from waitlist.storage.tables import Application, Offer, PlacementRound

HOME = coordinator("farsta")
OTHER = coordinator("skarpnack", 2)
MANAGER = Actor(kind="staff", role="management", staff_id=3)


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


def _queue(world: World) -> dict[str, int]:
    """Four parents of Farsta waiting for Komet, a week apart, and one of Skarpnäck."""
    ids = {}
    for name, extra in (
        ("first", {"languages": ["sv"], "slots": ["evening"]}),
        ("arabic", {"languages": ["ar", "sv"], "cross_district": True, "max_travel_minutes": 40}),
        ("young", {"child_birth": f"{world.clock.today.year - 2}-11"}),
        ("near", {"cross_district": True, "max_travel_minutes": 15, "slots": ["morning"]}),
    ):
        ids[name] = world.apply(**extra).application.id
        world.clock.advance(7)
    ids["elsewhere"] = world.apply(district="skarpnack").application.id
    return ids


def test_a_coordinator_finds_their_districts_application_with_its_place(world):
    ids = _queue(world)
    found = queue_members.find_application(world.uow(), HOME, ids["arabic"])
    assert found.member is not None and found.member.position == 2
    assert found.status == "waiting" and found.pending_offer is None
    assert found.member.languages == ("ar", "sv")


def test_another_districts_number_is_not_found_exactly_like_a_missing_one(world):
    ids = _queue(world)
    missing = 10**6
    with pytest.raises(NotFound) as other:
        queue_members.find_application(world.uow(), HOME, ids["elsewhere"])
    with pytest.raises(NotFound) as absent:
        queue_members.find_application(world.uow(), HOME, missing)
    assert other.value.field == absent.value.field == "application"
    assert other.value.message.replace(str(ids["elsewhere"]), "N") == absent.value.message.replace(
        str(missing), "N"
    )
    with pytest.raises(Forbidden):
        queue_members.find_application(world.uow(), MANAGER, ids["first"])


def test_a_queues_members_come_in_order_with_wait_languages_slots_reach_and_age(world):
    ids = _queue(world)
    found = queue_members.members(world.uow(), HOME, "komet")
    assert [m.application_id for m in found] == [
        ids[k] for k in ("first", "arabic", "young", "near")
    ]
    assert [m.position for m in found] == [1, 2, 3, 4]
    assert found[0].weeks_waiting == 4.0 and found[0].slots == ("evening",)
    young = found[2]
    assert young.age_fit == "too_young"
    assert young.fits_from == date(world.clock.today.year + 1, 11, 1)
    assert (found[1].cross_district, found[1].max_travel_minutes) == (True, 40)
    assert found[0].max_travel_minutes == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (MemberQuery(language="ar"), ["arabic"]),
        (MemberQuery(slot="morning"), ["arabic", "young", "near"]),  # no slot given: any slot
        (MemberQuery(cross_district=True), ["arabic", "near"]),
        (MemberQuery(age_fit="too_young"), ["young"]),
        (MemberQuery(sort="newest"), ["near", "young", "arabic", "first"]),
        (MemberQuery(sort="travel"), ["arabic", "near", "first", "young"]),
    ],
)
def test_a_queue_filters_and_sorts_as_asked(world, query, expected):
    ids = _queue(world)
    found = queue_members.members(world.uow(), HOME, "komet", query)
    assert [m.application_id for m in found] == [ids[k] for k in expected]


def test_a_bad_filter_or_another_districts_queue_is_refused_naming_why(world):
    _queue(world)
    with pytest.raises(InvalidInput) as bad:
        queue_members.members(world.uow(), HOME, "komet", MemberQuery(sort="lottery"))
    assert bad.value.field == "sort"
    with pytest.raises(Forbidden):
        queue_members.members(world.uow(), OTHER, "komet", district="farsta")
    with pytest.raises(NotFound):
        queue_members.members(world.uow(), HOME, "yoga")


def test_the_district_queue_holds_only_the_coordinators_own_district(world):
    ids = _queue(world)
    mine = queue_members.district_queue(world.uow(), HOME)
    theirs = queue_members.district_queue(world.uow(), OTHER)
    assert {m.application_id for m in mine} == {
        ids[k] for k in ("first", "arabic", "young", "near")
    }
    assert [m.application_id for m in theirs] == [ids["elsewhere"]]
    assert {m.district for m in mine} == {"farsta"}
    with pytest.raises(Forbidden):
        queue_members.district_queue(world.uow(), MANAGER)


def _preview_for_one_seat(world: World) -> tuple[list[int], int]:
    apps = [world.apply().application.id for _ in range(3)]
    world.group(capacity=1, min_size=1)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"), district="farsta")
    return apps, preview.id


def test_removing_a_proposed_offer_works_the_round_out_again_without_that_parent(world):
    apps, round_id = _preview_for_one_seat(world)
    with world.uow(readonly=True) as uow:
        first = parse_ref(uow.session.get(PlacementRound, round_id).offers[0]["application"])
        before = uow.session.get(Application, first).model_dump()
    again = round_edits.drop_offer(world.uow(actor="c"), HOME, round_id, first)
    assert again.id != round_id and again.status == "preview"
    assert round_edits.left_out(again) == [first]
    offered = [o["application"] for o in again.offers]
    assert len(offered) == 1 and application_ref(first) not in offered
    with world.uow(readonly=True) as uow:
        assert uow.session.get(PlacementRound, round_id).status == "discarded"
        after = uow.session.get(Application, first).model_dump()
    assert after == before  # the parent keeps their place: nothing about them changed
    rounds.commit_round(world.uow(actor="c"), again.id)
    with world.uow(readonly=True) as uow:
        made = uow.session.exec(select(Offer)).all()
    assert [o.application_id for o in made] == [parse_ref(offered[0])]
    # The next round serves the parent who was left out.
    assert first in {a for a in apps if a != made[0].application_id}


def test_removing_twice_remembers_both_and_another_coordinator_cannot(world):
    _apps, round_id = _preview_for_one_seat(world)
    with pytest.raises(NotFound):
        round_edits.drop_offer(world.uow(actor="c"), OTHER, round_id, 1)
    with world.uow(readonly=True) as uow:
        first = parse_ref(uow.session.get(PlacementRound, round_id).offers[0]["application"])
    with pytest.raises(NotFound) as not_offered:
        round_edits.drop_offer(world.uow(actor="c"), HOME, round_id, first + 100)
    assert not_offered.value.field == "application"
    again = round_edits.drop_offer(world.uow(actor="c"), HOME, round_id, first)
    second = parse_ref(again.offers[0]["application"])
    third = round_edits.drop_offer(world.uow(actor="c"), HOME, again.id, second)
    assert sorted(round_edits.left_out(third)) == sorted([first, second])
    with pytest.raises(IllegalTransition):
        round_edits.drop_offer(world.uow(actor="c"), HOME, round_id, first)


def _group(world: World, **extra) -> dict:
    return world.group_command(**({"start": world.clock.today + timedelta(days=10)} | extra))


def test_a_new_groups_weekday_follows_its_first_meeting_or_must_match_it(world):
    made = groups.create_group(world.uow(), _group(world))
    start = world.clock.today + timedelta(days=10)
    assert made.weekday == ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()]
    wrong = "fri" if made.weekday != "fri" else "mon"
    with pytest.raises(InvalidInput) as exc:
        groups.create_group(world.uow(), _group(world, weekday=wrong))
    assert exc.value.field == "weekday"
    assert groups.create_group(world.uow(), _group(world, weekday=made.weekday)).id


@pytest.mark.parametrize(
    ("extra", "field", "limits"),
    [
        ({"start_days": -1}, "start", {}),
        ({"start_days": 800}, "start", {"days": 732}),
        ({"capacity": 13}, "capacity", {"max": 12}),
        ({"capacity": 8, "min_size": 9}, "min_size", {"max": 8}),
    ],
)
def test_a_group_in_the_past_or_over_its_limits_is_refused_naming_the_limit(
    world, extra, field, limits
):
    extra = dict(extra)  # the parameters are shared by the SQLite and PostgreSQL runs
    days = extra.pop("start_days", 10)
    with pytest.raises(InvalidInput) as exc:
        groups.create_group(
            world.uow(), _group(world, start=world.clock.today + timedelta(days=days), **extra)
        )
    assert exc.value.field == field
    assert exc.value.limits == limits


def test_a_group_offers_start_only_when_it_can_and_says_why_not(world):
    planned = groups.create_group(world.uow(), _group(world, status="planned", min_size=2))
    assert planned.actions == ["open", "cancel"]
    assert planned.start_refused == "not_recruiting"
    recruiting = groups.open_group(world.uow(), planned.id)
    assert recruiting.actions == ["cancel"] and recruiting.start_refused == "too_few"
    with pytest.raises(IllegalTransition) as exc:
        groups.start_group(world.uow(), planned.id)
    assert exc.value.limits == {"enrolled": 0, "min": 2}
    for _ in range(2):
        app = world.apply().application.id
        offer = offers.make_offer(world.uow(), app, planned.id)
        offers.accept_offer(world.uow(), offer.id)
    ready = views.get_group(world.uow(), planned.id)
    assert ready.actions == ["start", "cancel"] and ready.start_refused is None
    running = groups.start_group(world.uow(), planned.id)
    assert running.actions == ["complete"] and running.start_refused == "not_open"


def test_only_the_groups_own_coordinator_may_open_start_or_cancel_it(world):
    planned = groups.create_group(world.uow(), _group(world, status="planned"))
    for change in (groups.open_group, groups.start_group, groups.cancel_group):
        with pytest.raises(Forbidden):
            change(world.uow(), planned.id, actor=OTHER)
    assert views.get_group(world.uow(), planned.id).status == "planned"
    assert groups.open_group(world.uow(), planned.id, actor=HOME).status == "recruiting"
    with pytest.raises(NotFound):
        groups.cancel_group(world.uow(), 10**6, actor=HOME)
