"""Shared fixtures: a fresh database per test on SQLite and, when available, PostgreSQL.

`make test` starts a disposable PostgreSQL (scripts/postgres.sh) and passes its URL in
WAITLIST_TEST_POSTGRES. In CI (env CI set) a missing PostgreSQL is an error, never a skip.
Use `database_url` for tests that must hold on both databases.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from tests.support import budgets
from tests.support.databases import BOTH, PG_ENV, fresh_database, postgres_database

if TYPE_CHECKING:
    from tests.support.api import City

# The app refuses a key written anywhere in the source tree: every test process gets a random
# one (servers started by the tests inherit it). tests/security starts servers without it.
os.environ.setdefault("WAITLIST_SECRET_KEY", secrets.token_urlsafe(32))


# The suite must hold on a loaded machine: no property fails because generating or running an
# example took long (Hypothesis' deadline and its "too slow" health check measure wall-clock).
settings.register_profile("suite", deadline=None, suppress_health_check=[HealthCheck.too_slow])
# `make check` (WAITLIST_TEST_BUDGET=small): properties without a budget of their own try ten
# examples instead of Hypothesis' hundred (tests.support.budgets scales the others).
settings.register_profile("small", settings.get_profile("suite"), max_examples=10)
settings.load_profile("small" if budgets.SMALL else "suite")


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def pytest_sessionstart(session: pytest.Session) -> None:
    if in_ci() and not os.environ.get(PG_ENV):
        raise pytest.UsageError(f"CI must run the PostgreSQL tests: set {PG_ENV}")


SLOW_BY_NATURE = ("postgres", "browser")
"""Tests that need a PostgreSQL server or a browser are `slow` whatever their size: `make check`
(`-m "not slow"`) leaves them to `make test`."""


FAST_SECURITY = {"test_nonblocking.py", "test_login_throttle.py"}
"""tests/security runs real servers (subprocesses, key files, kill -9): `slow`, but for these
checks that take a second and guard every change."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = item.path
        real_server = path.parent.name == "security" and path.name not in FAST_SECURITY
        if real_server or any(item.get_closest_marker(name) for name in SLOW_BY_NATURE):
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """URL of a brand-new, empty PostgreSQL database, dropped after the test."""
    with postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'waitlist.db'}"


@pytest.fixture(params=BOTH)
def database_url(request: pytest.FixtureRequest) -> str:
    """The same test on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_url")
    return request.getfixturevalue("postgres_url")


@pytest.fixture(scope="module", params=BOTH)
def module_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One fresh database for all the tests of a module, on SQLite and on PostgreSQL (for the
    worlds a module builds once)."""
    with fresh_database(request.param, tmp_path_factory) as url:
        yield url


@pytest.fixture
def city(database_url: str) -> Iterator[City]:
    """The small test city of tests.support.api (two districts, a group in each, three staff
    accounts), on SQLite and on PostgreSQL."""
    from tests.support.api import build_city

    built = build_city(database_url)
    yield built
    built.engine.dispose()
