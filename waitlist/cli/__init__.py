"""The `waitlist` command line: one entry point, one module per group of commands.

    base      the Typer app and `fail` (one line `error: ...`, exit code 2)
    common    what every command shares (settings, database, dates, files, scenario and
              result files, errors)
    core      init, seed --demo, apply, queue, offers expire, export-scenario, serve
    doctor    check stored data against the rules
    scenario  scenario files: solve offline, print the schemas; rounds on the database
    recommend group-start recommendations from a scenario
    plan_term where next term's groups should go (term planning)
    report    the quarter report for management
    simulate  the what-if simulation
    staff     staff accounts: deactivate, new password

Importing a command module registers its commands on `app`. A command module imports `base`
and `common`, never another command module.
"""

from __future__ import annotations

from waitlist.cli import (  # noqa: F401  (registers)
    core,
    doctor,
    imports,
    plan_term,
    recommend,
    report,
    scenario,
    simulate,
    staff,
)
from waitlist.cli.base import app, fail

__all__ = ["app", "fail"]
