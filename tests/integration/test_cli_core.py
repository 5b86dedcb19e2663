"""The core commands, on a fresh SQLite file: happy paths and bad input (one line
`error: ...`, exit code 2, nothing written)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func
from sqlmodel import select

from tests.support.cli import APPLY, cli_at
from waitlist.config import get_settings
from waitlist.storage.db import make_engine
from waitlist.storage.tables import Application, Event
from waitlist.storage.uow import UnitOfWork


@pytest.fixture
def cli(tmp_path, monkeypatch):
    with cli_at(f"sqlite:///{tmp_path / 'var' / 'cli.db'}", monkeypatch) as run:
        yield run


def _counts(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    with UnitOfWork(engine, readonly=True) as uow:
        apps = uow.session.exec(select(func.count()).select_from(Application)).one()
        events = uow.session.exec(select(func.count()).select_from(Event)).one()
    engine.dispose()
    return apps, events


def _with(option: str, value: str) -> list[str]:
    args = list(APPLY)
    args[args.index(option) + 1] = value
    return args


def test_init_then_apply_then_the_queue_shows_the_parent(cli):
    assert cli("init").exit_code == 0
    assert cli("init").exit_code == 0  # idempotent
    result = cli(*APPLY, "--slot", "evening", "--contact", "p@example.org")
    assert result.exit_code == 0, result.output
    assert "status token" in result.output and "wl_" in result.output
    queue = cli("queue", "farsta", "komet", "--json")
    assert queue.exit_code == 0
    entries = json.loads(queue.output)
    assert [e["position"] for e in entries] == [1]


def test_next_group_says_what_the_queue_needs_of_its_next_group(cli):
    assert cli("init").exit_code == 0
    assert cli(*APPLY, "--slot", "evening").exit_code == 0
    shown = cli("next-group", "farsta")
    assert shown.exit_code == 0, shown.output
    # No group is open yet: the one parent has no seat in sight and can come in the evening.
    komet = next(line for line in shown.output.splitlines() if line.startswith("komet"))
    assert komet.split()[1:3] == ["1", "1"] and "evening, in sv" in komet
    (need,) = json.loads(cli("next-group", "farsta", "komet", "--json").output)
    assert (need["slot"], need["language"], need["can_come"]) == ("evening", "sv", {"evening": 1})
    assert json.loads(cli("next-group", "skarpnack", "--json").output) == []  # nobody waits


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (_with("--district", "atlantis"), "Unknown district 'atlantis'"),
        (_with("--programme", "yoga"), "Unknown programme 'yoga'"),
        (_with("--child-birth", "2019-13"), "child_birth must be a real year and month"),
        (_with("--child-birth", "May 2019"), "child_birth must be a year and month"),
        (_with("--child-birth", "2001-01"), "already older"),
        (_with("--child-birth", "2099-01"), "child_birth cannot be in the future"),
        (_with("--language", "xx"), "Unknown language code 'xx'"),
        ([*APPLY, "--slot", "midnight"], "slots"),
        ([*APPLY, "--cross-district"], "max_travel_minutes must be above 0"),
        ([*APPLY, "--cross-district", "--max-travel", "-5"], "max_travel_minutes"),
    ],
)
def test_apply_with_bad_input_fails_with_one_line_and_writes_nothing(cli, args, message):
    cli.initialized()
    before = _counts(cli.url)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert _counts(cli.url) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["queue", "atlantis", "komet"], "Unknown district"),
        (["queue", "farsta", "yoga"], "Unknown programme"),
        (["offers", "expire", "--today", "2026-02-30"], "today must be a date"),
        (["export-scenario", "--as-of", "yesterday"], "as-of must be a date"),
        (["export-scenario", "--district", "atlantis"], "Unknown district"),
        (["seed"], "pass --demo"),
        (["seed", "--demo", "--as-of", "2026-99-01"], "as-of must be a date"),
    ],
)
def test_other_commands_reject_bad_input_with_one_line(cli, args, message):
    cli.initialized()
    before = _counts(cli.url)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().startswith("error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert _counts(cli.url) == before


def test_commands_before_init_say_to_run_init(cli):
    result = cli("queue", "farsta", "komet")
    assert result.exit_code == 2
    assert "run `waitlist init` first" in result.output


def test_offers_expire_and_export_scenario_work_on_an_empty_city(cli, tmp_path):
    assert cli("init").exit_code == 0
    assert cli(*APPLY).exit_code == 0
    result = cli("offers", "expire", "--today", "2026-03-02")
    assert result.exit_code == 0 and "0 offers expired" in result.output
    out = tmp_path / "scenario.json"
    assert cli("export-scenario", "-o", str(out)).exit_code == 0
    data = json.loads(out.read_text())
    assert data["format"] == "waitlist-scenario/1"
    assert len(data["districts"]) == 14 and len(data["applications"]) == 1


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["init"],
        ["seed"],
        ["apply"],
        ["queue"],
        ["offers"],
        ["offers", "expire"],
        ["serve"],
        ["export-scenario"],
    ],
)
def test_every_command_has_help(cli, command):
    result = cli(*command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_serve_starts_as_many_server_processes_as_asked(cli, monkeypatch):
    import uvicorn

    started: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.append(options))
    assert cli("init").exit_code == 0
    assert cli("serve", "--workers", "3", "--port", "8123").exit_code == 0
    monkeypatch.setenv("WAITLIST_WORKERS", "2")
    get_settings.cache_clear()
    assert cli("serve").exit_code == 0
    assert [(s["workers"], s["port"]) for s in started] == [(3, 8123), (2, 8000)]
    assert all(s["host"] == "127.0.0.1" and s["access_log"] is False for s in started)
