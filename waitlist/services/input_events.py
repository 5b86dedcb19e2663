"""The newest audit event that may change what the planners read (applications, offers,
groups, leaders, venues, the reference data): what a kept recommendation or term plan is
marked with, so that it goes stale on such a change and only then."""

from __future__ import annotations

from sqlmodel import col, select

from waitlist.storage.record_tables import Event
from waitlist.storage.uow import UnitOfWork

# Audit events about things the planners never read: a log-in, a staff account, a notice
# sent again, a round previewed or edited (a committed round's offers have their own
# events). Any other event may be a change to their input.
UNRELATED_EVENTS = ("staff", "notice", "placement_round")


def latest_input_event(uow: UnitOfWork) -> int:
    """The id of the newest event that may be about the planners' input (0: none yet)."""
    last = uow.session.exec(  # from the newest back: a few rows read, not the whole table
        select(Event.id)
        .where(col(Event.entity).not_in(UNRELATED_EVENTS))
        .order_by(col(Event.id).desc())
        .limit(1)
    ).first()
    return last or 0
