"""Scenario commands: `waitlist solve` (a placement round offline) and `waitlist schema`.

A scenario that breaks the contract prints one line per problem, each naming its JSON path,
and exits with code 2; nothing is written.
(`waitlist export-scenario` lives in waitlist/cli/core.py.)
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail


@app.command("solve")
def solve_command(
    scenario: common.ScenarioFile,
    output: common.ResultFile = None,
    time_limit: common.TimeLimit = 60.0,
) -> None:
    """Solve a placement round offline: offers with reasons, as a result file."""
    from solver.placement import solve

    if time_limit <= 0:
        fail("--time-limit must be more than 0 seconds")
    from solver.scenario.files import offer_problems

    parsed = common.read_scenario(scenario, output)
    result = solve(parsed, time_limit_s=time_limit)
    problems = offer_problems(parsed, result)  # a result that breaks its rules is never written
    if problems:
        fail("; ".join(problems), code=1)
    common.write_result(result, output)


@app.command("schema")
def schema_command(
    which: Annotated[str, typer.Argument(help="scenario or result")],
) -> None:
    """Print the JSON Schema of the scenario or the result file."""
    from solver.scenario.files import result_json_schema, scenario_json_schema

    schemas = {"scenario": scenario_json_schema, "result": result_json_schema}
    if which not in schemas:
        fail(f"schema must be 'scenario' or 'result', got {which!r}")
        return
    typer.echo(json.dumps(schemas[which](), indent=2, sort_keys=True, ensure_ascii=False))


round_app = typer.Typer(help="Placement rounds on the live database: preview, then commit.")
app.add_typer(round_app, name="round")


@round_app.command("preview")
def round_preview(
    district: Annotated[str | None, typer.Option(help="Only this district's queues.")] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Round date (default today).")
    ] = None,
    actor: Annotated[str, typer.Option(help="Who runs the round.")] = "cli",
    show: Annotated[int, typer.Option(help="How many offers to print.", min=0)] = 10,
) -> None:
    """Solve a round over the database and record it as a preview (no offer is made)."""
    from waitlist.services import rounds

    day = common.near_today(common.parse_date(as_of, "as-of"), "as-of")
    with common.errors():
        preview = rounds.preview_round(common.uow(actor=actor, today=day), district=district)
    o = preview.objective
    typer.echo(
        f"round {preview.id} (preview, as of {preview.as_of}): {o.get('placed', 0):.0f} offers, "
        f"{o.get('cross_district', 0):.0f} in other districts, "
        f"{o.get('unplaced', 0):.0f} still waiting; inputs {preview.inputs_hash[:12]}"
    )
    for offer in preview.offers[:show]:
        typer.echo(f"  {offer['application']} -> {offer['group']}: {offer['reason']}")
    if len(preview.offers) > show:
        typer.echo(f"  … and {len(preview.offers) - show} more")
    typer.echo(f"commit with: waitlist round commit {preview.id}")


@round_app.command("commit")
def round_commit(
    round_id: Annotated[int, typer.Argument(help="The previewed round.")],
    actor: Annotated[str, typer.Option(help="Who commits the round.")] = "cli",
) -> None:
    """Make every offer of a preview at once; refused if anything changed since."""
    from waitlist.services import rounds

    with common.errors():
        done = rounds.commit_round(common.uow(actor=actor), round_id)
    typer.echo(f"round {done.id} committed: {len(done.offers)} offers made")
