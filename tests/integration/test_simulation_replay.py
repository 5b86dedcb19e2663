"""Replaying the database's history: its applications and groups, under every policy."""

from __future__ import annotations

from foundation_support import new_world

from waitlist.simulation import builtin_policies, load_calibration, simulate
from waitlist.simulation.replay import load_history


def test_a_replay_runs_every_policy_over_the_applications_and_groups_in_the_database(
    database_url,
):
    world = new_world(database_url)
    first = world.clock.today
    for day in range(10):
        world.apply(district="farsta" if day % 2 else "skarpnack", cross_district=True,
                    max_travel_minutes=30)  # fmt: skip
        world.clock.advance(3)
    world.group(district="skarpnack", capacity=8, min_size=4)
    world.clock.advance(21)
    replay = load_history(world.uow(readonly=True), load_calibration())

    assert replay.calibration.start <= first and replay.calibration.warmup_weeks == 0
    assert len(replay.arrivals) == 10 and replay.skipped == 0
    assert [g.district for g in replay.plan] == ["skarpnack"]
    assert replay.weeks == (world.clock.today - replay.calibration.start).days // 7 + 1
    run = simulate(
        replay.calibration,
        weeks=replay.weeks,
        seed=3,
        policies=builtin_policies()[:2],
        history=(replay.arrivals, replay.plan),
    )
    for outcome in run.outcomes:
        assert sorted(outcome.cohort) == sorted(a.id for a in replay.arrivals)
        s = outcome.summary
        assert s["placed"] + s["waiting"] + s["withdrawn"] + s["expired"] == 10
    # Only Skarpnäck has a group: the status quo cannot offer Farsta's parents a seat.
    status_quo, cross = run.outcomes
    assert status_quo.summary["by_district"]["farsta"]["placed"] == 0
    assert cross.summary["offers_refused_by_engine"] == 0
