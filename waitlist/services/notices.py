"""Delivering outbox notices through one pluggable sender.

`Sender.send(kind, contact, payload)` delivers one notice; the demo's `LocalSender` keeps them
(the outbox view shows every row anyway). A notice to an application without contact (none
given, or erased) is marked sent with nothing delivered.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlmodel import col, select

from waitlist.storage.tables import Application, Outbox
from waitlist.storage.uow import UnitOfWork


class Sender(Protocol):
    def send(self, kind: str, contact: str, payload: dict[str, Any]) -> None: ...


class LocalSender:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, dict[str, Any]]] = []

    def send(self, kind: str, contact: str, payload: dict[str, Any]) -> None:
        self.sent.append((kind, contact, payload))


def _contact(uow: UnitOfWork, recipient: str) -> str | None:
    kind, _, key = recipient.partition(":")
    if kind != "application" or not key.isdigit():
        return None
    app = uow.session.get(Application, int(key))
    return None if app is None else app.contact


def deliver_outbox(uow: UnitOfWork, sender: Sender, limit: int = 100, max_attempts: int = 5) -> int:
    """Send unsent notices, oldest first; failures are counted and retried next time."""
    delivered = 0
    with uow:
        rows = uow.session.exec(
            select(Outbox)
            .where(col(Outbox.sent_at).is_(None), Outbox.attempts < max_attempts)
            .order_by(Outbox.id)
            .limit(limit)  # type: ignore[arg-type]
        ).all()
        for row in rows:
            row.attempts += 1
            contact = _contact(uow, row.recipient)
            try:
                if contact:
                    sender.send(row.kind, contact, row.payload)
                row.sent_at = uow.now()
                delivered += 1
            except Exception as exc:  # the sender is pluggable: keep the notice for a retry
                row.last_error = str(exc)[:500]
            uow.session.add(row)
        uow.commit()
    return delivered
