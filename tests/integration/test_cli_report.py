"""`waitlist report` on a small database: the three formats, and bad input (one line
`error: ...`, exit code 2, nothing written)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from tests.support.foundation import new_world
from waitlist.cli import app
from waitlist.config import get_settings
from waitlist.metrics.measures import COLUMNS

runner = CliRunner()


@pytest.fixture
def cli(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    url = f"sqlite:///{tmp_path / 'report.db'}"
    world = new_world(url)
    for district in ("farsta", "farsta", "bromma"):
        world.apply(district=district)  # queued 2026-03-02, in 2026-Q1
    monkeypatch.setenv("WAITLIST_DATABASE_URL", url)
    get_settings.cache_clear()

    def run(*args: str):  # noqa: ANN202
        return runner.invoke(app, ["report", "--as-of", "2026-11-25", *args])

    yield run
    get_settings.cache_clear()


def test_csv_has_a_bom_and_one_row_per_district_programme_and_period(cli, tmp_path):  # noqa: ANN001
    out = tmp_path / "q1.csv"
    result = cli("--period", "2026-Q1", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert list(rows[0]) == list(COLUMNS)
    keys = [(r["district"], r["programme"]) for r in rows]
    assert len(keys) == len(set(keys)) == 15 * 12  # 14 districts and all, 11 programmes and all
    city = next(r for r in rows if r["district"] == "all" and r["programme"] == "all")
    assert city["new_applications"] == ".."  # three people: hidden
    assert city["groups_started"] == "0"


def test_a_year_is_reported_as_its_closed_quarters(cli, tmp_path):  # noqa: ANN001
    out = tmp_path / "y.json"
    assert cli("--period", "2026", "--format", "json", "-o", str(out)).exit_code == 0
    periods = [p["period"] for p in json.loads(out.read_text())["periods"]]
    assert periods == ["2026-Q1", "2026-Q2", "2026-Q3"]  # Q4 has not ended on 2026-11-25


def test_xlsx_holds_the_same_table(cli, tmp_path):  # noqa: ANN001
    out = tmp_path / "q1.xlsx"
    assert cli("--period", "2026-Q1", "-f", "xlsx", "-o", str(out)).exit_code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["metrics", "equality", "flows", "about"]
    header = [c.value for c in next(book["metrics"].iter_rows(max_row=1))]
    assert header == list(COLUMNS)
    assert book["metrics"].max_row == 1 + 15 * 12


def test_the_default_period_is_the_last_closed_quarter(cli):  # noqa: ANN001
    result = cli("--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["periods"][0]["period"] == "2026-Q3"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026-Q7"), "--period"),
        (("--period", "2026-Q4"), "has not ended"),
        (("--period", "2026-03"), "quarter"),
        (("--format", "pdf"), "--format"),
        (("--format", "xlsx"), "needs a file"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(cli, tmp_path, args, message):  # noqa: ANN001
    out = tmp_path / "never.csv"
    result = cli(*args, "-o", str(out)) if "xlsx" not in args else cli(*args)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]
    assert not out.exists()
