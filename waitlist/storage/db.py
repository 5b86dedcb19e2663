"""Engines for SQLite (embedded default) and PostgreSQL (production), and schema set-up.

SQLite: WAL journal, a 30 s busy timeout, foreign keys on, and write transactions opened with
`BEGIN IMMEDIATE`, so two writers queue for the lock at BEGIN instead of failing with
"database is locked" when a read lock would have to be upgraded mid-transaction. A read-only
unit of work (`reader(engine)`) passes the execution option `waitlist_readonly=True` and
begins DEFERRED.

PostgreSQL: `postgresql+psycopg://user@host:port/db` (psycopg 3), READ COMMITTED; seats are
taken by one guarded UPDATE and rows are locked with SELECT ... FOR UPDATE where it matters.
A read-only unit of work runs in autocommit: under READ COMMITTED every statement takes its own
snapshot inside a transaction as well, so BEGIN and ROLLBACK would be two round trips for
nothing. A pooled connection is pinged before use only when it sat idle for IDLE_PING_SECONDS (one
round trip saved per busy checkout; a dead one is replaced, as with `pool_pre_ping`), and the
pool keeps as many connections as a worker's thread pool can use at once, so none is opened
and closed per request under load.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, exc, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel, create_engine

BUSY_TIMEOUT_SECONDS = 30
READONLY = "waitlist_readonly"
# PostgreSQL pool per process: every connection the process's threads need at once stays open
# (an overflow connection would be opened and closed per use); 40 covers the API's thread pool
# (WAITLIST_WORKER_THREADS, 8) with room, and 2 workers x 40 stay below the server's default
# max_connections (100). Connections are opened only when needed.
POOL_SIZE = 40
MAX_OVERFLOW = 10
IDLE_PING_SECONDS = 5.0
_LAST_USED = "waitlist_last_used"


def is_sqlite(engine_or_url: Engine | str) -> bool:
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for `url`; for a SQLite file, its folder is created if missing."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, echo=echo, pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW)
        _ping_after_idle(engine)
        return engine
    memory = parsed.database in (None, "", ":memory:")
    kwargs: dict[str, Any] = {
        "connect_args": {"check_same_thread": False, "timeout": BUSY_TIMEOUT_SECONDS}
    }
    if memory:
        kwargs["poolclass"] = StaticPool
    else:
        Path(parsed.database or "").parent.mkdir(parents=True, exist_ok=True)
        kwargs["pool_size"] = 10
        kwargs["max_overflow"] = 40
        kwargs["pool_timeout"] = BUSY_TIMEOUT_SECONDS
    engine = create_engine(url, echo=echo, **kwargs)
    _configure_sqlite(engine, wal=not memory)
    return engine


def reader(engine: Engine) -> Engine:
    """The engine for read-only units of work: on SQLite it begins DEFERRED; made once."""
    if engine.dialect.name == "postgresql":
        return engine  # a read-only unit of work asks for autocommit on its connection
    cached = engine.__dict__.get("_waitlist_reader")
    if cached is None:
        cached = engine.__dict__["_waitlist_reader"] = engine.execution_options(**{READONLY: True})
    return cached  # type: ignore[no-any-return]


_COUNTERS = "_waitlist_counters"
_COUNTERS_LOCK = threading.Lock()


def counters(engine: Engine) -> Engine:
    """The engine for the rate-limit counters (`rate_limit_window`), made once per engine.

    On a SQLite file they live in a file of their own beside the database (its name and
    `-ratelimit`), created on first use: SQLite has one write lock per file, and a page that
    counts a request then waits only behind other counts (a moment each), never behind the
    database's writers (a solve writing its progress from a low-priority process, a round's
    offers, a log-in storm's throttle). The counters matter for minutes only (purged after an
    hour, like the rows PostgreSQL keeps unlogged). PostgreSQL and an in-memory SQLite
    database keep them in the database itself."""
    if not is_sqlite(engine) or engine.url.database in (None, "", ":memory:"):
        return engine
    with _COUNTERS_LOCK:
        cached = engine.__dict__.get(_COUNTERS)
        if cached is None:
            from sqlalchemy.schema import CreateTable

            from waitlist.storage.idempotency import RateLimitWindow

            path = f"{engine.url.database}-ratelimit"
            cached = make_engine(engine.url.set(database=path).render_as_string(False))
            table = RateLimitWindow.__table__  # type: ignore[attr-defined]
            with cached.begin() as conn:  # several processes may start at once
                conn.execute(CreateTable(table, if_not_exists=True))
            engine.__dict__[_COUNTERS] = cached
    return cached  # type: ignore[no-any-return]


def autocommits(engine: Engine) -> bool:
    """Whether read-only work and lone statements run in autocommit here (PostgreSQL)."""
    return engine.dialect.name == "postgresql"


# Set on one checked-out connection (and reset when it goes back to the pool); an engine-wide
# option would make every connection of it run the engine's event hooks.
AUTOCOMMIT: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"}


@contextmanager
def lone_statement(engine: Engine, *, write: bool) -> Iterator[Connection]:
    """A connection for one statement. PostgreSQL: in autocommit, the statement is its own
    transaction (no BEGIN and COMMIT round trips). SQLite: a transaction committed at the
    end, begun DEFERRED to read or IMMEDIATE to write."""
    if autocommits(engine):
        with engine.connect() as conn:
            yield conn.execution_options(**AUTOCOMMIT)
    else:
        with (engine if write else reader(engine)).begin() as conn:
            yield conn


def _ping_after_idle(engine: Engine) -> None:
    """`pool_pre_ping`, but only for a connection idle long enough to have been dropped."""

    @event.listens_for(engine, "connect")
    def _on_connect(_dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_LAST_USED, 0.0) < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # the pool replaces the connection and tries again
            raise exc.DisconnectionError(str(error)) from error


def _configure_sqlite(engine: Engine, *, wal: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if wal:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # Overwrite deleted and replaced content with zeros, so erased personal data leaves no
        # copy in the file's free space (see `forget_old_pages` for the WAL).
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        readonly = connection.get_execution_options().get(READONLY, False)
        connection.exec_driver_sql("BEGIN DEFERRED" if readonly else "BEGIN IMMEDIATE")


def forget_old_pages(engine: Engine) -> None:
    """SQLite: copy the WAL into the database file and empty it (checkpoint TRUNCATE), so old
    page images (holding values just erased) are gone from the -wal file too. PostgreSQL keeps
    no such file copy under the application's control: a no-op there."""
    if not is_sqlite(engine) or engine.url.database in (None, "", ":memory:"):
        return
    with engine.connect() as conn:
        # On the driver's connection: outside the transaction SQLAlchemy would begin.
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            cursor.close()


