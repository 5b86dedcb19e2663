"""Core commands: init, seed --demo, apply, queue, offers expire, export-scenario, serve.

Every command prints one line `error: ...` and exits 2 on bad input; a failed command
writes nothing (each runs in one transaction that rolls back on error).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail

offers_app = typer.Typer(help="Offer housekeeping.", no_args_is_help=True)
app.add_typer(offers_app, name="offers")


@app.command()
def init() -> None:
    """Create or upgrade the database schema and load the reference data (idempotent)."""
    from waitlist.services.setup import load_reference_data
    from waitlist.storage.db import migrate

    url = common.settings().database_url
    common.engine(create=True).dispose()  # a folder that cannot be created fails here, in one line
    with common.errors():
        migrate(url)
        load_reference_data(common.uow(actor="system:init"))
    from waitlist.reference import load_reference

    ref = load_reference()
    typer.echo(
        f"database ready: schema up to date, {len(ref.districts)} districts and "
        f"{len(ref.programmes)} programmes loaded"
    )
    _make_secret_key()


def _make_secret_key() -> None:
    """Without WAITLIST_SECRET_KEY, write a random key to the key file (owner-only) unless
    one is there already."""
    from waitlist import signing_key

    settings = common.settings()
    path = settings.key_file()
    if settings.secret_key and not signing_key.read_keys(path).current:
        return  # given in the environment
    try:
        created = signing_key.create_key_file(path)
    except OSError as exc:
        fail(f"cannot write the secret key file {str(path)!r}: {exc.strerror or exc}")
    if created:
        typer.echo(f"secret key written to {path} (readable only by you)")
    elif signing_key.readable_by_others(path):
        fail(f"the secret key file {path} is readable by others: chmod 600 it")


@app.command("rotate-key")
def rotate_key(
    grace_minutes: Annotated[
        int,
        typer.Option(
            help="Minutes the old key still verifies (sessions and forms open now).", min=1
        ),
    ] = 60,
) -> None:
    """Replace the secret key in the key file; the old one verifies (never signs) for
    --grace-minutes. Restart the server afterwards."""
    from datetime import timedelta

    from waitlist import signing_key

    path = common.settings().key_file()
    try:
        until = signing_key.rotate(path, timedelta(minutes=grace_minutes))
    except signing_key.InsecureSecret as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write the secret key file {str(path)!r}: {exc.strerror or exc}")
    else:
        typer.echo(
            f"new secret key written to {path}; the previous one verifies until "
            f"{until.isoformat(timespec='seconds')}: restart the server now"
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
    end = common.parse_date(as_of, "as-of") or date.today()
    engine = common.engine()
    with common.errors():
        if already_seeded(engine) and not force:
            typer.echo("demo data already present: nothing to do (use --force to add more)")
            return
        summary = seed_demo(
            engine,
            common.settings(),
            seed=seed if seed is not None else common.settings().demo_seed,
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
        typer.echo(line, err=True)


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

    with common.errors():
        result = apply(
            common.uow(),
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

    with common.errors():
        entries = queue_of(common.uow(readonly=True), district, programme)
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


@app.command("next-group")
def next_group(
    district: Annotated[str, typer.Argument(help="District slug.")],
    programme: Annotated[
        str | None, typer.Argument(help="Programme slug (default: every group programme).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What the district's queues need of their next group: parents with no free seat in
    sight, the time of day most of them can come at, and the language."""
    from waitlist.services.access import Actor
    from waitlist.services.queue_needs import queue_needs

    # The command runs as the district's coordinator would see it (only counts are shown).
    actor = Actor(kind="staff", role="coordinator", district=district)
    with common.errors():
        needs = queue_needs(common.uow(readonly=True), actor, district, programme)
    if as_json:
        typer.echo(json.dumps([n.__dict__ for n in needs], indent=2, sort_keys=True))
        return
    typer.echo(f"{district}: what each queue needs of its next group")
    typer.echo(f"{'programme':<34} {'waiting':>7} {'no seat':>7}  suggested")
    for n in needs:
        if n.slot is None:
            hint = "every parent has a seat in sight"
        else:
            hint = f"{n.slot}, in {n.language}"
            if n.only.get(n.language) and n.language != "sv":
                hint += f" ({n.only[n.language]} can take only {n.language})"
            hint += " - can come: " + ", ".join(f"{k} {v}" for k, v in sorted(n.can_come.items()))
        typer.echo(f"{n.programme:<34} {n.waiting:>7} {n.unseated:>7}  {hint}")


