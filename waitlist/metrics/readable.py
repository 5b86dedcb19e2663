"""The management page's downloads: the page's own tables as CSV and XLSX, for a reader.

Unlike the machine format (`waitlist.metrics.export`, English keys, days), these carry the
page's headings in the reader's language, district and programme names (districts in Swedish
alphabetical order, the city last), waits in weeks and shares in percent as on the page, and
every number column holds numbers only: a hidden figure is an empty cell, and the row's flag
column names the figures hidden in it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from waitlist.domain.collation import swedish_key
from waitlist.metrics.export import escape
from waitlist.metrics.measures import ALL
from waitlist.metrics.report import Report

WEEKS, PERCENT, COUNT = "weeks", "percent", "count"

# (column of the report, how it is shown), in the order of the page.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("offer_wait_system_median_days", WEEKS),
    ("offer_wait_system_p90_days", WEEKS),
    ("share_within_target", PERCENT),
    ("waiting", COUNT),
    ("open_age_system_median_days", WEEKS),
    ("new_applications", COUNT),
    ("offered", COUNT),
    ("started", COUNT),
    ("start_wait_system_median_days", WEEKS),
    ("placed_in", COUNT),
    ("placed_out", COUNT),
    ("groups_started", COUNT),
    ("groups_cancelled_too_few", COUNT),
)


@dataclass(frozen=True)
class Wording:
    """Every word of the downloads, already in the reader's language."""

    headings: Mapping[str, str]  # report column (and quarter, district, programme, hidden,
    # from, to, placements) -> heading
    districts: Mapping[str, str]  # slug -> name
    programmes: Mapping[str, str]
    whole_city: str
    all_programmes: str
    sheet_figures: str
    sheet_flows: str
    about: tuple[str, ...]


def _value(row: Mapping[str, Any], column: str, kind: str) -> int | float | None:
    value = row.get(column)
    if not isinstance(value, int | float):
        return None
    if kind == WEEKS:
        return round(value / 7, 1)
    if kind == PERCENT:
        return round(100 * value, 1)
    return value


def _district(slug: str, words: Wording) -> str:
    return words.whole_city if slug == ALL else words.districts.get(slug, slug)


def _programme(slug: str, words: Wording) -> str:
    return words.all_programmes if slug == ALL else words.programmes.get(slug, slug)


def _order(rows: Sequence[Mapping[str, Any]], words: Wording) -> list[Mapping[str, Any]]:
    """Districts by name in Swedish order and the whole city last; in each, all programmes
    first, then each programme by name."""

    def key(row: Mapping[str, Any]) -> tuple[bool, tuple[str, str], bool, tuple[str, str]]:
        d, p = str(row["district"]), str(row["programme"])
        return (
            d == ALL,
            swedish_key(_district(d, words)),
            p != ALL,
            swedish_key(_programme(p, words)),
        )

    return sorted(rows, key=key)


def header(words: Wording) -> list[str]:
    h = words.headings
    return [h["period"], h["district"], h["programme"], *(h[c] for c, _ in COLUMNS), h["hidden"]]


def figure_rows(reports: Sequence[Report], words: Wording) -> list[list[str | int | float | None]]:
    out: list[list[str | int | float | None]] = []
    for rep in reports:
        for row in _order(rep.rows, words):
            values = [_value(row, c, kind) for c, kind in COLUMNS]
            hidden = set(row.get("suppressed") or ())  # type: ignore[call-overload]
            flagged = [words.headings[c] for c, _ in COLUMNS if c in hidden]
            out.append(
                [
                    rep.period.label,
                    escape(_district(str(row["district"]), words)),
                    escape(_programme(str(row["programme"]), words)),
                    *values,
                    "; ".join(flagged),
                ]
            )
    return out


def flow_rows(reports: Sequence[Report], words: Wording) -> list[list[str | int | None]]:
    out: list[list[str | int | None]] = []
    for rep in reports:
        flows = sorted(
            rep.flows,
            key=lambda f: (
                swedish_key(_district(str(f["from"]), words)),
                swedish_key(_district(str(f["to"]), words)),
            ),
        )
        for f in flows:
            n = f["placements"]
            out.append(
                [
                    rep.period.label,
                    escape(_district(str(f["from"]), words)),
                    escape(_district(str(f["to"]), words)),
                    n if isinstance(n, int) else None,
                    words.headings["placements"] if n is None else "",
                ]
            )
    return out


def to_csv(reports: Sequence[Report], words: Wording) -> bytes:
    """The figures table, UTF-8 with a BOM so Excel reads the names right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(words))
    writer.writerows(["" if v is None else v for v in row] for row in figure_rows(reports, words))
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(reports: Sequence[Report], words: Wording) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    h = words.headings
    book = Workbook()
    sheets: tuple[tuple[str, list[str], Sequence[Sequence[Any]]], ...] = (
        (words.sheet_figures, header(words), figure_rows(reports, words)),
        (
            words.sheet_flows,
            [h["period"], h["from"], h["to"], h["placements"], h["hidden"]],
            flow_rows(reports, words),
        ),
    )
    for n, (title, head, rows) in enumerate(sheets):
        sheet = book.active if n == 0 else book.create_sheet()
        assert sheet is not None
        sheet.title = title[:31]
        sheet.append(head)
        for row in rows:
            sheet.append(list(row))
        for c in sheet[1]:
            c.font = Font(bold=True)
        sheet.freeze_panes = "D2" if n == 0 else "B2"
        for column, (_, kind) in enumerate(COLUMNS if n == 0 else (), start=4):
            if kind != COUNT:
                for (c,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                    c.number_format = "0.0"
    about = book.create_sheet("i")
    for line in words.about:
        about.append([line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
