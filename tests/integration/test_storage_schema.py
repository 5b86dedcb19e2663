"""Schema, migrations and the engine's transaction behaviour on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from tests.support.foundation import new_world
from waitlist.storage.db import create_schema, drop_schema, make_engine, migrate
from waitlist.storage.tables import Application, Event, Group, Offer, Outbox, metadata
from waitlist.storage.uow import UnitOfWork


def test_the_migrations_build_exactly_the_tables_of_the_models(database_url):
    migrate(database_url)
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
            tables = set(inspect(conn).get_table_names())
        assert diff == []
        assert {
            "application",
            "offer",
            "programme_group",
            "event",
            "outbox",
            "placement_round",
            "staff",
            "lottery_seed",
        } <= tables
        migrate(database_url)  # a second run is a no-op
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_the_rate_limit_counters_skip_the_write_ahead_log_on_postgresql(postgres_url):
    persistence = text("SELECT relpersistence FROM pg_class WHERE relname = 'rate_limit_window'")
    engine = make_engine(postgres_url)
    try:
        create_schema(engine)  # from the models
        with engine.connect() as conn:
            assert conn.execute(persistence).scalar() == "u"
        drop_schema(engine)
        migrate(postgres_url)  # through the migrations
        with engine.connect() as conn:
            assert conn.execute(persistence).scalar() == "u"
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'w.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_a_sqlite_write_transaction_takes_the_write_lock_at_begin(tmp_path):
    path = tmp_path / "lock.db"
    world = new_world(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with world.uow() as uow:
        uow.session.exec(select(Application)).all()  # a read only, yet the lock is held
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # released when the unit of work ended
    other.execute("ROLLBACK")
    with world.uow(readonly=True) as uow:  # a read-only one does not block writers
        uow.session.exec(select(Application)).all()
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    other.close()
    world.engine.dispose()


def test_the_unit_of_work_rolls_back_unless_committed(database_url):
    world = new_world(database_url)
    with world.uow() as uow:
        uow.record("test", 1, "forgotten")
    with world.uow() as uow:
        uow.record("test", 2, "kept")
        with uow:  # a nested block is a savepoint: its failure undoes only itself
            uow.record("test", 3, "inner, rolled back")
        uow.commit()
    with world.uow(readonly=True) as uow:
        ids = [e.entity_id for e in uow.session.exec(select(Event).where(Event.entity == "test"))]
    assert ids == ["2"]
    world.engine.dispose()


def test_batched_events_and_notices_are_written_at_the_commit_in_order_or_not_at_all(
    database_url,
):
    world = new_world(database_url)
    uow = UnitOfWork(world.engine, actor="batch", batch_records=True)
    with uow:
        uow.record("test", 1, "forgotten")
        uow.notify("applied", "application:1", {"token": "forgotten"})
    with uow:
        for n in (2, 3, 4):
            uow.record("test", n, "kept", after={"n": n}, district="farsta")
        uow.notify("applied", "application:2", {"token": "t"})
        uow.commit()
    with world.uow(readonly=True) as reader:
        events = reader.session.exec(
            select(Event).where(Event.entity == "test").order_by(col(Event.id))
        ).all()
        notices = reader.session.exec(select(Outbox)).all()
    assert [(e.entity_id, e.after, e.actor, e.district) for e in events] == [
        (str(n), {"n": n}, "batch", "farsta") for n in (2, 3, 4)
    ]
    assert [(o.recipient, o.payload, o.attempts, o.sent_at) for o in notices] == [
        ("application:2", {"token": "t"}, 0, None)
    ]
    world.engine.dispose()


def test_the_database_itself_refuses_two_pending_offers_for_one_application(database_url):
    world = new_world(database_url)
    a = world.apply().application
    g = world.group()
    with world.uow() as uow:
        for _ in range(2):
            uow.session.add(Offer(application_id=a.id, group_id=g, respond_by=date(2026, 4, 1)))
        with pytest.raises(IntegrityError):
            uow.session.flush()
    with world.uow() as uow:  # answered offers do not count
        uow.session.add(
            Offer(application_id=a.id, group_id=g, status="declined", respond_by=date(2026, 4, 1))
        )
        uow.session.add(Offer(application_id=a.id, group_id=g, respond_by=date(2026, 4, 1)))
        uow.commit()
    world.engine.dispose()


def test_the_database_itself_refuses_more_taken_seats_than_capacity(database_url):
    world = new_world(database_url)
    g = world.group(capacity=2, min_size=1)
    with world.uow() as uow, pytest.raises(IntegrityError):
        uow.session.execute(text("UPDATE programme_group SET taken = 3 WHERE id = :g"), {"g": g})
    with world.uow(readonly=True) as uow:
        assert uow.session.get(Group, g).taken == 0
    world.engine.dispose()


def test_a_unit_of_work_used_outside_its_block_says_so(tmp_path):
    uow = UnitOfWork(make_engine(f"sqlite:///{tmp_path / 'x.db'}"))
    with pytest.raises(RuntimeError, match="with uow"):
        _ = uow.session
