"""Fresh databases for the tests: a SQLite file, or a new database on the PostgreSQL server named
in WAITLIST_TEST_POSTGRES (dropped afterwards)."""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from sqlalchemy import Engine

PG_ENV = "WAITLIST_TEST_POSTGRES"
BOTH = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
"""Fixture parameters: the same tests on SQLite and on PostgreSQL."""


@contextmanager
def postgres_database() -> Iterator[str]:
    """URL of a brand-new, empty PostgreSQL database, dropped afterwards (skips the test when no
    server is given)."""
    admin = os.environ.get(PG_ENV)
    if not admin:
        pytest.skip(f"{PG_ENV} not set (make test starts PostgreSQL and sets it)")
    from waitlist.storage.db import scratch_postgres

    with scratch_postgres(admin, "t_") as url:
        yield url


@contextmanager
def fresh_database(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new empty database of `kind` ("sqlite" or "postgres")."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'waitlist.db'}"
        return
    with postgres_database() as url:
        yield url


@functools.cache
def _reference_template() -> Path:
    """A SQLite file with the schema and the reference data, made once per process."""
    from waitlist.services.setup import load_reference_data
    from waitlist.storage.db import create_schema, make_engine
    from waitlist.storage.uow import UnitOfWork

    folder = Path(tempfile.mkdtemp(prefix="waitlist-reference-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / "reference.db"
    engine = make_engine(f"sqlite:///{path}")
    create_schema(engine)
    load_reference_data(UnitOfWork(engine, actor="test"))
    engine.dispose()
    return path


def reference_database(url: str) -> Engine:
    """An engine on the new, empty database at `url`, given the schema and the reference data:
    on SQLite a copy of one file made once per process (a few milliseconds instead of building
    the tables and loading the districts every time), on PostgreSQL built in place."""
    from waitlist.services.setup import load_reference_data
    from waitlist.storage.db import create_schema, make_engine
    from waitlist.storage.uow import UnitOfWork

    plain_file = url.startswith("sqlite:///") and "?" not in url
    path = Path(url.removeprefix("sqlite:///"))
    if plain_file and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(_reference_template(), path)
        return make_engine(url)
    engine = make_engine(url)
    create_schema(engine)
    load_reference_data(UnitOfWork(engine, actor="test"))
    return engine
