"""Core commands: init, seed --demo, apply, queue, offers expire, export-scenario, serve.

Every command prints one line `error: ...` and exits 2 on bad input; a failed command
writes nothing (each runs in one transaction that rolls back on error).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from waitlist.cli import app, fail
from waitlist.config import Settings, get_settings
from waitlist.domain.errors import DomainError

PLANNING_WINDOW_DAYS = 366

offers_app = typer.Typer(help="Offer housekeeping.", no_args_is_help=True)
app.add_typer(offers_app, name="offers")


def _settings() -> Settings:
    return get_settings()


def _sqlite_file_missing(url: str) -> bool:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    name = parsed.database or ""
    return (
        parsed.get_backend_name() == "sqlite" and name not in ("", ":memory:")
        and not Path(name).exists()
    )  # fmt: skip


def _engine(*, create: bool = False) -> Engine:
    """The configured database; only `init` (create=True) may bring a new SQLite file into
    being, every other command says to run init instead of leaving an empty file behind."""
    from waitlist.storage.db import make_engine

    url = _settings().database_url
    if not create and _sqlite_file_missing(url):
        fail("the database has no tables yet: run `waitlist init` first")
    try:
        return make_engine(url)
    except OSError as exc:
        fail(f"cannot open the database file: {exc.strerror or exc}")
        raise
    except ArgumentError as exc:
        fail(f"WAITLIST_DATABASE_URL is not a database URL: {exc}")
        raise


def _output(path: Path, field: str = "-o") -> None:
    """Fail early, before any work, if `path` cannot be written."""
    if path.is_dir():
        fail(f"{field}: {str(path)!r} is a folder, not a file")
    if not path.parent.is_dir():
        fail(f"{field}: folder {str(path.parent)!r} does not exist")
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        fail(f"{field}: cannot write {str(path)!r} (permission denied)")


def write_atomically(path: Path, data: bytes, field: str = "-o") -> None:
    """Write beside the target and rename: a failed write leaves no half-written file."""
    _output(path, field)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        fail(f"{field}: cannot write {str(path)!r}: {exc.strerror or exc}")


def _near_today(day: date | None, field: str, *, future: bool = True) -> date | None:
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


def _date(value: str | None, field: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{field} must be a date like 2026-03-02, got {value!r}")
    return None


@contextmanager
def _errors() -> Iterator[None]:
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


def _uow(actor: str = "cli", today: date | None = None, readonly: bool = False) -> Any:
    from waitlist.services.expiry import make_uow

    return make_uow(_engine(), _settings(), actor=actor, today=today, readonly=readonly)


@app.command()
def init() -> None:
    """Create or upgrade the database schema and load the reference data (idempotent)."""
    from waitlist.services.setup import load_reference_data
    from waitlist.storage.db import migrate

    url = _settings().database_url
    _engine(create=True).dispose()  # a folder that cannot be created fails here, in one line
    with _errors():
        migrate(url)
        load_reference_data(_uow(actor="system:init"))
    from waitlist.reference import load_reference

    ref = load_reference()
    typer.echo(
        f"database ready: schema up to date, {len(ref.districts)} districts and "
        f"{len(ref.programmes)} programmes loaded"
    )


@app.command()
def seed(
    demo: Annotated[bool, typer.Option("--demo", help="Seed the demo city.")] = False,
    seed: Annotated[
        int | None, typer.Option("--seed", help="Random seed (same seed, same data).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Last day of the demo year (default today).")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Seed even if data exists.")] = False,
) -> None:
    """Seed demo data: a year of applications, groups, leaders and staff accounts."""
    from waitlist.demo import already_seeded, seed_demo

    if not demo:
        fail("only demo data can be seeded: pass --demo")
    end = _date(as_of, "as-of") or date.today()
    engine = _engine()
    with _errors():
        if already_seeded(engine) and not force:
            typer.echo("demo data already present: nothing to do (use --force to add more)")
            return
        summary = seed_demo(
            engine,
            _settings(),
            seed=seed if seed is not None else _settings().demo_seed,
            as_of=end,
            progress=_seed_progress,
        )
    typer.echo(summary)


def _seed_progress(done: int, total: int) -> None:
    """One line on standard error, rewritten in place on a terminal, else every tenth week."""
    line = f"seeding the demo city: week {done} of {total}"
    if sys.stderr.isatty():
        sys.stderr.write(f"\r{line}" + ("\n" if done == total else ""))
        sys.stderr.flush()
    elif done == total or done % 10 == 0:
        print(line, file=sys.stderr, flush=True)


@app.command("apply")
def apply_cmd(
    programme: Annotated[str, typer.Option(help="Programme slug, e.g. komet.")],
    district: Annotated[str, typer.Option(help="Home district slug, e.g. farsta.")],
    child_birth: Annotated[str, typer.Option(help="Child's birth year-month, YYYY-MM.")],
    language: Annotated[list[str], typer.Option(help="A language the parent speaks (repeat).")],
    slot: Annotated[
        list[str] | None, typer.Option(help="Acceptable time slot (repeat; none = any).")
    ] = None,
    cross_district: Annotated[bool, typer.Option(help="Accept seats in other districts.")] = False,
    max_travel: Annotated[int, typer.Option(help="Max travel minutes for other districts.")] = 0,
    contact: Annotated[str | None, typer.Option(help="E-mail or phone for notices.")] = None,
) -> None:
    """Apply for a programme on a parent's behalf; prints the id, lottery number and token."""
    from waitlist.services.applications import apply

    with _errors():
        result = apply(
            _uow(),
            {
                "programme": programme,
                "district": district,
                "child_birth": child_birth,
                "languages": language,
                "slots": slot or [],
                "cross_district": cross_district,
                "max_travel_minutes": max_travel,
                "contact": contact,
            },
        )
    a = result.application
    typer.echo(
        f"application {a.id}: {a.programme} in {a.district}, queue date "
        f"{a.queue_date}, lottery {a.lottery}"
    )
    typer.echo(f"status token (give it to the parent, shown once): {result.token}")


