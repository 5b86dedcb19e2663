"""`waitlist import applications FILE.csv|FILE.xlsx --district SLUG [--dry-run] [--strict]`:
a district's existing queue from a spreadsheet (columns in docs/import.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail
from waitlist.domain.spreadsheet import COLUMNS

import_app = typer.Typer(help="Import existing data.", no_args_is_help=True)
app.add_typer(import_app, name="import")
REQUIRED = ("external_id", "programme", "queue_date", "child_birth", "languages")


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows as (row number, values by column); fails on a missing column."""
    if not path.is_file():
        fail(f"FILE: {str(path)!r} is not a file")
    if path.suffix.lower() == ".xlsx":
        table = list(_xlsx(path))
    elif path.suffix.lower() == ".csv":
        table = list(_csv(path))
    else:
        fail("FILE: give a .csv or an .xlsx file")
    if not table:
        fail("FILE: the file is empty (the first row names the columns)")
    header = [str(h or "").strip().lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        fail(f"FILE: no column {missing[0]!r} (columns: {', '.join(COLUMNS)})")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue  # a blank line between rows
        rows.append((number, dict(zip(header, cells, strict=False))))
    return rows


def _csv(path: Path) -> Iterator[list[Any]]:
    raw = path.read_bytes().decode("utf-8-sig", errors="replace")
    first = raw.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Swedish Excel uses ;
    yield from csv.reader(io.StringIO(raw), delimiter=delimiter)


def _xlsx(path: Path) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # not a workbook at all
        fail("FILE: not an .xlsx workbook")
        raise
    for row in book.worksheets[0].iter_rows(values_only=True):
        yield list(row)


@import_app.command("applications")
def import_applications(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file, columns as docs/import.md")],
    district: Annotated[str, typer.Option(help="The district whose queue this is.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and change nothing.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="Store nothing unless every row is valid.")
    ] = False,
) -> None:
    """Import a district's existing queue; every row is checked as an application."""
    from waitlist.services.imports import import_applications as run

    rows = read_rows(file)
    with common.errors():
        report = run(common.uow(actor="cli"), district, rows, dry_run=dry_run, strict=strict)
    for p in report.problems:
        typer.echo(f"row {p.row}, {p.field or '-'}: {p.reason}")
    bad = len(report.problems)
    if report.dry_run:
        typer.echo(
            f"dry run: {report.rows} rows, {report.new} would be imported, "
            f"{report.unchanged} already imported, {bad} with problems; nothing changed"
        )
    elif bad and strict:
        typer.echo(f"{report.rows} rows, {bad} with problems: nothing imported (--strict)")
    else:
        typer.echo(
            f"{report.rows} rows: {report.stored} imported, {report.unchanged} already "
            f"imported, {bad} with problems (not imported)"
        )
    if bad:
        raise typer.Exit(1)
