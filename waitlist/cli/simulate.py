"""`waitlist simulate`: a year of weekly rounds under each policy, side by side."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Annotated

import typer

from solver.types import Policy
from waitlist.cli import common
from waitlist.cli.base import app, fail
from waitlist.domain.errors import DomainError


@app.command("simulate")
def simulate_command(
    out: Annotated[
        Path, typer.Option("-o", "--out", help="Directory for report.html, PNGs, JSON.")
    ],
    weeks: Annotated[int, typer.Option(help="Weekly placement rounds to simulate.")] = 52,
    seed: Annotated[int, typer.Option(help="Seed of every random stream.")] = 2026,
    calibration: Annotated[
        Path | None, typer.Option(help="Calibration JSON (default: the demo city's).")
    ] = None,
    policy: Annotated[
        list[Path] | None,
        typer.Option(help="Extra policy JSON file, compared after the three built-in ones."),
    ] = None,
    only: Annotated[
        bool, typer.Option("--only", help="Compare only the --policy files, with no built-ins.")
    ] = False,
    from_db: Annotated[
        bool,
        typer.Option(
            "--from-db",
            help="Replay the database's applications and groups (all its weeks) instead of "
            "generated ones; parents' answers still follow the calibration.",
        ),
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="No progress bar.")] = False,
) -> None:
    """Compare policies over the same generated arrivals; write an HTML report with charts."""
    from waitlist.simulation import builtin_policies, load_calibration, load_policy, simulate
    from waitlist.simulation.report import write_report

    if not 1 <= weeks <= MAX_WEEKS:
        fail(f"--weeks must be between 1 and {MAX_WEEKS}, got {weeks}")
    if seed < 0:
        fail(f"--seed must be 0 or more, got {seed}")
    try:
        cal = load_calibration(calibration)
        programmes = {p["slug"] for p in cal.programmes}
        extra = [load_policy(p, programmes=programmes) for p in policy or []]
    except DomainError as exc:
        fail(exc.message)
        return
    specs = ([] if only else builtin_policies(_settings_policy())) + extra
    if not specs:
        fail("--only needs at least one --policy file")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        fail(f"policy names must differ: {', '.join(names)}")
    _writable_folder(out)  # before the (long) run, once the inputs are known to be good
    history = None
    if from_db:
        replay = _replay(cal)
        cal, weeks, history = replay.calibration, replay.weeks, (replay.arrivals, replay.plan)
        typer.echo(
            f"replaying {len(replay.arrivals)} applications and {len(replay.plan)} groups over "
            f"{weeks} weeks from {cal.start.isoformat()} ({replay.skipped} erased, left out)",
            err=True,
        )
    progress, close = _progress(quiet)
    try:
        run = simulate(
            cal, weeks=weeks, seed=seed, policies=specs, progress=progress, history=history
        )
    finally:
        close()
    words = ["waitlist", "simulate", "--weeks", str(weeks), "--seed", str(seed)]
    if calibration is not None:
        words += ["--calibration", str(calibration)]
    for path in policy or []:
        words += ["--policy", str(path)]
    if only:
        words.append("--only")
    if from_db:
        words.append("--from-db")
    words += ["-o", str(out)]
    # Settings that differ from the defaults are part of how to reproduce the run.
    defaults, used = Policy(), _settings_policy()
    env = [
        f"WAITLIST_{name.upper()}={getattr(used, name)}"
        for name in ("cross_district_after_weeks", "cross_district_test", "home_priority",
                     "offer_response_days", "target_weeks")
        if getattr(used, name) != getattr(defaults, name)
    ]  # fmt: skip
    command = " ".join(shlex.quote(w) for w in env + words)
    files = write_report(run, out, command=command, register=True)
    typer.echo(f"wrote {', '.join(str(p) for p in files.pages.values())}")
    for outcome in run.outcomes:
        s = outcome.summary
        typer.echo(
            f"{outcome.spec.name:>24}: placed {s['placed']}, waiting {s['waiting']}, "
            f"median {s['median_wait_weeks']} w, max/min {s['max_min_ratio']}, "
            f"groups {s['groups_started']} started / {s['groups_cancelled']} cancelled, "
            f"estimates covered {s['estimates']['coverage']} "
            f"(median width {s['estimates']['median_width_weeks']} w)"
        )


MAX_WEEKS = 520  # ten years of weekly rounds


def _writable_folder(out: Path) -> None:
    """Fail before simulating if the report folder cannot be made or written."""
    if out.exists() and not out.is_dir():
        fail(f"-o: {str(out)!r} is a file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(f"-o: cannot create the folder {str(out)!r}: {exc.strerror or exc}")
    if not os.access(out, os.W_OK):
        fail(f"-o: cannot write in {str(out)!r} (permission denied)")


def _settings_policy():  # type: ignore[no-untyped-def]
    """The placement policy configured for this installation (WAITLIST_ settings)."""
    from waitlist.bootstrap import rules_from
    from waitlist.config import get_settings

    st = get_settings()
    return Policy.of(rules_from(st), small_cell_min=st.small_cell_min)


def _replay(cal):  # type: ignore[no-untyped-def]
    """The database's history, read through a read-only unit of work."""
    from waitlist.simulation.replay import load_history

    try:
        return load_history(common.uow(readonly=True), cal)
    except ValueError as exc:
        fail(str(exc))


def _progress(quiet: bool):  # type: ignore[no-untyped-def]
    """A rich progress bar on stderr; a no-op when quiet or not on a terminal."""
    if quiet:
        return None, lambda: None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("warming up (the shared history before the period)", total=None)
    bar.start()

    def tick(policy: str, done: int, total: int) -> None:
        bar.update(task, description=f"simulating {policy}", completed=done, total=total)

    return tick, bar.stop
