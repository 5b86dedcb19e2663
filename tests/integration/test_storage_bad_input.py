"""Bad input to every library entry point: a DomainError naming the field, data unchanged."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.support.foundation import new_world
from waitlist.domain.errors import DomainError
from waitlist.services import applications, groups, offers, outlook, queues, rounds, staff
from waitlist.services.scenario_export import database_scenario
from waitlist.storage.tables import (
    Application,
    Event,
    Group,
    Leader,
    Offer,
    Outbox,
    PlacementRound,
    Staff,
)

APPLY = {"programme": "komet", "district": "farsta", "child_birth": "2019-05", "languages": ["sv"]}
GROUP = {
    "programme": "komet",
    "district": "farsta",
    "start": "2026-04-07",  # a Tuesday, five weeks after the world's clock
    "weekday": "tue",
    "slot": "evening",
    "language": "sv",
    "capacity": 12,
    "min_size": 6,
}


def _new_staff(**fields: object):  # noqa: ANN202
    """Creating a staff account: a coordinator "coord" with a long password, but for `fields`."""
    account = {"username": "coord", "role": "coordinator", "password": "long-enough-1"} | fields
    return lambda u: staff.create_staff(u, account)


def _counts(world) -> tuple[int, ...]:
    with world.uow(readonly=True) as uow:
        return tuple(
            uow.session.exec(select(func.count()).select_from(t)).one()
            for t in (Application, Group, Offer, Event, Leader, Staff, PlacementRound, Outbox)
        )


def _cases(app_id: int, group_id: int, offer_id: int):
    return [
        ("apply", lambda u: applications.apply(u, APPLY | {"district": "atlantis"}), "district"),
        ("apply", lambda u: applications.apply(u, APPLY | {"programme": "yoga"}), "programme"),
        (
            "apply",
            lambda u: applications.apply(u, APPLY | {"child_birth": "2001-02"}),
            "child_birth",
        ),
        ("apply", lambda u: applications.apply(u, APPLY | {"child_birth": "19-05"}), "child_birth"),
        ("apply", lambda u: applications.apply(u, APPLY | {"languages": []}), "languages"),
        (
            "apply",
            lambda u: applications.apply(u, APPLY | {"queue_date": "2026-13-01"}),
            "queue_date",
        ),
        (
            "apply",
            lambda u: applications.apply(u, APPLY | {"queue_date": date(2030, 1, 1)}),
            "queue_date",
        ),
        (
            "apply",
            lambda u: applications.apply(u, APPLY | {"max_travel_minutes": -1}),
            "max_travel_minutes",
        ),
        ("group", lambda u: groups.create_group(u, GROUP | {"capacity": -3}), "capacity"),
        ("group", lambda u: groups.create_group(u, GROUP | {"min_size": 13}), "min_size"),
        ("group", lambda u: groups.create_group(u, GROUP | {"start": "2026-02-30"}), "start"),
        ("group", lambda u: groups.create_group(u, GROUP | {"district": "atlantis"}), "district"),
        ("group", lambda u: groups.create_group(u, GROUP | {"language": "fi"}), "language"),
        ("group", lambda u: groups.create_group(u, GROUP | {"weekday": "someday"}), "weekday"),
        ("group", lambda u: groups.create_group(u, GROUP | {"status": "running"}), "status"),
        (
            "leader",
            lambda u: groups.create_leader(
                u, {"label": "x", "district": "farsta", "programmes": ["yoga"], "languages": ["sv"]}
            ),
            "programmes",
        ),
        (
            "leader",
            lambda u: groups.create_leader(
                u,
                {
                    "label": "x",
                    "district": "farsta",
                    "programmes": ["komet"],
                    "languages": ["sv"],
                    "max_groups": 0,
                },
            ),
            "max_groups",
        ),
        ("staff", _new_staff(username="c"), "username"),
        ("staff", _new_staff(), "district"),  # a coordinator without a district
        ("staff", _new_staff(role="king"), "role"),
        ("staff", _new_staff(role="management", password="short"), "password"),
        ("offer", lambda u: offers.make_offer(u, 999_999, group_id), "application"),
        ("offer", lambda u: offers.make_offer(u, app_id, 999_999), "group"),
        ("offer", lambda u: offers.decline_offer(u, offer_id, "bored"), "reason"),
        ("offer", lambda u: offers.accept_offer(u, 999_999), "offer"),
        ("group", lambda u: groups.start_group(u, group_id), "status"),
        ("group", lambda u: groups.cancel_group(u, 999_999), "group"),
        ("queue", lambda u: queues.queue_of(u, "atlantis", "komet"), "district"),
        ("queue", lambda u: queues.standing(u, 999_999), "application"),
        ("queue", lambda u: queues.standing_by_token(u, "wl_not-a-token"), "token"),
        ("app", lambda u: applications.withdraw(u, 999_999), "application"),
        ("app", lambda u: applications.erase(u, 999_999), "application"),
        # Text PostgreSQL refuses (NUL) or that could forge a notice header (line breaks).
        ("apply", lambda u: applications.apply(u, APPLY | {"contact": "a\x00b"}), "contact"),
        (
            "apply",
            lambda u: applications.apply(u, APPLY | {"contact": "a@b.se\r\nBcc: c@d.se"}),
            "contact",
        ),
        ("apply", lambda u: applications.apply(u, APPLY | {"district": "far\x00sta"}), "district"),
        (
            "apply",
            lambda u: applications.apply(u, APPLY | {"queue_date": "1999-01-01"}),
            "queue_date",
        ),
        ("group", lambda u: groups.create_group(u, GROUP | {"programme": "k\x00"}), "programme"),
        ("group", lambda u: groups.create_group(u, GROUP | {"capacity": 10**12}), "capacity"),
        ("group", lambda u: groups.create_group(u, GROUP | {"start": "1900-01-01"}), "start"),
        ("group", lambda u: groups.create_group(u, GROUP | {"start": "9999-12-31"}), "start"),
        ("group", lambda u: groups.cancel_group(u, group_id, "late\x00"), "reason"),
        (
            "leader",
            lambda u: groups.create_leader(
                u,
                {"label": "x\x00", "district": "farsta", "programmes": ["komet"], "languages": []},
            ),
            "label",
        ),
        (
            "staff",
            lambda u: staff.create_staff(
                u, {"username": "co\x00rd", "role": "management", "password": "long-enough-1"}
            ),
            "username",
        ),
        # Ids no row can have (PostgreSQL refuses to compare beyond 32 bits).
        ("offer", lambda u: offers.accept_offer(u, 2**63), "offer"),
        ("offer", lambda u: offers.make_offer(u, 2**40, group_id), "application"),
        ("offer", lambda u: offers.decline_offer(u, -1, "time"), "offer"),
        ("app", lambda u: applications.get_application(u, 2**31), "application"),
        ("queue", lambda u: queues.queue_of(u, "farsta", "kom\x00et"), "programme"),
        ("queue", lambda u: queues.standing(u, 2**40), "application"),
        ("round", lambda u: rounds.commit_round(u, 2**40), "round"),
        ("round", lambda u: rounds.preview_round(u, district="atlantis"), "district"),
        ("round", lambda u: rounds.preview_round(u, as_of=date(1999, 1, 1)), "as_of"),
        ("round", lambda u: rounds.preview_round(u, group=999_999), "group"),
        ("outlook", lambda u: outlook.outlook(u, "komet", "farsta", -5), "max_travel_minutes"),
        ("outlook", lambda u: outlook.outlook(u, "komet", "atlantis", 30), "district"),
        ("export", lambda u: database_scenario(u, date(2026, 3, 2), "atlantis"), "district"),
    ]


def test_every_entry_point_names_the_bad_field_and_changes_nothing(database_url):
    world = new_world(database_url)
    app_id = world.apply().application.id
    group_id = world.group()
    offer_id = offers.make_offer(world.uow(), app_id, group_id).id
    app_id = world.apply().application.id  # a waiting one for the remaining cases
    before = _counts(world)
    problems = []
    for name, call, field in _cases(app_id, group_id, offer_id):
        try:
            call(world.uow())
            problems.append(f"{name}/{field}: accepted")
        except DomainError as exc:
            if exc.field is None or not exc.field.startswith(field) or not exc.message:
                problems.append(f"{name}/{field}: field {exc.field!r}, {exc.message!r}")
    assert problems == []
    assert _counts(world) == before
    world.engine.dispose()


def test_a_username_with_a_nul_matches_no_account(database_url):
    world = new_world(database_url)
    assert staff.authenticate(world.uow(), "coordinator-farsta\x00", "any password") is None
    world.engine.dispose()


def test_a_scenario_export_holds_waiting_unpaused_applications_and_open_groups(sqlite_url):
    world = new_world(sqlite_url)
    a = world.apply(cross_district=True, max_travel_minutes=30).application
    b = world.apply().application
    g = world.group()
    offers.make_offer(world.uow(), b.id, g)
    scenario = database_scenario(world.uow(readonly=True), world.clock.today)
    assert [x.id for x in scenario.applications] == [f"a-{a.id}"]
    assert [(x.id, x.taken) for x in scenario.groups] == [(f"g-{g}", 1)]
    assert scenario.travel("farsta", "skarpnack") == 19
    assert len(scenario.districts) == 14 and scenario.policy.offer_response_days == 10
    world.engine.dispose()


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_staff_log_in_only_with_the_right_password(sqlite_url, password):
    world = new_world(sqlite_url)
    staff.create_staff(
        world.uow(),
        {
            "username": "coordinator-farsta",
            "role": "coordinator",
            "district": "farsta",
            "password": "right-password",
        },
    )
    assert staff.authenticate(world.uow(), "coordinator-farsta", "right-password").role == (
        "coordinator"
    )
    assert staff.authenticate(world.uow(), "coordinator-farsta", password) is None
    assert staff.authenticate(world.uow(), "nobody", "right-password") is None
    with world.uow(readonly=True) as uow:
        stored = uow.session.exec(select(Staff)).one().password_hash
    assert stored.startswith("$argon2") and "right-password" not in stored
    world.engine.dispose()
