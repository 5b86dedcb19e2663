"""Staff accounts from the command line: deactivate one, give one a new password. Either
revokes every token the account was given (its sessions end at their next request)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from waitlist.cli import common
from waitlist.cli.base import app, fail

staff_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
app.add_typer(staff_app, name="staff")


@staff_app.command("deactivate")
def deactivate(username: Annotated[str, typer.Argument(help="The account's username.")]) -> None:
    """The account can no longer log in; its open sessions and tokens stop working."""
    from waitlist.services.staff import deactivate_staff

    with common.errors():
        deactivate_staff(common.uow(actor="cli"), username)
    typer.echo(f"{username} deactivated; its sessions have ended")


@staff_app.command("password")
def password(
    username: Annotated[str, typer.Argument(help="The account's username.")],
    stdin: Annotated[
        bool, typer.Option("--stdin", help="Read the new password from standard input.")
    ] = False,
) -> None:
    """Set a new password (asked for twice, or one line on stdin); open sessions end."""
    from waitlist.services.staff import change_password

    if stdin:
        new = sys.stdin.readline().rstrip("\n")
    else:
        new = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    if not new:
        fail("password: empty")
    with common.errors():
        change_password(common.uow(actor="cli"), username, new)
    typer.echo(f"new password set for {username}; its sessions have ended")
