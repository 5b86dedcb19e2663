"""The "group starts soon" notice: once to every parent enrolled in a group, a few days
(`Rules.start_notice_days`) before its first meeting. Run by the periodic job with the
deadline reminders (waitlist.services.expiry); safe to run every day, or twice."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.group import GroupStatus
from waitlist.services.retry import retrying
from waitlist.storage.tables import Application, Group, Outbox
from waitlist.storage.uow import UnitOfWork

KIND = "group_starting"


def _start_notices(uow: UnitOfWork) -> int:
    today = uow.today()
    soon = today + timedelta(days=uow.rules.start_notice_days)
    starting = uow.session.exec(
        select(Group).where(
            col(Group.status).in_([GroupStatus.RECRUITING, GroupStatus.RUNNING]),
            Group.start >= today,
            Group.start <= soon,
        )
    ).all()
    queued = 0
    for group in starting:
        members = uow.session.exec(
            select(Application.id).where(
                Application.group_id == group.id, Application.status == S.ENROLLED
            )
        ).all()
        recipients = [f"application:{app_id}" for app_id in members]
        told = {
            row.recipient
            for row in uow.session.exec(
                select(Outbox).where(Outbox.kind == KIND, col(Outbox.recipient).in_(recipients))
            ).all()
            if (row.payload or {}).get("group_id") == group.id
        }
        payload = {"group_id": group.id, "start": group.start.isoformat()}
        for recipient in recipients:
            if recipient not in told:
                uow.notify(KIND, recipient, dict(payload))
                queued += 1
    return queued


@retrying
def send_start_notices(uow: UnitOfWork) -> int:
    """Queue one "group starts soon" notice per enrolled parent of a group starting soon."""
    with uow:
        count = _start_notices(uow)
        uow.commit()
        return count
