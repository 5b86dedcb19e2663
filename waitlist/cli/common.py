"""What every command shares: the settings, the database, dates and files checked the same
way, scenario and result files (`solve` and `recommend`), and library errors turned into one
line with exit code 2."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from waitlist.cli.base import fail
from waitlist.config import Settings, get_settings
from waitlist.domain.errors import DomainError

if TYPE_CHECKING:
    from solver.types import PlacementResult, RecommendResult, Scenario

PLANNING_WINDOW_DAYS = 366

# The arguments of the commands that read a scenario file (`solve`, `recommend`).
ScenarioFile = Annotated[Path, typer.Argument(help="Scenario file (waitlist-scenario/1).")]
ResultFile = Annotated[
    Path | None, typer.Option("-o", "--output", help="Result file (default stdout).")
]
TimeLimit = Annotated[
    float, typer.Option("--time-limit", help="Seconds before settling for feasible.")
]


def settings() -> Settings:
    return get_settings()


def sqlite_file_missing(url: str) -> bool:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database or ""
    return (
        parsed.get_backend_name() == "sqlite" and name not in ("", ":memory:")
        and not Path(name).exists()
    )  # fmt: skip


def engine(*, create: bool = False) -> Engine:
    """The configured database; only `init` (create=True) may bring a new SQLite file into
    being, every other command says to run init instead of leaving an empty file behind."""
    from waitlist.storage.db import make_engine

    url = settings().database_url
    if not create and sqlite_file_missing(url):
        fail("the database has no tables yet: run `waitlist init` first")
    try:
        return make_engine(url)
    except OSError as exc:
        fail(f"cannot open the database file: {exc.strerror or exc}")
        raise
    except ArgumentError as exc:
        fail(f"WAITLIST_DATABASE_URL is not a database URL: {exc}")
        raise


def check_output(path: Path, field: str = "-o") -> None:
    """Fail early, before any work, if `path` cannot be written."""
    if path.is_dir():
        fail(f"{field}: {str(path)!r} is a folder, not a file")
    if not path.parent.is_dir():
        fail(f"{field}: folder {str(path.parent)!r} does not exist")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        fail(f"{field}: cannot write {str(path)!r} (permission denied)")


def write_atomically(path: Path, data: bytes, field: str = "-o") -> None:
    """Write beside the target and rename: a failed write leaves no half-written file."""
    check_output(path, field)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        Path(tmp).replace(path)
    except OSError as exc:
        fail(f"{field}: cannot write {str(path)!r}: {exc.strerror or exc}")


def read_scenario(path: Path, output: Path | None) -> Scenario:
    """The scenario file, after checking `output` can be written; a scenario that breaks the
    contract prints one `error:` line per problem and exits 2."""
    from solver.scenario.files import ScenarioError, load_scenario

    if output is not None:
        check_output(output)
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        for problem in exc.problems[:-1]:
            typer.echo(f"error: {problem}", err=True)
        fail(exc.problems[-1])
        raise  # fail() exits; this only tells the type checker


def write_result(result: PlacementResult | RecommendResult, output: Path | None) -> None:
    """The result file at `output`, written atomically, or on stdout."""
    from solver.scenario.files import result_to_json

    text = result_to_json(result)
    if output is None:
        typer.echo(text, nl=False)
        return
    write_atomically(output, text.encode("utf-8"))


def near_today(day: date | None, field: str, *, future: bool = True) -> date | None:
    """A day the live database may be run as: within a year of today; when `future` is False,
    any day up to today (expiring offers as of a later day would expire offers still open)."""
    if day is None:
        return None
    offset = (day - date.today()).days
    if not future and offset > 0:
        fail(f"{field} cannot be after today, got {day.isoformat()}")
    if future and abs(offset) > PLANNING_WINDOW_DAYS:
        fail(f"{field} must be within a year of today, got {day.isoformat()}")
    return day


def parse_date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{field} must be a date like 2026-03-02, got {value!r}")
    return None


@contextmanager
def errors() -> Iterator[None]:
    """Map library errors to one line and exit code 2."""
    try:
        yield
    except DomainError as exc:
        fail(exc.message)
    except (OperationalError, ProgrammingError) as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if "no such table" in text or "does not exist" in text:
            fail("the database has no tables yet: run `waitlist init` first")
        fail(f"database error: {text.splitlines()[0]}")


def uow(actor: str = "cli", today: date | None = None, readonly: bool = False) -> Any:
    from waitlist import bootstrap

    make = bootstrap.uow_factory(engine(), settings(), actor=actor, today=today)
    return make(readonly=readonly)
