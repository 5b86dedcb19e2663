"""Notices given up (dead letters), for the coordinators of the parents' district.

    dead_letters(uow, actor)              -> the district's dead letters, newest first
    retry_dead_letter(uow, actor, id)     -> queue one again (after a setting was fixed)

A dead letter names the application, the kind of notice, how many attempts were made and
why it failed (the provider's code, never the contact). Only a coordinator of the parent's
home district sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from waitlist.domain.errors import Forbidden, NotFound
from waitlist.services.access import Actor
from waitlist.services.retry import retrying
from waitlist.storage.application_tables import Application
from waitlist.storage.record_tables import Outbox
from waitlist.storage.uow import UnitOfWork

LIMIT = 200


@dataclass(frozen=True)
class DeadLetter:
    outbox_id: int
    kind: str
    application_id: int
    channel: str | None
    attempts: int
    reason: str
    created_at: datetime
    dead_at: datetime


def _district(actor: Actor) -> str:
    if not actor.is_coordinator or actor.district is None:
        raise Forbidden("Only district coordinators see undelivered notices.", field="actor")
    return actor.district


def _application_id(row: Outbox) -> int | None:
    kind, _, ident = row.recipient.partition(":")
    return int(ident) if kind == "application" and ident.isdigit() else None


def dead_letters(uow: UnitOfWork, actor: Actor, *, limit: int = LIMIT) -> list[DeadLetter]:
    """The coordinator's district's dead letters, newest first (at most `limit`)."""
    district = _district(actor)
    with uow:
        rows = uow.session.exec(
            select(Outbox)
            .where(col(Outbox.dead_at).is_not(None), col(Outbox.sent_at).is_(None))
            .order_by(col(Outbox.dead_at).desc(), col(Outbox.id).desc())
        ).all()
        ids = {i for i in (_application_id(r) for r in rows) if i is not None}
        own = set(
            uow.session.exec(
                select(Application.id).where(
                    col(Application.id).in_(ids), Application.district == district
                )
            ).all()
        )
        found = []
        for row in rows:
            app_id = _application_id(row)
            if app_id is not None and app_id in own and row.id and row.dead_at is not None:
                found.append(
                    DeadLetter(
                        outbox_id=row.id,
                        kind=row.kind,
                        application_id=app_id,
                        channel=row.channel,
                        attempts=row.attempts,
                        reason=row.last_error or "",
                        created_at=row.created_at,
                        dead_at=row.dead_at,
                    )
                )
                if len(found) >= limit:
                    break
        return found


@retrying
def retry_dead_letter(uow: UnitOfWork, actor: Actor, outbox_id: int) -> None:
    """Queue a dead letter of the coordinator's district again, with a fresh count."""
    district = _district(actor)
    with uow:
        row = uow.session.get(Outbox, outbox_id)
        app_id = _application_id(row) if row is not None else None
        app = uow.session.get(Application, app_id) if app_id is not None else None
        if row is None or row.dead_at is None or app is None or app.district != district:
            raise NotFound(f"There is no undelivered notice {outbox_id}.", field="notice")
        row.dead_at = None
        row.next_attempt_at = None
        row.attempts = 0
        uow.session.add(row)
        uow.record("notice", row.id, "notice_retried", district=district)
        uow.commit()
