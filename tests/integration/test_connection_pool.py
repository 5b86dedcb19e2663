"""The PostgreSQL pool: pooled connections are reused, and one the server dropped is replaced."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from waitlist.storage import db
from waitlist.storage.uow import UnitOfWork

pytestmark = pytest.mark.postgres


def _backend(engine) -> int:
    with UnitOfWork(engine, readonly=True) as uow:
        return int(uow.session.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_busy_connection_is_reused_without_a_ping_and_a_dropped_one_is_replaced(
    postgres_url, monkeypatch
):
    engine = db.make_engine(postgres_url)
    try:
        first = _backend(engine)
        assert _backend(engine) == first  # the same pooled connection, used again
        other = create_engine(postgres_url)  # the server ends the pooled connection's session
        with other.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        other.dispose()
        monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # as if it had sat idle
        replacement = _backend(engine)
        assert replacement != first
    finally:
        engine.dispose()


def _statement_is_the_transaction(uow: UnitOfWork) -> bool:
    # now() is the transaction's start; in autocommit every statement is its own transaction.
    uow.session.execute(text("SELECT 1"))
    return bool(uow.session.execute(text("SELECT now() = statement_timestamp()")).scalar_one())


def test_a_read_only_unit_of_work_reads_without_opening_a_transaction(postgres_url):
    engine = db.make_engine(postgres_url)
    try:
        with UnitOfWork(engine, readonly=True) as uow:
            assert _statement_is_the_transaction(uow)
            with uow:  # nested: nothing to roll back, and no SAVEPOINT outside a transaction
                assert uow.session.execute(text("SELECT 3")).scalar_one() == 3
        with UnitOfWork(engine) as uow:  # a writing unit of work is one transaction
            assert not _statement_is_the_transaction(uow)
    finally:
        engine.dispose()
