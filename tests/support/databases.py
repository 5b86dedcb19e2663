"""Fresh databases for the tests: a SQLite file, or a new database on the PostgreSQL server named
in WAITLIST_TEST_POSTGRES (dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

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
    import sqlalchemy as sa

    name = f"t_{uuid.uuid4().hex[:16]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@contextmanager
def fresh_database(kind: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new empty database of `kind` ("sqlite" or "postgres")."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'waitlist.db'}"
        return
    with postgres_database() as url:
        yield url
