"""Replaying the database's history: its applications and groups, under every policy."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.support.foundation import new_world
from waitlist.cli import app
from waitlist.config import get_settings
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


@pytest.mark.slow  # a whole simulation through the command line
def test_simulate_from_db_replays_the_configured_database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'replay.db'}"
    world = new_world(url)
    for _ in range(4):
        world.apply(district="farsta")
        world.clock.advance(5)
    world.group(district="farsta", capacity=8, min_size=2)
    monkeypatch.setenv("WAITLIST_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["simulate", "--from-db", "--quiet", "-o", "out"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "out" / "results.json").read_text("utf-8"))
    assert data["calibration"]["replay"]["from"] <= world.clock.today.isoformat()
    assert "--from-db" in data["command"]
    assert all(p["summary"]["arrivals_and_open"] == 4 for p in data["policies"])


def test_simulate_from_an_empty_database_says_there_is_nothing_to_replay(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    new_world(url)
    monkeypatch.setenv("WAITLIST_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["simulate", "--from-db", "-o", str(tmp_path / "o")])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    assert "error: the database holds no applications to replay" in result.output
