"""`waitlist plan-term --budget komet=6 --budget abc=3`: where next term's groups should go.

Reads the live database (queues, the pace of new applications, groups already announced,
leaders, travel), plans the budget with the term planner (solver.planning) and prints the
effect per district and programme against the usual plan (by population), then the groups
to plan; `-o plan.json` also writes the plan as JSON. Deterministic: same database, same plan.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail


def parse_budget(items: list[str]) -> dict[str, int]:
    """`komet=6` items as programme -> groups; a malformed item fails naming it."""
    budget: dict[str, int] = {}
    for item in items:
        prog, sep, count = item.partition("=")
        if not sep or not prog.strip() or not count.strip().isdigit():
            fail(f"--budget: expected PROGRAMME=GROUPS like komet=6, got {item!r}")
        if prog.strip() in budget:
            fail(f"--budget: {prog.strip()!r} is given twice")
        budget[prog.strip()] = int(count)
    if not budget:
        fail("--budget: give at least one, like --budget komet=6")
    return budget


@app.command("plan-term")
def plan_term_command(
    budget: Annotated[
        list[str],
        typer.Option("--budget", help="Groups of one programme next term: PROGRAMME=GROUPS."),
    ],
    term_start: Annotated[
        str | None,
        typer.Option("--term-start", help="First day of the term (default: 4 weeks on)."),
    ] = None,
    term_weeks: Annotated[int, typer.Option("--term-weeks", help="Length of the term.")] = 20,
    as_of: Annotated[str | None, typer.Option("--as-of", help="Plan as of this day.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the text: sv or en.")] = "sv",
    output: Annotated[
        Path | None, typer.Option("--out", "-o", help="Write the plan as JSON.")
    ] = None,
) -> None:
    """Plan next term's groups where the need is, with the effect per district in words."""
    from waitlist.services import access
    from waitlist.services.term_plan_text import cell_lines, effect_lines
    from waitlist.services.term_planning import plan_next_term

    if lang not in ("sv", "en"):
        fail(f"--lang: must be sv or en, got {lang!r}")
    parsed = parse_budget(budget)
    start = common.near_today(common.parse_date(term_start, "--term-start"), "--term-start")
    day = common.near_today(common.parse_date(as_of, "--as-of"), "--as-of")
    if output is not None:
        common.check_output(output)
    actor = access.Actor(kind="staff", role=access.MANAGEMENT)
    with common.errors():
        planned = plan_next_term(
            common.uow(actor="cli", today=day, readonly=True),
            actor,
            parsed,
            term_start=start,
            term_weeks=term_weeks,
            as_of=day,
        )
    plan = planned.plan
    if not plan.found:
        fail(f"no plan found ({plan.status})", code=1)
    for line in effect_lines(planned, lang):
        typer.echo(line.text)
    typer.echo("")
    for text in cell_lines(planned, lang):
        typer.echo(text)
    if output is not None:
        data = {
            "format": "waitlist-term-plan/1",
            "as_of": planned.as_of.isoformat(),
            "term_start": planned.term_start.isoformat(),
            "term_weeks": planned.term_weeks,
            "budget": dict(sorted(planned.budget.items())),
            "status": str(plan.status),
            "groups": [asdict(c) for c in plan.cells],
            "effects": [asdict(e) for e in plan.effects],
            "objective": plan.objective,
        }
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        common.write_atomically(output, text.encode("utf-8"))
