"""The same tables as CSV (UTF-8 with BOM, for Excel), XLSX and JSON.

A hidden (suppressed) figure is written as `..`, a figure that does not apply (the median
of nobody) as an empty cell (JSON: null, with the hidden columns listed per row). Text
cells beginning with = + - @ (or a tab or carriage return) get a leading apostrophe so a
spreadsheet never runs them as formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from waitlist.metrics.measures import COLUMNS
from waitlist.metrics.report import Report

SUPPRESSED = ".."
FORMAT = "waitlist-metrics/1"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
EQUALITY_COLUMNS = (
    "period",
    "programme",
    "offer_districts",
    "offer_median_ratio",
    "offer_p90_ratio",
    "offer_median_cv",
    "age_districts",
    "age_median_ratio",
    "age_p90_ratio",
    "age_median_cv",
    "share_districts",
    "share_within_target_gap",
)
FLOW_COLUMNS = ("period", "from", "to", "placements")


def escape(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def cell(row: dict[str, Any], column: str) -> str | int | float:
    value = row.get(column)
    if value is None:
        return SUPPRESSED if column in row.get("suppressed", ()) else ""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, str):
        return escape(value)
    return value


def metric_rows(reports: Sequence[Report]) -> list[list[str | int | float]]:
    return [[cell(r, c) for c in COLUMNS] for rep in reports for r in rep.rows]


def equality_rows(reports: Sequence[Report]) -> list[list[str | int | float]]:
    return [
        [cell({"period": rep.period.label, **e}, c) for c in EQUALITY_COLUMNS]
        for rep in reports
        for e in rep.equality
    ]


def flow_rows(reports: Sequence[Report]) -> list[list[str | int | float]]:
    out = []
    for rep in reports:
        for f in rep.flows:
            hidden = {"suppressed": ["placements"]} if f["placements"] is None else {}
            out.append([cell({"period": rep.period.label, **f, **hidden}, c) for c in FLOW_COLUMNS])
    return out


def to_csv(reports: Sequence[Report]) -> bytes:
    """One row per district x programme x period (districts and programmes include `all`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(metric_rows(reports))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(reports: Sequence[Report]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheets = (
        ("metrics", COLUMNS, metric_rows(reports)),
        ("equality", EQUALITY_COLUMNS, equality_rows(reports)),
        ("flows", FLOW_COLUMNS, flow_rows(reports)),
    )
    for n, (title, header, rows) in enumerate(sheets):
        sheet = book.active if n == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = title
        sheet.append(list(header))
        for row in rows:
            sheet.append(row)
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    about = book.create_sheet("about")
    for line in _about(reports):
        about.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_json(reports: Sequence[Report]) -> dict[str, Any]:
    options = reports[0].options if reports else None
    return {
        "format": FORMAT,
        "small_cell_min": options.small_cell_min if options else None,
        "target_weeks": options.target_weeks if options else None,
        "periods": [
            {
                "period": rep.period.label,
                "start": rep.period.start.isoformat(),
                "end": rep.period.end.isoformat(),
                "rows": rep.rows,
                "equality": rep.equality,
                "flows": rep.flows,
            }
            for rep in reports
        ],
    }


def _about(reports: Sequence[Report]) -> list[str]:
    k = reports[0].options.small_cell_min if reports else 5
    return [
        "Waiting-time equality report. Definitions: docs/metrics.md.",
        f"'{SUPPRESSED}': hidden, fewer than {k} people, or hidden so that such a figure",
        "cannot be worked out from the totals. Empty: does not apply (nobody to measure).",
        "Waits in days, queue date to first offer / to group start / age of open applications.",
        "'system': waits the system caused; 'chosen': the parent declined or asked to wait.",
    ]
