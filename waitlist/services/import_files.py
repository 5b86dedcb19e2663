"""Reading a spreadsheet (.csv or .xlsx) into rows for waitlist.services.imports: the first
row names the columns (any order, any case); blank rows are skipped; rows keep the numbers
they have in the spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from waitlist.domain.errors import InvalidInput
from waitlist.domain.spreadsheet import COLUMNS

REQUIRED = ("external_id", "programme", "queue_date", "child_birth", "languages")
MAX_BYTES = 20 * 1024 * 1024


def read_table(name: str, data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows as (row number, values by column); InvalidInput(field="file")."""
    if len(data) > MAX_BYTES:
        raise InvalidInput("the file is larger than 20 MB", field="file")
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    if suffix == "xlsx":
        table = list(_xlsx(data))
    elif suffix == "csv":
        table = list(_csv(data))
    else:
        raise InvalidInput("give a .csv or an .xlsx file", field="file")
    if not table:
        raise InvalidInput("the file is empty (the first row names the columns)", field="file")
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InvalidInput(
            f"no column {missing[0]!r} (columns: {', '.join(COLUMNS)})", field="file"
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue  # a blank line between rows
        rows.append((number, dict(zip(header, cells, strict=False))))
    return rows


def _csv(data: bytes) -> Iterator[list[Any]]:
    raw = data.decode("utf-8-sig", errors="replace")
    first = raw.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Swedish Excel uses ;
    yield from csv.reader(io.StringIO(raw), delimiter=delimiter)


def _xlsx(data: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # not a workbook at all
        raise InvalidInput("not an .xlsx workbook", field="file") from None
    for row in book.worksheets[0].iter_rows(values_only=True):
        yield list(row)
