"""Sending notices from the outbox: retried, never lost, never sent twice.

Use cases write an `outbox` row in the same transaction as the change it announces
(`uow.notify`), so a notice exists exactly when its change does. `send_pending` then delivers:

- rows are claimed inside one transaction: `SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL
  (several workers take disjoint rows), `BEGIN IMMEDIATE` on SQLite (one writer at a time);
- each row is handed to the one `NoticeSender` and marked `sent_at` in that same transaction;
  if the process dies first, the transaction rolls back and the row is sent again later, with
  the same outbox id, which a sender passes on as its message id so the provider drops the
  duplicate (the demo sender's unique `outbox_id` does exactly that);
- a failed send increments `attempts` and records the error type; after `max_attempts` the row
  stays unsent and visible (a dead letter) instead of being retried for ever.

The recipient is a reference (`application:12`); the contact is looked up only when sending,
so an erased application gets no more notices with its old contact.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Engine
from sqlmodel import Session, select

from waitlist.storage.application_tables import Application
from waitlist.storage.notices import SentNotice
from waitlist.storage.record_tables import Outbox

MAX_ATTEMPTS = 5
BATCH = 50

_TEMPLATES = {
    "offer_made": "You have been offered a seat. Please answer by {respond_by}.",
    "deadline_near": "Your offer is waiting for your answer: please answer by {respond_by}.",
    "group_cancelled": "Your group has been cancelled. You keep your place in the queue.",
    "offer_revoked": "Your offer has been withdrawn by the district. You keep your place.",
    "offer_expired": "Your offer expired unanswered. You keep your place in the queue.",
    "applied": "We have received your application.",
}


@dataclass(frozen=True)
class Notice:
    outbox_id: int
    kind: str
    recipient: str  # a reference, e.g. "application:12"
    contact: str | None  # looked up when sending; None when there is none (or erased)
    message: str


class NoticeSender(Protocol):
    """Delivers one notice. Must treat `outbox_id` as a message id (deliver at most once)."""

    def send(self, notice: Notice, session: Session) -> None: ...


class DemoSender:
    """Writes notices to the local outbox view (`sent_notice`) instead of e-mail or SMS."""

    def send(self, notice: Notice, session: Session) -> None:
        already = session.exec(
            select(SentNotice.id).where(SentNotice.outbox_id == notice.outbox_id)
        ).first()
        if already is not None:
            return
        session.add(
            SentNotice(
                outbox_id=notice.outbox_id,
                kind=notice.kind,
                recipient=notice.recipient,
                message=notice.message,
            )
        )


def render(kind: str, payload: dict[str, Any]) -> str:
    template = _TEMPLATES.get(kind, "There is news about your application ({kind}).")
    try:
        return template.format(kind=kind, **{k: v for k, v in payload.items() if k != "kind"})
    except (KeyError, IndexError, ValueError):
        return template.split(".")[0] + "."


def _contact(session: Session, recipient: str) -> str | None:
    kind, _, ident = recipient.partition(":")
    if kind != "application" or not ident.isdigit():
        return None
    app = session.get(Application, int(ident))
    return app.contact if app is not None and app.erased_at is None else None


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int

    def __bool__(self) -> bool:
        return bool(self.sent or self.failed)


def send_pending(
    engine: Engine,
    sender: NoticeSender,
    *,
    batch: int = BATCH,
    max_attempts: int = MAX_ATTEMPTS,
) -> SendReport:
    """Deliver up to `batch` unsent notices, oldest first."""
    sent = failed = 0
    with Session(engine, expire_on_commit=False) as session:
        query = (
            select(Outbox)
            .where(Outbox.sent_at.is_(None), Outbox.attempts < max_attempts)  # type: ignore[union-attr]
            .order_by(Outbox.id)  # type: ignore[arg-type]
            .limit(batch)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        for row in session.exec(query).all():
            assert row.id is not None
            notice = Notice(
                outbox_id=row.id,
                kind=row.kind,
                recipient=row.recipient,
                contact=_contact(session, row.recipient),
                message=render(row.kind, row.payload or {}),
            )
            row.attempts += 1
            try:
                with session.begin_nested():
                    sender.send(notice, session)
                row.sent_at = datetime.now(UTC)
                row.last_error = None
                sent += 1
            except Exception as exc:  # a sender failure is retried on a later run
                row.last_error = type(exc).__name__  # the message may hold a contact
                failed += 1
            session.add(row)
        session.commit()
    return SendReport(sent=sent, failed=failed)


def drain(engine: Engine, sender: NoticeSender, *, max_batches: int = 20) -> SendReport:
    """Send until the outbox is empty (or `max_batches` were sent)."""
    total_sent = total_failed = 0
    for _ in range(max_batches):
        report = send_pending(engine, sender)
        total_sent += report.sent
        total_failed += report.failed
        if report.sent + report.failed == 0 or report.sent == 0:
            break
    return SendReport(sent=total_sent, failed=total_failed)
