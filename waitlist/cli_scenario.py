"""Scenario commands: `waitlist solve` (a placement round offline) and `waitlist schema`.

A scenario that breaks the contract prints one line per problem, each naming its JSON path,
and exits with code 2; nothing is written. (`waitlist export-scenario` lives in cli_core.)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from waitlist.cli import app, fail


@app.command("solve")
def solve_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario file (waitlist-scenario/1).")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Result file (default stdout).")
    ] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Seconds before settling for feasible.")
    ] = 60.0,
) -> None:
    """Solve a placement round offline: offers with reasons, as a result file."""
    from solver.placement import solve
    from solver.scenario import ScenarioError, load_scenario, result_to_json

    try:
        parsed = load_scenario(scenario)
    except ScenarioError as exc:
        for problem in exc.problems[:-1]:
            typer.echo(f"error: {problem}", err=True)
        fail(exc.problems[-1])
        return
    text = result_to_json(solve(parsed, time_limit_s=time_limit))
    if output is None:
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror}")


@app.command("schema")
def schema_command(
    which: Annotated[str, typer.Argument(help="scenario or result")],
) -> None:
    """Print the JSON Schema of the scenario or the result file."""
    from solver.scenario import result_json_schema, scenario_json_schema

    schemas = {"scenario": scenario_json_schema, "result": result_json_schema}
    if which not in schemas:
        fail(f"schema must be 'scenario' or 'result', got {which!r}")
        return
    typer.echo(json.dumps(schemas[which](), indent=2, sort_keys=True, ensure_ascii=False))