@app.command()
def queue(
    district: Annotated[str, typer.Argument(help="District slug.")],
    programme: Annotated[str, typer.Argument(help="Programme slug.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a queue in order: position, application, queue date, lottery, weeks waiting."""
    from waitlist.services.queues import queue_of

    with _errors():
        entries = queue_of(_uow(readonly=True), district, programme)
    if as_json:
        typer.echo(
            json.dumps(
                [e.__dict__ | {"queue_date": e.queue_date.isoformat()} for e in entries], indent=2
            )
        )
        return
    typer.echo(f"{district} / {programme}: {len(entries)} waiting")
    typer.echo(f"{'pos':>4} {'application':>11} {'queue date':>10} {'lottery':>10} {'weeks':>6}")
    for e in entries:
        flag = " paused" if e.paused else ""
        typer.echo(
            f"{e.position:>4} {e.application_id:>11} {e.queue_date.isoformat():>10} "
            f"{e.lottery:>10} {e.weeks_waiting:>6.1f}{flag}"
        )


@offers_app.command("expire")
def offers_expire(
    today: Annotated[str | None, typer.Option(help="Pretend today is this date.")] = None,
) -> None:
    """Expire pending offers past their respond-by date (seats go back, queue dates stay)."""
    from waitlist.services.expiry import run

    day = _near_today(_date(today, "today"), "today", future=False)
    with _errors():
        count = run(_engine(), _settings(), today=day)
    typer.echo(f"{count} offers expired")


@app.command("export-scenario")
def export_scenario(
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="File (default stdout).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Snapshot date (default today).")
    ] = None,
    district: Annotated[str | None, typer.Option(help="Only this district's applications.")] = None,
) -> None:
    """Write a snapshot of the live database as a scenario file (waitlist-scenario/1)."""
    from solver.scenario import dumps, scenario_to_dict
    from waitlist.services.scenario_export import build_scenario

    day = _date(as_of, "as-of")
    if output is not None:
        _output(output)
    with _errors():
        text = dumps(
            scenario_to_dict(build_scenario(_uow(readonly=True, today=day), day, district))
        )
    if output is None:
        typer.echo(text)
    else:
        write_atomically(output, (text + ("" if text.endswith("\n") else "\n")).encode("utf-8"))
        typer.echo(f"scenario written to {output}")


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="Port.", min=1, max=65535)] = None,
    workers: Annotated[
        int | None,
        typer.Option(help="Server processes (default WAITLIST_WORKERS, 1).", min=1, max=64),
    ] = None,
    reload: Annotated[bool, typer.Option(help="Reload on code changes.")] = False,
) -> None:
    """Serve the web pages and the API (uvicorn, api.main:app).

    Behind a reverse proxy, set FORWARDED_ALLOW_IPS to the proxy's address so that rate limits
    count the parent's address from X-Forwarded-For (127.0.0.1 is trusted by default)."""
    import uvicorn

    settings = _settings()
    _print_demo_accounts(host or settings.host, port or settings.port)
    # The app logs each request itself (JSON, no client address); uvicorn's access log would
    # print client addresses and full URLs.
    uvicorn.run(
        "api.main:app",
        host=host or settings.host,
        port=port or settings.port,
        workers=None if reload else (workers or settings.workers),
        reload=reload,
        access_log=False,
    )


def _print_demo_accounts(host: str, port: int) -> None:
    """On start, list the staff accounts that still use the demo password."""
    from waitlist.demo_profiles import DEMO_PASSWORD
    from waitlist.services.staff import demo_accounts

    try:
        if _sqlite_file_missing(_settings().database_url):
            raise LookupError("no database yet")
        accounts = demo_accounts(_uow(readonly=True), DEMO_PASSWORD)
    except Exception:  # no database yet: the server says so itself
        accounts = []
    base = f"http://{host}:{port}"
    typer.echo(f"Serving on {base} (API docs: {base}/docs)")
    if accounts:
        typer.echo(f"Demo staff accounts (password {DEMO_PASSWORD!r}):")
        for account in accounts:
            where = account.district or "whole city"
            typer.echo(f"  {account.username:<36} {account.role:<12} {where}")
