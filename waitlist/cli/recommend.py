"""`waitlist recommend scenario.json -o result.json`: group-start recommendations offline.

Deterministic (fixed seed and worker count: same scenario, same file). While CP-SAT searches, a
progress line on stderr shows the time, the best weighted waiting-weeks removed and the bound.
"""

from __future__ import annotations

from typing import Annotated

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail


@app.command("recommend")
def recommend_command(
    scenario: common.ScenarioFile,
    output: common.ResultFile = None,
    time_limit: common.TimeLimit = 60.0,
    max_groups: Annotated[
        int | None, typer.Option("--max-groups", help="Open at most this many new groups.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress line.")] = False,
) -> None:
    """Recommend which groups to start, where, when, with whom, and what it does to waits."""
    from solver.recommend.pipeline import ProgressUpdate, RecommendOptions, recommend

    parsed = common.read_scenario(scenario, output)
    if time_limit <= 0:
        fail("--time-limit must be more than 0 seconds")
    if max_groups is not None and max_groups < 0:
        fail("--max-groups must be 0 or more")

    def show(update: ProgressUpdate) -> None:
        typer.echo(
            f"\rsearching {update.seconds:7.2f}s  best {update.objective:12.1f}  "
            f"bound {update.bound:12.1f}",
            err=True,
            nl=False,
        )

    options = RecommendOptions(time_limit_s=time_limit, max_new_groups=max_groups)
    result = recommend(parsed, None if quiet else show, options)
    if not quiet:
        typer.echo(
            f"\r{result.status}: {len(result.recommendations)} groups, "
            f"{result.objective.parents_served} parents served" + " " * 30,
            err=True,
        )
    common.write_result(result, output)
