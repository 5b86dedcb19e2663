"""What "erase my data" removes beyond the application's own fields.

- stored idempotent answers about the application: an apply's answer holds the child's birth
  month (and, sealed, the status token). The answer is dropped but the key stays known
  (`expired`), so a late retry of the same apply is refused instead of applying again;
- free text staff wrote about the parent: the reason of a direct offer (on the offer and in
  its audit event). A round's reasons are generated from anonymous facts and stay.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from waitlist.storage.idempotency import IdempotencyRecord
from waitlist.storage.tables import Event, Offer

ERASED_NOTE = "(erased)"


def forget_answers_and_notes(session: Session, application_id: int) -> None:
    session.execute(
        update(IdempotencyRecord)
        .where(col(IdempotencyRecord.application_id) == application_id)
        .values(state="expired", response=None, status_code=None)
        .execution_options(synchronize_session=False)
    )
    direct = session.exec(
        select(Offer).where(Offer.application_id == application_id, col(Offer.round_id).is_(None))
    ).all()
    for offer in direct:
        if offer.reason:
            offer.reason = ERASED_NOTE
            session.add(offer)
    ids = [str(o.id) for o in direct]
    if not ids:
        return
    events = session.exec(
        select(Event).where(Event.entity == "offer", col(Event.entity_id).in_(ids))
    ).all()
    for event in events:
        for side in ("before", "after"):
            state = getattr(event, side)
            if state and state.get("reason"):
                setattr(event, side, state | {"reason": ERASED_NOTE})
        session.add(event)
