"""`waitlist doctor`: check the stored data against every rule it can (waitlist.services.doctor).

Prints one line per problem and exits 1 when there is any, 0 when everything holds; a
database it cannot read is bad input (exit 2, one line).
"""

from __future__ import annotations

import typer

from waitlist.cli import common
from waitlist.cli.base import app


@app.command("doctor")
def doctor_command() -> None:
    """Check stored data against the rules (deadlines, seats, one offer each, ages)."""
    from waitlist.services.doctor import check

    with common.errors():
        findings = check(common.uow(actor="cli:doctor", readonly=True))
    for finding in findings:
        typer.echo(finding.line())
    if findings:
        typer.echo(f"{len(findings)} problems found", err=True)
        raise typer.Exit(1)
    typer.echo("no problems found")