@offers_app.command("expire")
def offers_expire(
    today: Annotated[str | None, typer.Option(help="Pretend today is this date.")] = None,
) -> None:
    """Expire pending offers past their respond-by date (seats go back, queue dates stay)."""
    from waitlist import bootstrap
    from waitlist.services.expiry import run

    day = common.near_today(common.parse_date(today, "today"), "today", future=False)
    with common.errors():
        count = run(
            bootstrap.uow_factory(common.engine(), common.settings(), actor="cli", today=day)
        )
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
    from solver.scenario.files import dumps, scenario_to_dict
    from waitlist.services.scenario_export import database_scenario

    day = common.parse_date(as_of, "as-of")
    if output is not None:
        common.check_output(output)
    with common.errors():
        text = dumps(
            scenario_to_dict(database_scenario(common.uow(readonly=True, today=day), day, district))
        )
    if output is None:
        typer.echo(text)
    else:
        common.write_atomically(
            output, (text + ("" if text.endswith("\n") else "\n")).encode("utf-8")
        )
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
    trusted_proxies: Annotated[
        str | None,
        typer.Option(
            help="Reverse proxies (comma-separated addresses) whose X-Forwarded-For is "
            "believed (default WAITLIST_TRUSTED_PROXIES: none)."
        ),
    ] = None,
) -> None:
    """Serve the web pages and the API (uvicorn, api.main:app).

    Refuses to start with a secret key anyone could know (see docs/security.md). Behind a
    reverse proxy, set WAITLIST_TRUSTED_PROXIES (or --trusted-proxies) to the proxy's address
    so that rate limits count the parent's address from X-Forwarded-For; no address, not even
    127.0.0.1, is trusted by default."""
    import uvicorn

    from waitlist import bootstrap
    from waitlist.signing_key import InsecureSecret

    settings = common.settings()
    bind = host or settings.host
    try:
        settings.check_secret(bind)
    except InsecureSecret as exc:
        fail(f"refusing to serve: {exc}")
    with common.errors():  # a bad WAITLIST_SMTP_URL or SMS setting: one line, exit 2
        bootstrap.notice_sender(settings)
    proxies = settings.trusted_proxies.strip() if trusted_proxies is None else trusted_proxies
    _print_demo_accounts(bind, port or settings.port)
    # The app logs each request itself (JSON, no client address); uvicorn's access log would
    # print client addresses and full URLs.
    uvicorn.run(
        "api.main:app",
        host=bind,
        port=port or settings.port,
        workers=None if reload else (workers or settings.workers),
        reload=reload,
        access_log=False,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or "",
    )


def _print_demo_accounts(host: str, port: int) -> None:
    """On start, list the staff accounts that still use the demo password."""
    from waitlist.demo_profiles import DEMO_PASSWORD
    from waitlist.services.staff import demo_accounts

    try:
        if common.sqlite_file_missing(common.settings().database_url):
            raise LookupError("no database yet")
        accounts = demo_accounts(common.uow(readonly=True), DEMO_PASSWORD)
    except Exception:  # no database yet: the server says so itself
        accounts = []
    base = f"http://{host}:{port}"
    typer.echo(f"Serving on {base} (API docs: {base}/docs)")
    if accounts:
        typer.echo(f"Demo staff accounts (password {DEMO_PASSWORD!r}):")
        for account in accounts:
            where = account.district or "whole city"
            typer.echo(f"  {account.username:<36} {account.role:<12} {where}")
