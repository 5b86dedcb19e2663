"""The command line run in-process (typer's test runner) against the database named in the
environment, as `waitlist ...` would run it."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


@functools.cache
def _initialized_template() -> Path:
    """A SQLite file as `waitlist init` leaves it (schema migrated, reference data loaded), made
    once per process: migrating takes a third of a second of CPU every time."""
    from waitlist.services.setup import load_reference_data
    from waitlist.storage.db import make_engine, migrate
    from waitlist.storage.uow import UnitOfWork

    folder = Path(tempfile.mkdtemp(prefix="waitlist-init-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "initialized.db"
    url = f"sqlite:///{path}"
    migrate(url)
    engine = make_engine(url)
    load_reference_data(UnitOfWork(engine, actor="system:init"))
    engine.dispose()
    return path


@dataclass
class Cli:
    """`waitlist <args>` against the database at `url`."""

    url: str

    def __call__(self, *args: str) -> Result:
        return runner.invoke(app, list(args))

    def initialized(self) -> None:
        """The SQLite database at `url` as `waitlist init` leaves it (a copy of one made once;
        tests of `init` itself run the command)."""
        path = Path(self.url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_initialized_template(), path)


@contextmanager
def cli_at(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Cli]:
    monkeypatch.setenv("WAITLIST_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        yield Cli(url)
    finally:
        get_settings.cache_clear()
