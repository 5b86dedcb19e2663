"""Unit of work: one database transaction per use case; rolls back unless committed.

    uow = UnitOfWork(engine, actor="coordinator:farsta")
    with uow:
        ...                      # uow.session, uow.record(...), uow.notify(...)
        uow.commit()

Nesting `with uow:` inside an open one starts a SAVEPOINT: an inner commit releases it, an
inner failure rolls back only the inner work. Batch jobs (the demo seeder) use this to run
many use cases in one transaction; with `savepoints=False` (the seeder) nested blocks are
not savepoints, which saves two statements per use case but undoes nothing of a failed
nested block: only for callers that abandon the whole transaction on a failure, or catch
only errors raised before anything changed. `readonly=True` reads through
`db.reader(engine)`; on PostgreSQL its connection is in autocommit (a nested block has
nothing to roll back).

`uow.record(...)` writes an `event` row and `uow.notify(...)` an `outbox` row in the same
transaction as the change they describe. With `batch_records=True` (the demo seeder, which
writes thousands of them and reads none back) they are kept and written with one multi-row
INSERT per table just before the commit, in the order they were recorded (the same ids).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.engine import Engine
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session, SQLModel

from waitlist.domain.policy import Rules
from waitlist.storage.columns import utcnow
from waitlist.storage.db import AUTOCOMMIT, autocommits, reader
from waitlist.storage.record_tables import Event, Outbox


class UnitOfWork:
    def __init__(
        self,
        engine: Engine,
        *,
        actor: str = "system",
        rules: Rules | None = None,
        clock: Callable[[], datetime] | None = None,
        readonly: bool = False,
        savepoints: bool = True,
        batch_records: bool = False,
    ) -> None:
        self.engine = engine
        self.savepoints = savepoints
        self.batch_records = batch_records
        self._batched: dict[type[Event] | type[Outbox], list[dict[str, Any]]] = {
            Event: [],
            Outbox: [],
        }
        self.actor = actor
        self.rules = rules or Rules()
        self.clock = clock or utcnow
        self.readonly = readonly
        self._autocommit = readonly and autocommits(engine)
        self._session: Session | None = None
        self._savepoints: list[SessionTransaction | None] = []
        self._committed: list[bool] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("use the unit of work inside `with uow:`")
        return self._session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        return self.clock().date()

    def __enter__(self) -> UnitOfWork:
        if self._session is None:
            bind = reader(self.engine) if self.readonly else self.engine
            self._session = Session(bind, expire_on_commit=False)
            if self._autocommit:
                self._session.connection(execution_options=AUTOCOMMIT)
        elif self._autocommit or not self.savepoints:
            self._savepoints.append(None)  # no transaction to nest in, or none asked for
        else:
            self._savepoints.append(self.session.begin_nested())
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._savepoints:
            savepoint = self._savepoints.pop()
            if savepoint is not None and savepoint.is_active:
                savepoint.rollback()
            return
        session, self._session = self._session, None
        for rows in self._batched.values():
            rows.clear()  # not committed: never written
        if session is not None:
            # Detach first so rows read here keep their loaded values after the rollback
            # (a rollback would expire them and a closed session could not reload them).
            session.expunge_all()
            session.rollback()
            session.close()

    @property
    def in_transaction(self) -> bool:
        """True inside `with uow:` (a use case called here joins the open transaction)."""
        return self._session is not None

    @property
    def nested(self) -> bool:
        return bool(self._savepoints)

    def commit(self) -> None:
        if self._savepoints:
            savepoint = self._savepoints[-1]
            if savepoint is not None and savepoint.is_active:
                savepoint.commit()
            return
        self._write_batched()
        self.session.commit()

    def _write_batched(self) -> None:
        for model, rows in self._batched.items():
            if rows:
                self.insert_rows(model, rows)
                rows.clear()

    def insert_rows(self, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
        """Rows of one table (every row with the same columns) in one multi-row INSERT, past
        the ORM: no objects built, no identity map."""
        table: Table = model.__table__  # type: ignore[attr-defined]
        self.session.connection().execute(insert(table), rows)

    def rollback(self) -> None:
        if self._savepoints:
            savepoint = self._savepoints[-1]
            if savepoint is not None:
                savepoint.rollback()
            return
        self.session.rollback()

    def flush(self) -> None:
        self.session.flush()

    def changed(self, entity: str, row: Any, before: dict[str, Any], after: dict[str, Any]) -> None:
        """Store a changed district row and record `<entity>_changed` with its district."""
        self.session.add(row)
        self.record(
            entity, row.id, f"{entity}_changed", before=before, after=after, district=row.district
        )

    def record(
        self,
        entity: str,
        entity_id: int | str | None,
        action: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        district: str | None = None,
        programme: str | None = None,
    ) -> None:
        """Write an audit event (no personal data in before/after) in this transaction."""
        values: dict[str, Any] = {
            "at": self.now(),
            "actor": self.actor,
            "entity": entity,
            "entity_id": str(entity_id),
            "action": action,
            "before": before,
            "after": after,
            "district": district,
            "programme": programme,
        }
        if self.batch_records:
            self._batched[Event].append(values)
        else:
            self.session.add(Event(**values))

    def record_row(
        self,
        entity: str,
        row: Any,
        action: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        place: Any = None,
    ) -> None:
        """An audit event about `row` (its id), filed under the district and programme of
        `place` (an application or a group; `row` itself when not given)."""
        where = row if place is None else place
        self.record(
            entity,
            row.id,
            action,
            before=before,
            after=after,
            district=where.district,
            programme=where.programme,
        )

    def notify(self, kind: str, recipient: str, payload: dict[str, Any]) -> None:
        """Queue a notice in the outbox, in this transaction."""
        values: dict[str, Any] = {"created_at": self.now(), "kind": kind, "recipient": recipient}
        if self.batch_records:
            self._batched[Outbox].append({**values, "payload": payload, "attempts": 0})
        else:
            self.session.add(Outbox(**values, payload=payload))
