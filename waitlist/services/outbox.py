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

A notice may carry a secret: the "applied" notice holds the parent's status token, because
the personal link is sent to the contact address. The payload keeps it only until the notice
is sent (or given up as a dead letter): the same transaction that marks the row sent removes
it, and erasing the parent's data removes it from rows not sent yet. The local outbox view
of the demo sender keeps the message with the link left out, as a mailbox would not: only
the token's hash is stored anywhere for long.
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
    "offer_made": "You have been offered a seat. Please answer by {respond_by}. The group "
    "meets {meetings} times, {time}, from {first_meeting} to {last_meeting} at {place}. "
    "Questions: {contact}.",
    "deadline_near": "Your offer is waiting for your answer: please answer by {respond_by}.",
    "group_cancelled": "Your group has been cancelled. You keep your place in the queue.",
    "offer_revoked": "Your offer has been withdrawn by the district. You keep your place.",
    "offer_expired": "Your offer expired unanswered. You keep your place in the queue.",
    "applied": "We have received your application. Follow it and answer offers with your "
    "personal link (keep it to yourself): {link}",
}
# Payload keys that hold a secret: removed from the stored payload once the notice is sent.
SECRET_KEYS = frozenset({"token"})
LINK_NOT_KEPT = "(sent to your contact address; not kept here)"


@dataclass(frozen=True)
class Notice:
    outbox_id: int
    kind: str
    recipient: str  # a reference, e.g. "application:12"
    contact: str | None  # looked up when sending; None when there is none (or erased)
    message: str
    # The message without its secrets (the personal link left out), for anything that keeps
    # a copy, like the demo's outbox view. Empty when the message holds no secret.
    kept: str = ""


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
                message=notice.kept or notice.message,
            )
        )


def status_link(base_url: str, token: str) -> str:
    """The parent's personal link to their status page."""
    return f"{base_url.rstrip('/')}/status/{token}"


def without_secrets(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if k not in SECRET_KEYS}


def render(kind: str, payload: dict[str, Any], base_url: str = "") -> str:
    template = _TEMPLATES.get(kind, "There is news about your application ({kind}).")
    values = {k: v for k, v in payload.items() if k not in SECRET_KEYS | {"kind"}}
    token = payload.get("token")
    values["link"] = status_link(base_url, token) if token else LINK_NOT_KEPT
    try:
        return template.format(kind=kind, **values)
    except (KeyError, IndexError, ValueError):
        return template.split(".")[0] + "."


def forget_secrets(session: Session, recipient: str) -> None:
    """Remove the secrets from every outbox row for `recipient` (the parent's data is being
    erased, or their link replaced): a notice not sent yet goes out without them."""
    rows = session.exec(select(Outbox).where(Outbox.recipient == recipient)).all()
    for row in rows:
        if SECRET_KEYS & set(row.payload or {}):
            row.payload = without_secrets(row.payload)
            session.add(row)


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
    base_url: str = "",
) -> SendReport:
    """Deliver up to `batch` unsent notices, oldest first. `base_url` is the address parents
    reach the site at, for the links in notices."""
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
            payload = row.payload or {}
            secret = bool(SECRET_KEYS & set(payload))
            notice = Notice(
                outbox_id=row.id,
                kind=row.kind,
                recipient=row.recipient,
                contact=_contact(session, row.recipient),
                message=render(row.kind, payload, base_url),
                kept=render(row.kind, without_secrets(payload)) if secret else "",
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
            if secret and (row.sent_at is not None or row.attempts >= max_attempts):
                # Sent, or given up as a dead letter: the secret is no longer needed.
                row.payload = without_secrets(payload)
            session.add(row)
        session.commit()
    return SendReport(sent=sent, failed=failed)


def drain(
    engine: Engine, sender: NoticeSender, *, max_batches: int = 20, base_url: str = ""
) -> SendReport:
    """Send until the outbox is empty (or `max_batches` were sent)."""
    total_sent = total_failed = 0
    for _ in range(max_batches):
        report = send_pending(engine, sender, base_url=base_url)
        total_sent += report.sent
        total_failed += report.failed
        if report.sent + report.failed == 0 or report.sent == 0:
            break
    return SendReport(sent=total_sent, failed=total_failed)
