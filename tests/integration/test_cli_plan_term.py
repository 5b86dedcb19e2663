"""`waitlist plan-term`: next term's groups where the need is, in words from the facts; bad
input gives one line `error: ...` naming the field and exit code 2, nothing changed."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from waitlist.cli import app
from waitlist.config import get_settings
from waitlist.services import applications
from waitlist.storage.db import make_engine
from waitlist.storage.uow import UnitOfWork

runner = CliRunner()
TODAY = date.today()


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Eight parents waiting for Komet in Rinkeby-Kista and one in Bromma."""
    folder = tmp_path_factory.mktemp("plan-term")
    url = f"sqlite:///{folder / 'city.db'}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WAITLIST_DATABASE_URL", url)
        get_settings.cache_clear()
        assert runner.invoke(app, ["init"]).exit_code == 0
        engine = make_engine(url)
        for i, district in enumerate(["rinkeby-kista"] * 8 + ["bromma"]):
            applications.apply(
                UnitOfWork(engine, actor="test"),
                {
                    "programme": "komet",
                    "district": district,
                    "languages": ["sv"],
                    "slots": ["evening"],
                    "child_birth": f"{TODAY.year - 6}-{i % 12 + 1:02d}",
                },
            )
        engine.dispose()
        yield folder
    get_settings.cache_clear()


def _dump(folder: Path) -> list[str]:
    with sqlite3.connect(folder / "city.db") as conn:
        return list(conn.iterdump())


def test_the_plan_puts_the_group_where_the_queue_is_and_says_so(city: Path) -> None:
    out = city / "plan.json"
    result = runner.invoke(
        app, ["plan-term", "--budget", "komet=1", "--lang", "en", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Rinkeby-Kista Komet: +1 group (0 → 1), projected median wait" in result.output
    assert "1 Komet group in Swedish in Rinkeby-Kista, evenings" in result.output
    plan = json.loads(out.read_text())
    assert plan["format"] == "waitlist-term-plan/1"
    assert [(g["district"], g["groups"]) for g in plan["groups"]] == [("rinkeby-kista", 1)]


def test_the_plan_reads_in_swedish(city: Path) -> None:
    result = runner.invoke(app, ["plan-term", "--budget", "komet=1"])
    assert result.exit_code == 0, result.output
    assert "Rinkeby-Kista Komet: +1 grupp (0 → 1)" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "komet"], "--budget: expected PROGRAMME=GROUPS"),
        (["--budget", "komet=-1"], "--budget: expected PROGRAMME=GROUPS"),
        (["--budget", "komet=2", "--budget", "komet=3"], "'komet' is given twice"),
        (["--budget", "nosuch=2"], "budget: unknown programme 'nosuch'"),
        (["--budget", "komet=0"], "budget: give at least one programme"),
        (["--budget", "komet=2", "--term-weeks", "80"], "term_weeks: must be from 1 to 52"),
        (["--budget", "komet=2", "--term-start", "next spring"], "--term-start must be a date"),
        (["--budget", "komet=2", "--lang", "fi"], "--lang: must be sv or en"),
        (["--budget", "komet=2", "-o", "/nowhere/plan.json"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(city: Path, args: list[str], message: str) -> None:
    before = _dump(city)
    result = runner.invoke(app, ["plan-term", *args])
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], lines
    assert _dump(city) == before
