"""What audit events may say about an entity: state and anonymous facts, no personal data
(no contact, no token, no child birth month).

Each takes anything with the entity's columns: a stored row, or the demo seeder's row in
memory (waitlist.demo), so both write the same events."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol


class ApplicationFacts(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def queue_date(self) -> date: ...
    @property
    def lottery(self) -> int: ...
    @property
    def group_id(self) -> int | None: ...
    @property
    def paused(self) -> bool: ...
    @property
    def expired_in_a_row(self) -> int: ...
    @property
    def cross_district(self) -> bool: ...
    @property
    def max_travel_minutes(self) -> int: ...
    @property
    def languages(self) -> list[str]: ...
    @property
    def slots(self) -> list[str]: ...


class OfferFacts(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def application_id(self) -> int: ...
    @property
    def group_id(self) -> int: ...
    @property
    def respond_by(self) -> date: ...
    @property
    def decline_reason(self) -> str | None: ...
    @property
    def cross_district(self) -> bool: ...
    @property
    def travel_minutes(self) -> int: ...
    @property
    def round_id(self) -> int | None: ...


class GroupFacts(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def programme(self) -> str: ...
    @property
    def district(self) -> str: ...
    @property
    def start(self) -> date: ...
    @property
    def weekday(self) -> str: ...
    @property
    def slot(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def capacity(self) -> int: ...
    @property
    def min_size(self) -> int: ...
    @property
    def taken(self) -> int: ...


def application_state(app: ApplicationFacts) -> dict[str, Any]:
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


def offer_state(offer: OfferFacts) -> dict[str, Any]:
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


def group_state(group: GroupFacts) -> dict[str, Any]:
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
