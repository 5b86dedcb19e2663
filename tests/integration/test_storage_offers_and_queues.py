"""The rules kept by the services, on SQLite and PostgreSQL: offers, seats, queue dates,
cancellations, expiry policy, erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.support.foundation import World, new_world
from waitlist.domain.errors import Conflict, IllegalTransition, NoSeatLeft, NotEligible
from waitlist.domain.policy import Rules
from waitlist.services import applications, groups, offers, queues
from waitlist.storage.tables import Application, Event, Group, Offer, Outbox


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url, Rules(max_expired_offers=2))
    yield w
    w.engine.dispose()


def _app(world: World, app_id: int) -> Application:
    with world.uow(readonly=True) as uow:
        return uow.session.get(Application, app_id)


def _group(world: World, group_id: int) -> Group:
    with world.uow(readonly=True) as uow:
        return uow.session.get(Group, group_id)


def test_a_pending_offer_holds_a_seat_and_declining_frees_it(world):
    a = world.apply().application
    g = world.group(capacity=1, min_size=1)
    offer = offers.make_offer(world.uow(), a.id, g)
    assert _group(world, g).taken == 1
    b = world.apply().application
    with pytest.raises(NoSeatLeft):
        offers.make_offer(world.uow(), b.id, g)
    offers.decline_offer(world.uow(), offer.id, "time")
    assert _group(world, g).taken == 0
    offers.make_offer(world.uow(), b.id, g)


def test_declining_an_offer_elsewhere_keeps_the_queue_date(world):
    a = world.apply(cross_district=True, max_travel_minutes=30).application
    world.clock.advance(30)
    g = world.group(district="skarpnack")
    offer = offers.make_offer(world.uow(), a.id, g)
    assert offer.cross_district and offer.travel_minutes > 0
    offers.decline_offer(world.uow(), offer.id, "distance")
    after = _app(world, a.id)
    assert after.queue_date == a.queue_date
    assert after.lottery == a.lottery
    assert after.status == "waiting"


def test_an_application_has_at_most_one_active_offer(world):
    a = world.apply().application
    g1, g2 = world.group(), world.group(slot="day", weekday="wed")
    offers.make_offer(world.uow(), a.id, g1)
    with pytest.raises(IllegalTransition):
        offers.make_offer(world.uow(), a.id, g2)
    assert _group(world, g2).taken == 0


def test_a_cancelled_group_returns_its_parents_with_their_original_queue_date(world):
    apps = [world.apply().application for _ in range(3)]
    world.clock.advance(20)
    g = world.group()
    o1 = offers.make_offer(world.uow(), apps[0].id, g)
    offers.accept_offer(world.uow(), o1.id)
    offers.make_offer(world.uow(), apps[1].id, g)
    groups.cancel_group(world.uow(), g, "Too few participants.")
    for a in apps[:2]:
        after = _app(world, a.id)
        assert (after.status, after.queue_date, after.group_id) == ("waiting", a.queue_date, None)
    assert _group(world, g).taken == 0
    with world.uow(readonly=True) as uow:
        kinds = [o.kind for o in uow.session.exec(select(Outbox)).all()]
    assert kinds.count("group_cancelled") == 2


def test_a_group_under_its_minimum_size_cannot_start(world):
    g = world.group(min_size=2)
    a = world.apply().application
    offers.accept_offer(world.uow(), offers.make_offer(world.uow(), a.id, g).id)
    with pytest.raises(IllegalTransition, match="needs at least 2"):
        groups.start_group(world.uow(), g)
    b = world.apply().application
    offers.accept_seat(world.uow(), b.id, g, reason="Second parent.")
    assert groups.start_group(world.uow(), g).status == "running"
    groups.complete_group(world.uow(), g)
    assert _app(world, a.id).status == "completed"


def test_an_ineligible_parent_gets_no_offer_and_no_seat_is_taken(world):
    a = world.apply(languages=["ar"], child_birth="2015-01").application
    g = world.group(language="sv")
    with pytest.raises(NotEligible) as info:
        offers.make_offer(world.uow(), a.id, g)
    assert info.value.field == "language"
    old = world.group(start=world.clock.today + timedelta(days=365))
    with pytest.raises(NotEligible):
        offers.make_offer(world.uow(), a.id, old)
    assert _group(world, g).taken == 0


def test_a_seat_out_of_reach_is_not_offered(world):
    near = world.apply(cross_district=True, max_travel_minutes=10).application
    home_only = world.apply().application
    g = world.group(district="skarpnack")
    for app_id in (near.id, home_only.id):
        with pytest.raises(NotEligible):
            offers.make_offer(world.uow(), app_id, g)


def test_unanswered_offers_expire_and_repeated_expiry_pauses_the_application(world):
    a = world.apply().application
    g = world.group()
    for round_no in (1, 2):
        offers.make_offer(world.uow(), a.id, g)
        world.clock.advance(world.rules.offer_response_days + 1)
        assert len(offers.expire_offers(world.uow())) == 1
        after = _app(world, a.id)
        assert after.expired_in_a_row == round_no
        assert after.queue_date == a.queue_date
    assert _app(world, a.id).paused
    assert _group(world, g).taken == 0
    with pytest.raises(Conflict, match="paused"):
        offers.make_offer(world.uow(), a.id, g)
    applications.resume(world.uow(), a.id)
    offers.make_offer(world.uow(), a.id, g)


def test_an_expired_offer_cannot_be_accepted_even_before_the_job_ran(world):
    a = world.apply().application
    offer = offers.make_offer(world.uow(), a.id, world.group())
    world.clock.advance(world.rules.offer_response_days + 1)
    with pytest.raises(IllegalTransition, match="expired"):
        offers.accept_offer(world.uow(), offer.id)


def test_deadline_notices_go_out_once(world):
    a = world.apply().application
    offers.make_offer(world.uow(), a.id, world.group())
    assert offers.send_deadline_notices(world.uow()) == 0
    world.clock.advance(world.rules.offer_response_days - 1)
    assert offers.send_deadline_notices(world.uow()) == 1
    assert offers.send_deadline_notices(world.uow()) == 0


def test_withdrawing_with_a_pending_offer_frees_the_seat(world):
    a = world.apply().application
    g = world.group()
    offer = offers.make_offer(world.uow(), a.id, g)
    applications.withdraw(world.uow(), a.id)
    assert _group(world, g).taken == 0
    with world.uow(readonly=True) as uow:
        assert uow.session.get(Offer, offer.id).status == "revoked"
    with pytest.raises(IllegalTransition):
        offers.make_offer(world.uow(), a.id, g)


def test_erasing_removes_personal_data_and_keeps_anonymous_history(world):
    applied = world.apply(contact="parent@example.org")
    a = applied.application
    assert applications.find_by_token(world.uow(), applied.token).id == a.id
    applications.erase(world.uow(), a.id)
    row = _app(world, a.id)
    assert (row.contact, row.token_hash, row.child_birth) == (None, None, None)
    assert row.status == "withdrawn" and row.queue_date == a.queue_date
    with world.uow(readonly=True) as uow:
        events = uow.session.exec(select(Event).where(Event.entity_id == str(a.id))).all()
    assert {"applied", "withdrawn", "erased"} <= {e.action for e in events}
    dumped = repr([(e.before, e.after) for e in events])
    assert "parent@example.org" not in dumped and "2019-05" not in dumped
    from waitlist.domain.errors import NotFound

    with pytest.raises(NotFound):
        applications.find_by_token(world.uow(), applied.token)


def test_every_state_change_writes_an_event_in_the_same_transaction(world):
    a = world.apply().application
    g = world.group()
    offer = offers.make_offer(world.uow(), a.id, g)
    offers.accept_offer(world.uow(), offer.id)
    with world.uow(readonly=True) as uow:
        actions = [e.action for e in uow.session.exec(select(Event).order_by(Event.id)).all()]
    for action in ("applied", "group_created", "offer_made", "offered", "accepted", "enrolled"):
        assert action in actions


def test_the_queue_is_ordered_by_queue_date_then_lottery_and_positions_follow(world):
    ids = []
    for _ in range(3):
        ids.append(world.apply().application.id)
    world.clock.advance(7)
    later = world.apply().application.id
    entries = queues.queue_of(world.uow(readonly=True), "farsta", "komet")
    assert [e.application_id for e in entries][-1] == later
    with world.uow(readonly=True) as uow:
        rows = [uow.session.get(Application, i) for i in ids]
    same_day = sorted(rows, key=lambda r: r.lottery)
    assert [e.application_id for e in entries][:3] == [r.id for r in same_day]
    standing = queues.standing(world.uow(readonly=True), later)
    assert standing.home.position == 4 and standing.home.queue_length == 4


def test_the_standing_gives_an_estimate_range_at_home_and_in_reachable_districts(world):
    a = world.apply(cross_district=True, max_travel_minutes=25)
    world.group(district="skarpnack", capacity=6, min_size=3)
    standing = queues.standing_by_token(world.uow(readonly=True), a.token)
    assert standing.home.estimate.reason  # nothing planned at home: no number, a reason
    skarpnack = next(s for s in standing.elsewhere if s.district == "skarpnack")
    assert skarpnack.estimate.known and skarpnack.estimate.low_weeks == 4
    assert all(s.travel_minutes <= 25 for s in standing.elsewhere)


def test_the_cancellation_event_shows_the_group_as_it_was_before_it_emptied(world):
    a = world.apply().application
    g = world.group(min_size=3)
    offers.accept_seat(world.uow(), a.id, g, reason="First parent.")
    groups.cancel_group(world.uow(), g, "Too few participants.")
    with world.uow(readonly=True) as uow:
        ev = uow.session.exec(select(Event).where(Event.action == "group_cancelled")).one()
    assert (ev.before["taken"], ev.before["min_size"], ev.after["taken"]) == (1, 3, 0)
    assert ev.after["status"] == "cancelled" and ev.district == "farsta"


def test_a_parent_choosing_to_wait_for_a_language_is_recorded_without_changing_the_queue(world):
    a = world.apply().application
    applications.choose_to_wait(world.uow(), a.id, "language")
    with world.uow(readonly=True) as uow:
        ev = uow.session.exec(select(Event).where(Event.action == "chose_to_wait")).one()
    assert ev.after == {"reason": "language"} and ev.entity_id == str(a.id)
    assert _app(world, a.id).queue_date == a.queue_date
    from waitlist.domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        applications.choose_to_wait(world.uow(), a.id, "weather")
