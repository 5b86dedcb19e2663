"""`waitlist import applications FILE.csv|FILE.xlsx --district SLUG [--dry-run] [--strict]`:
a district's existing queue from a spreadsheet (columns in docs/import.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail

import_app = typer.Typer(help="Import existing data.", no_args_is_help=True)
app.add_typer(import_app, name="import")


def read_rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    """The sheet's rows; a file that cannot be read is one line and exit code 2."""
    from waitlist.services.import_files import read_table

    if not path.is_file():
        fail(f"FILE: {str(path)!r} is not a file")
    with common.errors():
        return read_table(path.name, path.read_bytes())
    return []


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
