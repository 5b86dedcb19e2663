"""What a preview depends on: the parents ranked ahead of an offered one follow the
home-priority policy; anything else may change without making the commit stale."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from solver.types import Application, District, Group, Offer, Policy, Scenario
from waitlist.services.rounds import changed_inputs, watched_inputs

DAY = date(2026, 3, 2)


def _app(ref: str, district: str, day: int, programme: str = "komet") -> Application:
    return Application(
        id=ref,
        programme=programme,
        district=district,
        queue_date=date(2026, 1, day),
        lottery=1,
        child_birth="2019-05",
        languages=("sv",),
        slots=(),
        cross_district=True,
        max_travel_minutes=30,
    )


GROUP = Group("g-1", "komet", "farsta", date(2026, 4, 7), "tue", "evening", "sv", 10, 2)
OTHER = Group("g-2", "abc", "farsta", date(2026, 4, 7), "tue", "evening", "sv", 10, 2)


def _scenario(policy: str, *apps: Application) -> Scenario:
    return Scenario(
        as_of=DAY,
        policy=Policy(home_priority=policy),
        districts=(District("farsta", "Farsta"), District("skarpnack", "Skarpnäck")),
        travel_minutes={"farsta": {"skarpnack": 19}, "skarpnack": {"farsta": 19}},
        programmes=(),
        groups=(GROUP, OTHER),
        applications=apps,
    )


APPS = (
    _app("a-1", "skarpnack", 1),  # incoming, earliest: offered the seat in Farsta
    _app("a-2", "farsta", 20),  # resident of the host, later in queue order
    _app("a-3", "skarpnack", 25),  # incoming, later
    _app("a-4", "farsta", 2, programme="abc"),  # another programme
)
OFFER = [Offer("a-1", "g-1", date(2026, 3, 12), True, 19, "")]


def test_with_strict_priority_every_resident_of_the_host_is_ahead_of_an_incoming_parent():
    watch = watched_inputs(_scenario("strict", *APPS), OFFER)
    assert set(watch["applications"]) == {"a-1", "a-2"}
    assert set(watch["groups"]) == {"g-1", "g-2"}  # someone applied for abc too


def test_with_no_priority_only_earlier_parents_are_ahead():
    watch = watched_inputs(_scenario("none", *APPS), OFFER)
    assert set(watch["applications"]) == {"a-1"}


def test_only_a_watched_change_is_reported():
    scenario = _scenario("strict", *APPS)
    watch = watched_inputs(scenario, OFFER)
    later = replace(scenario, applications=(*APPS[:2], _app("a-9", "farsta", 28)))  # a-3 left
    assert changed_inputs(watch, later) == []
    fuller = replace(scenario, groups=(replace(GROUP, taken=3), OTHER))
    assert changed_inputs(watch, fuller) == ["group g-1 changed (seats taken, capacity or status)"]
    gone = replace(scenario, applications=(APPS[0], APPS[2]))  # a-2, ahead, withdrew
    assert changed_inputs(watch, gone) == ["application a-2 is no longer waiting as it was"]
