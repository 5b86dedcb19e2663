"""The command line run in-process (typer's test runner) against the database named in the
environment, as `waitlist ...` would run it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from click.testing import Result
from typer.testing import CliRunner

from waitlist.cli import app
from waitlist.config import get_settings

runner = CliRunner()

APPLY = [
    "apply",
    "--programme",
    "komet",
    "--district",
    "farsta",
    "--child-birth",
    "2019-05",
    "--language",
    "sv",
]
"""A complete `waitlist apply` (options may be added after it)."""


@dataclass
class Cli:
    """`waitlist <args>` against the database at `url`."""

    url: str

    def __call__(self, *args: str) -> Result:
        return runner.invoke(app, list(args))


@contextmanager
def cli_at(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    monkeypatch.setenv("WAITLIST_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        yield Cli(url)
    finally:
        get_settings.cache_clear()
