"""Metrics read from a real database (SQLite and PostgreSQL) through the services' history:
the records match what happened, and a past week's figures never change afterwards."""

from __future__ import annotations

from datetime import date

from tests.support.foundation import new_world
from waitlist.metrics.history import weekly_snapshots
from waitlist.metrics.load import load_events, load_inputs
from waitlist.metrics.periods import parse_period
from waitlist.metrics.records import Decline
from waitlist.metrics.report import Options
from waitlist.services import applications, groups, offers

RAW = Options(small_cell_min=1)  # no suppression: the counts here are tiny on purpose
W10, W11 = parse_period("2026-W10"), parse_period("2026-W11")


def snapshot(engine, week, options=RAW):  # noqa: ANN001, ANN201
    return weekly_snapshots(load_events(engine), [week], options)[0]


def test_a_past_week_is_rebuilt_the_same_after_later_changes(database_url):  # noqa: ANN001
    w = new_world(database_url)
    ids = [w.apply().application.id for _ in range(6)]  # Monday 2026-03-02, week 10
    group = w.group()
    w.clock.advance(7)  # week 11
    first = offers.make_offer(w.uow(), ids[0], group)
    second = offers.make_offer(w.uow(), ids[1], group)
    offers.accept_offer(w.uow(), first.id)
    offers.decline_offer(w.uow(), second.id, "time")
    before = snapshot(w.engine, W11)
    week10 = snapshot(w.engine, W10)

    w.clock.advance(7)  # week 12: the history goes on
    applications.withdraw(w.uow(), ids[2])
    applications.erase(w.uow(), ids[3])
    groups.cancel_group(w.uow(), group)  # the enrolled parent goes back to the queue
    w.apply()

    assert snapshot(w.engine, W11).rows == before.rows
    assert snapshot(w.engine, W10).rows == week10.rows
    city = before.row("all", "all")
    assert city["waiting"] == 5  # six applied, one enrolled by the end of week 11
    assert city["offer_wait_system_median_days"] == 7
    later = snapshot(w.engine, parse_period("2026-W12")).row("all", "all")
    assert later["waiting"] == 5  # 5 - withdrawn - erased + returned + new one


def test_the_loaded_records_hold_what_happened(database_url):  # noqa: ANN001
    w = new_world(database_url)
    ids = [w.apply().application.id for _ in range(2)]
    group = w.group()
    w.clock.advance(3)
    made = offers.make_offer(w.uow(), ids[0], group)
    offers.decline_offer(w.uow(), made.id, "language")
    w.clock.advance(2)
    again = offers.make_offer(w.uow(), ids[0], group)
    offers.accept_offer(w.uow(), again.id)
    applications.withdraw(w.uow(), ids[1])

    inputs = load_inputs(w.engine)
    by_status = {a.status: a for a in inputs.applications}
    placed, gone = by_status["enrolled"], by_status["withdrawn"]
    assert placed.queue_date == date(2026, 3, 2)
    assert placed.first_offer_on == date(2026, 3, 5)
    assert placed.declines == (Decline(date(2026, 3, 5), "language", "farsta"),)
    assert placed.placed_on == date(2026, 3, 7)
    assert placed.host_district == "farsta"
    assert placed.group_start_on == date(2026, 3, 30)
    assert gone.withdrawn_on == date(2026, 3, 7)
    assert "farsta" in inputs.districts and "komet" in inputs.programmes
    assert [g.district for g in inputs.groups] == ["farsta"]
