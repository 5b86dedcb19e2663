"""Exports: the same figures in CSV, XLSX and JSON; formulas never run in a spreadsheet."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from waitlist.metrics.export import cell, escape, to_csv, to_json, to_xlsx
from waitlist.metrics.periods import parse_period
from waitlist.metrics.report import Options, Report


def report() -> Report:
    rep = Report(parse_period("2026-Q1"), Options())
    rep.rows = [
        {"period": "2026-Q1", "district": "=HYPERLINK(1)", "programme": "+x", "waiting": None,
         "new_applications": 12, "share_within_target": 0.123456, "suppressed": ["waiting"]},
        {"period": "2026-Q1", "district": "-a", "programme": "@b", "waiting": 7,
         "new_applications": 0, "share_within_target": None, "suppressed": []},
    ]  # fmt: skip
    return rep


def test_text_beginning_with_a_formula_sign_is_escaped():
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"):
        assert escape(text).startswith("'")
    assert escape("farsta") == "farsta"


def test_hidden_figures_are_dots_and_missing_ones_empty():
    row = report().rows[0]
    assert cell(row, "waiting") == ".."
    assert cell(report().rows[1], "share_within_target") == ""
    assert cell(row, "share_within_target") == 0.1235


def test_csv_is_utf8_with_bom_and_escaped():
    data = to_csv([report()])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["district"] == "'=HYPERLINK(1)"
    assert rows[0]["programme"] == "'+x"
    assert rows[0]["waiting"] == ".."
    assert rows[1]["district"] == "'-a" and rows[1]["programme"] == "'@b"


def test_xlsx_holds_strings_not_formulas():
    book = load_workbook(io.BytesIO(to_xlsx([report()])))
    sheet = book["metrics"]
    header = [c.value for c in sheet[1]]
    district = sheet.cell(row=2, column=header.index("district") + 1)
    assert district.value == "'=HYPERLINK(1)" and district.data_type == "s"


def test_json_keeps_hidden_as_null_with_the_list_of_hidden_columns():
    data = to_json([report()])
    assert data["format"] == "waitlist-metrics/1" and data["small_cell_min"] == 5
    row = data["periods"][0]["rows"][0]
    assert row["waiting"] is None and row["suppressed"] == ["waiting"]
