"""What audit events may say about an entity: state and anonymous facts, no personal data
(no contact, no token, no child birth month)."""

from __future__ import annotations

from typing import Any

from waitlist.storage.tables import Application, Group, Offer


def application_state(app: Application) -> dict[str, Any]:
    return {
        "status": app.status,
        "queue_date": app.queue_date.isoformat(),
        "lottery": app.lottery,
        "group_id": app.group_id,
        "paused": app.paused,
        "expired_in_a_row": app.expired_in_a_row,
        "cross_district": app.cross_district,
        "max_travel_minutes": app.max_travel_minutes,
        "languages": list(app.languages),
        "slots": list(app.slots),
    }


def offer_state(offer: Offer) -> dict[str, Any]:
    return {
        "status": offer.status,
        "application_id": offer.application_id,
        "group_id": offer.group_id,
        "respond_by": offer.respond_by.isoformat(),
        "decline_reason": offer.decline_reason,
        "cross_district": offer.cross_district,
        "travel_minutes": offer.travel_minutes,
        "round_id": offer.round_id,
    }


def group_state(group: Group) -> dict[str, Any]:
    return {
        "status": group.status,
        "programme": group.programme,
        "district": group.district,
        "start": group.start.isoformat(),
        "weekday": group.weekday,
        "slot": group.slot,
        "language": group.language,
        "capacity": group.capacity,
        "min_size": group.min_size,
        "taken": group.taken,
    }