def create_schema(engine: Engine) -> None:
    """Create every table straight from the metadata (tests, throw-away databases)."""
    import waitlist.storage.tables  # noqa: F401  (registers every table)

    SQLModel.metadata.create_all(engine)


def drop_schema(engine: Engine) -> None:
    import waitlist.storage.tables  # noqa: F401

    SQLModel.metadata.drop_all(engine)


@contextmanager
def scratch_postgres(admin_url: str, prefix: str) -> Iterator[str]:
    """URL of a brand-new, empty database on the PostgreSQL server of `admin_url` (named
    `prefix` and a random suffix), dropped afterwards (tests and benchmarks)."""
    name = f"{prefix}{uuid.uuid4().hex[:16]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{name}"
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def alembic_config(url: str) -> Any:
    """Alembic configuration for `url`, using the migrations shipped with the project."""
    from alembic.config import Config

    root = Path(__file__).resolve().parents[2]
    ini = root / "alembic.ini"
    config = Config(str(ini)) if ini.exists() else Config()
    config.set_main_option("script_location", str(root / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str, revision: str = "head") -> None:
    """Bring the database at `url` up to `revision` with Alembic (what `waitlist init` runs)."""
    from alembic import command

    make_engine(url).dispose()  # creates the SQLite folder if needed
    command.upgrade(alembic_config(url), revision)
