"""The `waitlist` command line: one entry point, sub-commands registered by each capability.

Errors print one line to stderr and exit with code 2; nothing is half-written.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="waitlist",
    help="Waitlist and cross-district placement engine for parenting-support programmes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> None:
    """Print one line naming the problem and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _register() -> None:
    # Each capability adds its commands in its own module; importing registers them.
    import importlib

    for name in (
        "waitlist.cli_core",
        "waitlist.cli_scenario",
        "waitlist.cli_recommend",
        "waitlist.cli_report",
        "waitlist.cli_simulate",
    ):
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise


_register()
