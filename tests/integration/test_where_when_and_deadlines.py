"""Offers that reach parents, on SQLite and PostgreSQL: never too late (rule 10), a child too
young to start yet, where and when a group meets, and `waitlist doctor`."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from sqlmodel import select
from typer.testing import CliRunner

from tests.support.foundation import World, coordinator, new_world
from waitlist.cli import app as cli_app
from waitlist.config import get_settings
from waitlist.domain.errors import Conflict, Forbidden, IllegalTransition, InvalidInput
from waitlist.services import doctor, offers, queues, rounds, venues
from waitlist.services.access import Actor
from waitlist.services.calendar_file import meetings_ics
from waitlist.services.where_when import where_and_when
from waitlist.storage.tables import Offer

FARSTA = coordinator("farsta")
SKARPNACK = coordinator("skarpnack", 2)


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


def _venue(world: World, actor: Actor = FARSTA, **extra) -> int:
    data = {
        "district": actor.district,
        "name": "Familjecentralen Farsta, sal 2",
        "address": "Farsta torg 3, 123 47 Farsta",
        "accessibility": "Entré utan trappsteg, hiss",
        "directions": "T-bana Farsta centrum, 4 min",
    } | extra
    return venues.create_venue(world.uow(), actor, data).id


# --- never too late ---------------------------------------------------------------------


def test_a_direct_offer_in_a_group_starting_soon_is_due_the_day_before_it(world):
    app = world.apply().application
    start = world.clock.today + timedelta(days=6)
    g = world.group(start=start)
    offer = offers.make_offer(world.uow(), app.id, g)
    assert offer.respond_by == start - timedelta(days=1)


def test_a_group_starting_too_soon_for_an_answer_takes_no_direct_offer(world):
    app = world.apply().application
    g = world.group(start=world.clock.today + timedelta(days=3))
    with pytest.raises(IllegalTransition) as err:
        offers.make_offer(world.uow(), app.id, g)
    assert err.value.field == "group"
    with world.uow(readonly=True) as uow:  # nothing written, the seat still free
        assert uow.session.exec(select(Offer)).all() == []


def test_a_coordinator_cannot_set_an_answer_date_on_or_after_the_start(world):
    app = world.apply().application
    start = world.clock.today + timedelta(weeks=3)
    g = world.group(start=start)
    with pytest.raises(IllegalTransition) as err:
        offers.make_offer(world.uow(), app.id, g, respond_by=start)
    assert err.value.field == "respond_by"


def test_a_round_offers_seats_answered_before_the_start_and_none_too_late(world):
    early = [world.apply().application for _ in range(3)]
    soon = world.group(start=world.clock.today + timedelta(days=2), capacity=2, min_size=1)
    later = world.group(start=world.clock.today + timedelta(days=7), capacity=2, min_size=1)
    preview = rounds.preview_round(world.uow())
    committed = rounds.commit_round(world.uow(), preview.id)
    assert committed.status == "committed"
    with world.uow(readonly=True) as uow:
        made = uow.session.exec(select(Offer)).all()
    assert {o.group_id for o in made} == {later}
    assert all(o.respond_by == world.clock.today + timedelta(days=6) for o in made)
    assert len(made) == 2 and {o.application_id for o in made} < {a.id for a in early}
    assert soon not in {o.group_id for o in made}
    assert doctor.check(world.uow(readonly=True)) == []


# --- too young to start yet ---------------------------------------------------------------


def test_a_child_born_last_month_queues_for_komet_and_is_told_when_it_can_start(world):
    today = world.clock.today
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    applied = world.apply(child_birth=last_month).application
    assert applied.status == "waiting" and applied.queue_date == today
    world.group(capacity=12, min_size=1)  # a Komet group in Farsta with free seats
    standing = queues.standing(world.uow(readonly=True), applied.id)
    year, month = map(int, last_month.split("-"))
    assert standing.can_start_from == date(year + 3, month, 1)  # Komet is for 3-11
    assert standing.home is not None and standing.home.position == 1
    weeks = (standing.can_start_from - today).days // 7
    assert standing.home.estimate.low_weeks is None or standing.home.estimate.low_weeks >= weeks
    preview = rounds.preview_round(world.uow())
    assert preview.offers == []
    with pytest.raises(Exception):  # noqa: B017 - any refusal: the child is too young
        offers.make_offer(world.uow(), applied.id, world.group())


def test_a_child_old_enough_is_not_told_to_wait(world):
    applied = world.apply(child_birth="2019-05").application
    assert queues.standing(world.uow(readonly=True), applied.id).can_start_from is None


# --- where and when -----------------------------------------------------------------------


def test_a_groups_meetings_skip_holidays_and_come_as_a_calendar_file(world):
    venue = _venue(world)
    # Thursdays from 29 April 2027: 6 May is Ascension Day, so the third meeting is 20 May.
    g = world.group(
        start=date(2027, 4, 29),
        weekday="thu",
        venue_id=venue,
        time_start="18:00",
        time_end="20:00",
        meetings=3,
        leader_first_name="Anna",
    )
    where = where_and_when(world.uow(readonly=True), g)
    assert where.meetings == (date(2027, 4, 29), date(2027, 5, 13), date(2027, 5, 20))
    assert where.venue is not None and where.venue.address.startswith("Farsta torg")
    assert (where.time_start, where.time_end, where.leader_first_name) == ("18:00", "20:00", "Anna")
    cal = icalendar.Calendar.from_ical(meetings_ics(where, lang="sv"))
    events = list(cal.walk("VEVENT"))
    assert [e.decoded("dtstart").date() for e in events] == list(where.meetings)
    first = events[0].decoded("dtstart")
    assert (first.hour, first.minute, str(first.tzinfo)) == (18, 0, "Europe/Stockholm")
    assert first.utcoffset() == timedelta(hours=2)  # summer time in Stockholm
    assert "Farsta torg 3" in str(events[0]["location"])
    assert [t["tzid"] for t in cal.walk("VTIMEZONE")] == ["Europe/Stockholm"]


def test_a_group_without_times_gets_its_slots_usual_hours_and_programmes_sessions(world):
    g = world.group(slot="evening")
    where = where_and_when(world.uow(readonly=True), g)
    assert (where.time_start, where.time_end) == ("18:00", "20:00")
    assert len(where.meetings) == 11  # Komet's sessions


def test_a_venue_hosts_one_group_per_weekday_and_slot_at_a_time(world):
    venue = _venue(world)
    start = world.clock.today + timedelta(weeks=4)
    world.group(start=start, venue_id=venue)
    with pytest.raises(Conflict) as err:
        world.group(start=start + timedelta(weeks=2), venue_id=venue)
    assert err.value.field == "venue_id"
    world.group(start=start, venue_id=venue, slot="day")  # another slot is free
    world.group(start=start + timedelta(weeks=20), venue_id=venue)  # after the first ends


def test_a_group_cannot_meet_in_another_districts_venue_or_end_before_it_starts(world):
    theirs = _venue(world, SKARPNACK, name="Skarpnäcks familjecentral")
    with pytest.raises(InvalidInput) as err:
        world.group(venue_id=theirs)
    assert err.value.field == "venue_id"
    with pytest.raises(InvalidInput) as err:
        world.group(time_start="20:00", time_end="18:00")
    assert err.value.field == "time_end"


def test_only_the_districts_coordinator_adds_or_changes_its_venues(world):
    with pytest.raises(Forbidden):
        venues.create_venue(
            world.uow(), SKARPNACK, {"district": "farsta", "name": "Sal", "address": "Gatan 1"}
        )
    venue = _venue(world)
    with pytest.raises(Forbidden):
        venues.update_venue(world.uow(), SKARPNACK, venue, {"name": "Annan sal"})
    changed = venues.update_venue(world.uow(), FARSTA, venue, {"directions": "Buss 173"})
    assert changed.directions == "Buss 173"


# --- waitlist doctor ------------------------------------------------------------------------


def test_doctor_lists_an_offer_due_after_its_group_starts_and_exits_1(world, monkeypatch):
    app = world.apply().application
    start = world.clock.today + timedelta(weeks=2)
    g = world.group(start=start)
    offer = offers.make_offer(world.uow(), app.id, g)
    with world.uow() as uow:  # as an offer made before the rule existed
        row = uow.session.get(Offer, offer.id)
        row.respond_by = start + timedelta(days=3)
        uow.session.add(row)
        uow.commit()
    found = doctor.check(world.uow(readonly=True))
    assert [f.where for f in found] == [f"offer {offer.id}"]
    assert "rule 10" in found[0].rule
    monkeypatch.setenv("WAITLIST_DATABASE_URL", str(world.engine.url.render_as_string(False)))
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["doctor"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 1
    assert f"offer {offer.id}" in result.stdout


def test_doctor_finds_seats_counted_wrong(world):
    g = world.group(capacity=2, min_size=1)
    app = world.apply().application
    offers.make_offer(world.uow(), app.id, g)
    assert doctor.check(world.uow(readonly=True)) == []
    with world.uow() as uow:
        from waitlist.storage.tables import Group

        row = uow.session.get(Group, g)
        row.taken = 0
        uow.session.add(row)
        uow.commit()
    assert [f.rule for f in doctor.check(world.uow(readonly=True))] == ["rule 3, seats"]


def test_the_offer_mail_carries_the_groups_meetings_as_a_calendar_file(world):
    from waitlist.services.notice_texts import ATTACHMENTS
    from waitlist.storage.tables import Outbox

    app = world.apply().application
    g = world.group(venue_id=_venue(world), meetings=4)
    offers.make_offer(world.uow(), app.id, g)
    with world.uow(readonly=True) as uow:
        row = uow.session.exec(select(Outbox).where(Outbox.kind == "offer_made")).one()
        files = ATTACHMENTS["offer_made"](uow.session, row.payload, "sv")
    assert [(f.filename, f.mime_type) for f in files] == [("meetings.ics", "text/calendar")]
    events = list(icalendar.Calendar.from_ical(files[0].data).walk("VEVENT"))
    assert len(events) == 4 and "Farsta torg 3" in str(events[0]["location"])
