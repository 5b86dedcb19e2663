"""`waitlist report`: the management tables of closed quarters as CSV, XLSX or JSON."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail
from waitlist.domain.errors import DomainError

FORMATS = ("csv", "xlsx", "json")


@app.command("report")
def report(
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, xlsx or json")] = "csv",
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write; - for stdout")
    ] = "-",
    period: Annotated[
        str | None,
        typer.Option(
            help="A quarter (2026-Q1) or a year (its closed quarters). "
            "Default: the last closed quarter."
        ),
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Today's date (default: today), YYYY-MM-DD")
    ] = None,
) -> None:
    """Waiting-time equality per district x programme x quarter, small cells suppressed."""
    from waitlist.config import get_settings
    from waitlist.metrics.periods import last_closed, parse_period, quarter
    from waitlist.metrics.report import Options, closed

    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    if fmt == "xlsx" and output == "-":
        fail("--format xlsx needs a file: pass -o FILE")
    if output != "-":
        common.check_output(Path(output))
    try:
        today = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        fail(f"--as-of must be a date like 2026-04-01, got {as_of!r}")
    try:
        chosen = parse_period(period) if period else last_closed("quarter", today)
    except DomainError as exc:
        fail(f"--period: {exc.message}")
    if chosen.kind == "year":
        quarters = [quarter(chosen.start.year, q) for q in range(1, 5)]
        periods = [q for q in quarters if closed(q, today)]
    elif chosen.kind == "quarter":
        periods = [chosen]
    else:
        fail(f"--period must be a quarter (2026-Q1) or a year (2026), got {chosen.label}")
    if not periods or not closed(periods[-1], today):
        fail(f"--period {chosen.label} has not ended yet (ends {chosen.end.isoformat()})")
    settings = get_settings()
    options = Options(small_cell_min=settings.small_cell_min, target_weeks=settings.target_weeks)
    try:
        data = _render(settings.database_url, periods, options, fmt)
    except DomainError as exc:
        fail(exc.message)
    _write(output, data)
    if output != "-":
        typer.echo(f"wrote {', '.join(p.label for p in periods)} to {output}", err=True)


def _render(url: str, periods: list, options, fmt: str) -> bytes:
    from sqlalchemy.exc import OperationalError

    from waitlist.metrics import export
    from waitlist.metrics.load import load_inputs
    from waitlist.metrics.report import build_reports
    from waitlist.storage.db import make_engine

    if common.sqlite_file_missing(url):
        fail("the database has no waitlist tables: run `waitlist init` first")
    engine = make_engine(url)
    try:
        inputs = load_inputs(engine)
    except OperationalError:
        fail("the database has no waitlist tables: run `waitlist init` first")
    finally:
        engine.dispose()
    reports = build_reports(
        inputs.applications,
        inputs.groups,
        periods,
        options,
        districts=inputs.districts,
        programmes=inputs.programmes,
    )
    if fmt == "csv":
        return export.to_csv(reports)
    if fmt == "xlsx":
        return export.to_xlsx(reports)
    return (json.dumps(export.to_json(reports), ensure_ascii=False, indent=1) + "\n").encode()


def _write(output: str, data: bytes) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    # Written beside the target and renamed: a reader never sees half a file.
    common.write_atomically(Path(output), data)
