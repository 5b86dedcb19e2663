"""The `waitlist` application object and its one-line errors; commands register on `app`.

Errors print one line to stderr and exit with code 2; nothing is half-written.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup


class OneLineErrors(TyperGroup):
    """Usage errors (a missing argument, an unknown option, a value of the wrong type) print
    one line `error: ...` and exit 2, like every other bad input, instead of a framed box."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[misc]
        except typer.TyperException as exc:
            if not standalone_mode:
                raise
            message = exc.format_message().strip()
            if message:  # empty when the help was shown for a bare command
                typer.echo(f"error: {message}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            if not standalone_mode:
                raise
            typer.echo("Aborted!", err=True)
            sys.exit(1)
        if not standalone_mode:
            return code
        # Without standalone mode a command's typer.Exit comes back as its exit code.
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    name="waitlist",
    help="Waitlist and cross-district placement engine for parenting-support programmes.",
    cls=OneLineErrors,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def fail(message: str, code: int = 2) -> None:
    """Print one line naming the problem and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
