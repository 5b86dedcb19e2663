"""Bad input on every command of `waitlist`: one line `error: ...` naming the field, exit
code 2, no traceback, and the database exactly as it was (a full dump compared before and
after). tests/integration/test_cli_core.py covers `apply` and the core commands' date and
slug checks; this file covers the rest of each command's inputs, the files they read and
write, and the usage errors of the command line itself."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.support.cli import APPLY
from waitlist.cli import app
from waitlist.config import get_settings
from waitlist.services import applications, groups, offers, rounds
from waitlist.storage.db import make_engine
from waitlist.storage.uow import UnitOfWork

runner = CliRunner()
TODAY = date.today()


class City:
    """A small city in a SQLite file: one application with an offer, one waiting, a preview."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "city.db"
        self.url = f"sqlite:///{self.path}"

    def run(self, *args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(app, list(args))

    def dump(self) -> list[str]:
        with sqlite3.connect(self.path) as conn:
            return list(conn.iterdump())


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[City]:
    built = City(tmp_path_factory.mktemp("cli-bad-input"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAITLIST_DATABASE_URL", built.url)
        get_settings.cache_clear()
        assert built.run("init").exit_code == 0
        engine = make_engine(built.url)
        uow = lambda: UnitOfWork(engine, actor="test")  # noqa: E731
        base = {"programme": "komet", "district": "farsta", "languages": ["sv"]}
        first = applications.apply(uow(), base | {"child_birth": f"{TODAY.year - 6}-05"})
        applications.apply(uow(), base | {"child_birth": f"{TODAY.year - 7}-02"})
        group = groups.create_group(
            uow(),
            base
            | {
                "start": TODAY + timedelta(weeks=6),
                "slot": "evening",
                "language": "sv",
                "capacity": 3,
                "min_size": 2,
            },
        )
        offers.make_offer(uow(), first.application.id, group.id)
        built.round_id = rounds.preview_round(uow()).id  # type: ignore[attr-defined]
        engine.dispose()
        scenario = built.folder / "scenario.json"
        assert built.run("export-scenario", "-o", str(scenario)).exit_code == 0
        built.scenario = json.loads(scenario.read_text())  # type: ignore[attr-defined]
        yield built
    get_settings.cache_clear()


def _file(city: City, name: str, content: object) -> str:
    path = city.folder / name
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(path)


def _scenario(city: City, name: str, change) -> str:  # type: ignore[no-untyped-def]
    data = json.loads(json.dumps(city.scenario))  # type: ignore[attr-defined]
    change(data)
    return _file(city, name, data)


def _assert_one_line(result, message: str) -> None:  # type: ignore[no-untyped-def]
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and message in lines[0], lines
    assert "Traceback" not in result.output


def _cases(city: City) -> list[tuple[list[str], str]]:
    missing = str(city.folder / "nowhere" / "out.json")
    folder = str(city.folder)
    scenario = str(city.folder / "scenario.json")
    later = (TODAY + timedelta(days=30)).isoformat()
    return [
        # seed
        (["seed"], "pass --demo"),
        (["seed", "--demo", "--as-of", "2026-99-01"], "as-of must be a date"),
        (["seed", "--demo", "--force", "--as-of", "1899-12-31"], "as_of must be a date between"),
        (["seed", "--demo", "--seed", "many"], "'--seed'"),
        # apply: what test_cli_core does not already try
        (["apply", "--programme", "komet"], "Missing option '--district'"),
        (
            [*APPLY, "--contact", "a@example.org\nBcc: x@example.org"],
            "contact must not contain control characters",
        ),
        ([*APPLY, "--max-travel", "many"], "'--max-travel'"),
        # queue
        (["queue", "farsta"], "Missing argument 'programme'"),
        (["queue", "far\x00sta", "komet"], "Unknown district"),
        # next-group
        (["next-group", "atlantis"], "Unknown district 'atlantis'"),
        (["next-group", "farsta", "yoga"], "Unknown programme 'yoga'"),
        # offers expire
        (["offers", "expire", "--today", later], "today cannot be after today"),
        (["offers", "expire", "--today", "03/02/2026"], "today must be a date"),
        (["offers", "explode"], "No such command 'explode'"),
        # export-scenario
        (["export-scenario", "-o", missing], "does not exist"),
        (["export-scenario", "-o", folder], "is a folder"),
        (["export-scenario", "-o", "/proc/scenario.json"], "cannot write"),  # not even root
        # serve (refused before anything listens)
        (["serve", "--port", "0"], "'--port'"),
        (["serve", "--port", "http"], "'--port'"),
        (["serve", "--workers", "0"], "'--workers'"),
        # solve
        (["solve", str(city.folder / "absent.json")], "cannot read"),
        (["solve", _file(city, "broken.json", "{")], "not valid JSON"),
        (["solve", _file(city, "list.json", [])], "$: Input should be an object"),
        (
            ["solve", _scenario(city, "negative.json", _negative_capacity)],
            "$.groups[0].capacity",
        ),
        (
            ["solve", _scenario(city, "atlantis.json", _unknown_district)],
            "$.applications[0].district: unknown district 'atlantis'",
        ),
        (["solve", scenario, "--time-limit", "-1"], "--time-limit must be more than 0"),
        (["solve", scenario, "-o", missing], "does not exist"),
        (["solve", scenario, "-o", folder], "is a folder"),
        # schema
        (["schema", "offers"], "schema must be 'scenario' or 'result'"),
        (["schema"], "Missing argument 'which'"),
        # round
        (["round", "preview", "--district", "atlantis"], "Unknown district 'atlantis'"),
        (["round", "preview", "--as-of", "2026-02-30"], "as-of must be a date"),
        (["round", "preview", "--as-of", "1999-01-01"], "as-of must be within a year"),
        (["round", "preview", "--show", "-1"], "'--show'"),
        (["round", "commit", "999999"], "There is no placement round 999999"),
        (["round", "commit", "99999999999999999999"], "There is no placement round"),
        (["round", "commit", "first"], "'round_id'"),
        # recommend
        (["recommend", str(city.folder / "absent.json")], "cannot read"),
        (["recommend", _file(city, "broken2.json", "[1,")], "not valid JSON"),
        (["recommend", scenario, "--time-limit", "0", "-q"], "--time-limit must be more than 0"),
        (["recommend", scenario, "--max-groups", "-1", "-q"], "--max-groups must be 0 or more"),
        (["recommend", scenario, "-q", "-o", missing], "does not exist"),
        # report
        (["report", "--format", "pdf"], "--format must be one of"),
        (["report", "--period", "2026-Q5"], "--period"),
        (["report", "--as-of", "2026-13-01"], "--as-of must be a date"),
        (["report", "--format", "xlsx"], "needs a file"),
        (["report", "--period", "2025", "-o", missing], "does not exist"),
        (["report", "--period", "2025", "-o", folder], "is a folder"),
        # simulate (refused before any week is simulated)
        (["simulate", "-o", str(city.folder / "sim"), "--weeks", "0"], "--weeks must be"),
        (["simulate", "-o", str(city.folder / "sim"), "--weeks", "100000"], "--weeks must be"),
        (["simulate", "-o", str(city.folder / "sim"), "--seed", "-1"], "--seed must be 0"),
        (["simulate", "-o", scenario, "--weeks", "1"], "is a file, not a folder"),
        (
            ["simulate", "-o", str(city.folder / "sim"), "--calibration", str(city.folder / "x")],
            "cannot read calibration",
        ),
        (
            [
                "simulate",
                "-o",
                str(city.folder / "sim"),
                "--calibration",
                _file(city, "cal.json", "{"),
            ],
            "calibration is not JSON",
        ),  # fmt: skip
        (["simulate"], "Missing option '-o'"),
        # the command line itself
        (["enrol"], "No such command 'enrol'"),
        (["queue", "farsta", "komet", "--colour"], "No such option: --colour"),
    ]


def _negative_capacity(data: dict) -> None:  # type: ignore[type-arg]
    data["groups"][0]["capacity"] = -1


def _unknown_district(data: dict) -> None:  # type: ignore[type-arg]
    data["applications"][0]["district"] = "atlantis"


def test_every_command_refuses_bad_input_in_one_line_and_changes_nothing(city: City) -> None:
    problems = []
    for args, message in _cases(city):
        before = city.dump()
        result = city.run(*args)
        try:
            _assert_one_line(result, message)
        except AssertionError as exc:
            problems.append(f"{args}: {exc}")
        if city.dump() != before:
            problems.append(f"{args}: the database changed")
    assert problems == []
    assert not (city.folder / "sim").exists()  # simulate wrote nothing either


def test_a_command_before_init_leaves_no_empty_database_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "var" / "never.db"
    monkeypatch.setenv("WAITLIST_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    try:
        for args in (["queue", "farsta", "komet"], ["round", "commit", "1"], ["report"]):
            result = runner.invoke(app, args)
            _assert_one_line(result, "waitlist init` first")
        assert not path.exists()
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("not a url", "WAITLIST_DATABASE_URL is not a database URL"),
        ("sqlite:////proc/no-such-folder/x.db", "cannot open the database file"),
    ],
)
def test_init_with_an_unusable_database_url_fails_in_one_line(
    url: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WAITLIST_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        _assert_one_line(runner.invoke(app, ["init"]), message)
    finally:
        get_settings.cache_clear()
