"""Fresh databases for the tests: a SQLite file, or a new database on the PostgreSQL server named
in WAITLIST_TEST_POSTGRES (dropped afterwards)."""

from __future__ import annotations

import os
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
