"""`waitlist import applications` on a fresh SQLite file: the template imports, a dry run
lists the bad rows and writes nothing, a bad file or district is one line with exit code 2,
an .xlsx with date cells reads like the CSV."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from tests.support.cli import cli_at
from waitlist.config import get_settings
from waitlist.storage.db import make_engine
from waitlist.storage.tables import Application
from waitlist.storage.uow import UnitOfWork

runner = CliRunner()
TEMPLATE = Path(__file__).resolve().parents[2] / "docs" / "import-template.csv"


@pytest.fixture
def cli(tmp_path, monkeypatch):
    with cli_at(f"sqlite:///{tmp_path / 'cli.db'}", monkeypatch) as run:
        assert run("init").exit_code == 0
        yield run
    get_settings.cache_clear()


def _count(url: str) -> int:
    engine = make_engine(url)
    with UnitOfWork(engine, readonly=True) as uow:
        n = uow.session.exec(select(func.count()).select_from(Application)).one()
    engine.dispose()
    return n


def test_the_documented_template_imports_and_a_second_import_changes_nothing(cli):
    first = cli("import", "applications", str(TEMPLATE), "--district", "farsta")
    assert first.exit_code == 0, first.output
    assert "3 imported" in first.output
    again = cli("import", "applications", str(TEMPLATE), "--district", "farsta")
    assert again.exit_code == 0 and "0 imported, 3 already imported" in again.output
    assert _count(cli.url) == 3


def test_a_dry_run_lists_the_bad_rows_and_writes_nothing(cli, tmp_path):
    bad = tmp_path / "queue.csv"
    lines = TEMPLATE.read_text().splitlines()
    bad.write_text("\n".join([*lines, "FA-0004,komet,17/3/2025,2019-05,sv,,nej,,"]) + "\n")
    done = cli("import", "applications", str(bad), "--district", "farsta", "--dry-run")
    assert done.exit_code == 1
    assert "row 5, queue_date: not a date" in done.output
    assert "3 would be imported" in done.output and _count(cli.url) == 0


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["missing.csv", "--district", "farsta"], "is not a file"),
        (["TEMPLATE", "--district", "atlantis"], "Unknown district"),
        (["queue.txt", "--district", "farsta"], "give a .csv or an .xlsx file"),
    ],
)
def test_a_bad_file_or_district_is_one_line_and_exit_code_2(cli, tmp_path, args, says):
    (tmp_path / "queue.txt").write_text("x")
    paths = {"TEMPLATE": str(TEMPLATE), "queue.txt": str(tmp_path / "queue.txt")}
    done = cli("import", "applications", *[paths.get(a, a) for a in args])
    assert done.exit_code == 2 and says in done.output
    assert _count(cli.url) == 0


def test_an_xlsx_with_date_cells_keeps_the_queue_dates(cli, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["External_ID", "programme", "queue_date", "child_birth", "languages"])
    book.active.append(["X-1", "komet", date(2025, 9, 15), "2019-05", "sv"])
    path = tmp_path / "queue.xlsx"
    book.save(path)
    assert cli("import", "applications", str(path), "--district", "farsta").exit_code == 0
    engine = make_engine(cli.url)
    with UnitOfWork(engine, readonly=True) as uow:
        [app_] = uow.session.exec(select(Application)).all()
    engine.dispose()
    assert (app_.external_id, app_.queue_date) == ("X-1", date(2025, 9, 15))
