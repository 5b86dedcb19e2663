"""Sending notices from the outbox: retried, never lost, never sent twice.

Use cases write an `outbox` row in the same transaction as the change it announces
(`uow.notify`), so a notice exists exactly when its change does. `send_pending` then delivers:

- rows are claimed in one short transaction (`SELECT ... FOR UPDATE SKIP LOCKED` on
  PostgreSQL, so several workers take disjoint rows; `BEGIN IMMEDIATE` on SQLite): the claim
  counts the attempt and holds the row for `LEASE`, so the attempt is recorded *before* the
  send and no transaction stays open while a mail server answers;
- each row is then handed to the one `NoticeSender` and marked `sent_at` in the transaction
  the sender writes its own records in (the demo's view); if the process dies between the
  send and that commit, the lease runs out and the row is sent again later with the same
  outbox id, which every sender passes on as its message id (the e-mail's Message-ID, the
  SMS gateway's idempotency key, the demo view's unique `outbox_id`) so it is dropped as a
  duplicate;
- a failed send records the error (its type and code, never the text, which may hold a
  contact) and when to try again: the delay doubles from a minute up to an hour
  (`waitlist.domain.delivery.Retry`); after the last attempt, or at once when the failure is
  permanent, the row is given up (`dead_at`, a dead letter shown on the district's
  coordinator page). A contact the provider refuses for good (a bounce, a rejected number) is
  marked on the application, and the parent's status page asks them to check it.

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

import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Engine, or_
from sqlmodel import Session, col, select

from waitlist.domain.delivery import Retry, channel_for
from waitlist.services import calendar_file  # noqa: F401  (attaches an offer's meetings)
from waitlist.services.notice_texts import ATTACHMENTS, Composed, compose
from waitlist.storage.application_tables import Application
from waitlist.storage.notices import SentNotice
from waitlist.storage.record_tables import Outbox

RETRY = Retry()
MAX_ATTEMPTS = RETRY.max_attempts
BATCH = 50
# How long a claimed row is held by the worker sending it: longer than a batch of sends can
# take (50 sends, each with its own connection time-out of 20 s, is under 17 minutes).
LEASE = timedelta(minutes=30)

_TEMPLATES = {
    "offer_made": "You have been offered a seat. Please answer by {respond_by}.",
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
    language: str = "sv"
    # The notice as a mail or a text, in `language`, with the link (None only when built
    # by hand, as some tests do).
    content: Composed | None = field(default=None, compare=False)


class DeliveryFailed(Exception):
    """A send that did not go through. `permanent`: trying again will not help (given up at
    once); `contact_refused`: the provider refused the contact itself (bounced address,
    rejected number), shown to the parent. `reason` names the failure without the contact."""

    def __init__(self, reason: str, *, permanent: bool = False, contact_refused: bool = False):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent or contact_refused
        self.contact_refused = contact_refused


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


def delivered_before(session: Session, moment: datetime) -> int:
    """Record every notice written before `moment` and not sent as delivered when it was
    written, without its secrets (a demo city's past: its year of notices are history, not
    work for the sender when the server starts). How many rows it marked."""
    rows = session.exec(
        select(Outbox).where(col(Outbox.sent_at).is_(None), col(Outbox.created_at) < moment)
    ).all()
    for row in rows:
        row.sent_at = row.created_at
        row.payload = without_secrets(row.payload or {})
        session.add(row)
    return len(rows)


def _application(session: Session, recipient: str) -> Application | None:
    kind, _, ident = recipient.partition(":")
    if kind != "application" or not ident.isdigit():
        return None
    app = session.get(Application, int(ident))
    return app if app is not None and app.erased_at is None else None


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int

    def __bool__(self) -> bool:
        return bool(self.sent or self.failed)


def _notice(session: Session, row: Outbox, base_url: str) -> Notice:
    assert row.id is not None
    payload = row.payload or {}
    secret = bool(SECRET_KEYS & set(payload))
    app = _application(session, row.recipient)
    language = app.notice_language if app is not None else "sv"
    token = payload.get("token")
    maker = ATTACHMENTS.get(row.kind)
    files = tuple(maker(session, without_secrets(payload), language)) if maker else ()
    content = compose(
        row.kind,
        payload,
        language,
        link=status_link(base_url, token) if token else None,
        site=base_url,
        attachments=files,
    )
    return Notice(
        outbox_id=row.id,
        kind=row.kind,
        recipient=row.recipient,
        contact=app.contact if app is not None else None,
        message=render(row.kind, payload, base_url),
        kept=render(row.kind, without_secrets(payload)) if secret else "",
        language=language,
        content=content,
    )


def _claim(engine: Engine, batch: int, retry: Retry, base_url: str, now: datetime) -> list[Notice]:
    """Take up to `batch` due rows, count an attempt on each and hold them for `LEASE`, then
    compose them. The claim is one short write; composing (texts, calendar files: the slow
    part) comes after it, so the database's write lock (SQLite has one, which every page that
    counts a visit needs) is not held meanwhile."""
    with Session(engine, expire_on_commit=False) as session:
        query = (
            select(Outbox)
            .where(
                col(Outbox.sent_at).is_(None),
                col(Outbox.dead_at).is_(None),
                Outbox.attempts < retry.max_attempts,
                or_(col(Outbox.next_attempt_at).is_(None), col(Outbox.next_attempt_at) <= now),
                or_(col(Outbox.claimed_until).is_(None), col(Outbox.claimed_until) < now),
            )
            .order_by(col(Outbox.id))
            .limit(batch)
        )
        if engine.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list(session.exec(query).all())
        for row in rows:
            row.attempts += 1
            row.claimed_until = now + LEASE
            session.add(row)
        session.commit()
        notices, broken = [], []
        for row in rows:
            try:  # composing runs the attachment makers: one failing holds up no other row
                notices.append(_notice(session, row, base_url))
            except Exception as exc:
                session.rollback()  # whatever the failure left behind
                broken.append((row, exc))
        for notice in notices:
            row = session.get_one(Outbox, notice.outbox_id)
            channel = channel_for(notice.contact)
            row.channel = str(channel) if channel else None
            session.add(row)
        for row, error in broken:
            row.last_error = f"compose {type(error).__name__}"
            row.next_attempt_at = retry.next_attempt(row.attempts, now)
            row.dead_at = now if row.next_attempt_at is None else None
            row.claimed_until = None
            session.add(row)
        session.commit()
    return notices


def _sent(engine: Engine, sender: NoticeSender, notice: Notice, now: datetime) -> bool:
    """Send, and mark the row sent in the transaction the sender wrote in. False when another
    worker had marked it sent already (its lease ran out while this one was sending)."""
    with Session(engine) as session:
        sender.send(notice, session)
        row = session.get(Outbox, notice.outbox_id)
        if row is None or row.sent_at is not None:
            session.rollback()
            return False
        row.sent_at = now
        row.claimed_until = None
        row.last_error = None
        row.payload = without_secrets(row.payload or {})  # sent: the secret is not needed
        session.add(row)
        session.commit()
    return True


def _failed(engine: Engine, notice: Notice, exc: Exception, retry: Retry, now: datetime) -> None:
    """Record a failed send: when to try again, or a dead letter; a refused contact."""
    failure = exc if isinstance(exc, DeliveryFailed) else None
    with Session(engine) as session:
        row = session.get(Outbox, notice.outbox_id)
        if row is None or row.sent_at is not None:
            return
        # The error's type (and the provider's reason), never its text: it may hold a contact.
        row.last_error = (failure.reason if failure else type(exc).__name__)[:500]
        row.claimed_until = None
        retry_at = None if failure and failure.permanent else retry.next_attempt(row.attempts, now)
        row.next_attempt_at = retry_at
        if retry_at is None:  # given up: a dead letter, and its secret is no longer needed
            row.dead_at = now
            row.payload = without_secrets(row.payload or {})
        session.add(row)
        app = _application(session, row.recipient)
        if failure and failure.contact_refused and app and app.contact == notice.contact:
            app.contact_unreachable_at = now
            session.add(app)
        session.commit()


def send_pending(
    engine: Engine,
    sender: NoticeSender,
    *,
    batch: int = BATCH,
    retry: Retry = RETRY,
    base_url: str = "",
    now: datetime | None = None,
) -> SendReport:
    """Deliver up to `batch` due notices, oldest first. `base_url` is the address parents
    reach the site at, for the links in notices; `now` is the job's clock (tests move it)."""
    now = now or datetime.now(UTC)
    sent = failed = 0
    for notice in _claim(engine, batch, retry, base_url, now):
        try:
            if _sent(engine, sender, notice, now):
                sent += 1
        except Exception as exc:  # a sender failure is retried on a later run
            _failed(engine, notice, exc, retry, now)
            failed += 1
    return SendReport(sent=sent, failed=failed)


def drain(
    engine: Engine,
    sender: NoticeSender,
    *,
    max_batches: int = 20,
    base_url: str = "",
    retry: Retry = RETRY,
    now: datetime | None = None,
    rest: float = 0.0,
    stop: threading.Event | None = None,
    batch: int = BATCH,
) -> SendReport:
    """Send until no due notice is left (or `max_batches` were sent). A failed notice waits
    for its next attempt time, so it is not tried twice in one drain.

    `rest`: after each batch, pause `rest` times as long as the batch took. A web worker drains
    in a thread beside its requests; pausing leaves them the interpreter, so a backlog (a
    round's offers, a restart) is sent over a longer time instead of slowing every page.
    `stop`: once set (the server stops), no further batch is started."""
    total_sent = total_failed = 0
    for _ in range(max_batches):
        started = time.perf_counter()
        report = send_pending(engine, sender, batch=batch, base_url=base_url, retry=retry, now=now)
        total_sent += report.sent
        total_failed += report.failed
        if report.sent + report.failed == 0:
            break
        if stop is not None and stop.wait(rest * (time.perf_counter() - started)):
            break
    return SendReport(sent=total_sent, failed=total_failed)
