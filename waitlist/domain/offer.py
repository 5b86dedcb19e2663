"""Offer lifecycle: pending -> accepted | declined | expired | revoked.

A pending offer holds its seat in the group. Only one offer per application may be pending
at a time. Declining never changes the application's queue date (rule 6).
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from waitlist.domain.errors import IllegalTransition, InvalidInput
from waitlist.domain.values import DeclineReason


class OfferStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    REVOKED = "revoked"


FINAL_STATUSES = frozenset(
    {OfferStatus.ACCEPTED, OfferStatus.DECLINED, OfferStatus.EXPIRED, OfferStatus.REVOKED}
)

_MESSAGES = {
    OfferStatus.ACCEPTED: "was already accepted",
    OfferStatus.DECLINED: "was declined",
    OfferStatus.EXPIRED: "has expired (the answer deadline passed)",
    OfferStatus.REVOKED: "was withdrawn by the district",
}


def check_offer_transition(current: str, target: str) -> None:
    """Only a pending offer can be answered, expire or be revoked."""
    now, then = OfferStatus(current), OfferStatus(target)
    if then is OfferStatus.PENDING:
        raise IllegalTransition("An offer cannot be made pending again.", field="status")
    if now is not OfferStatus.PENDING:
        raise IllegalTransition(f"This offer {_MESSAGES[now]}.", field="status")


def respond_by(made_on: date, response_days: int) -> date:
    """The last day a parent can answer an offer made on `made_on`."""
    if response_days < 1:
        raise InvalidInput(
            f"offer_response_days must be at least 1, got {response_days}",
            field="offer_response_days",
        )
    return made_on + timedelta(days=response_days)


def answer_deadline(
    made_on: date, response_days: int, first_meeting: date, min_response_days: int
) -> date | None:
    """Rule 10, never too late: the respond-by date of an offer made on `made_on` in a group
    whose first meeting is `first_meeting`, or None when the group takes no offer that day.

    The usual deadline (made on + response days) is shortened to the day before the first
    meeting when it would fall on or after it, as long as that still leaves the parent at
    least `min_response_days` days to answer; otherwise no offer can be made in time.
    """
    if min_response_days < 1:
        raise InvalidInput(
            f"min_response_days must be at least 1, got {min_response_days}",
            field="min_response_days",
        )
    usual = respond_by(made_on, response_days)
    latest = first_meeting - timedelta(days=1)
    if usual <= latest:
        return usual
    if (latest - made_on).days >= min_response_days:
        return latest
    return None


def is_overdue(deadline: date, today: date) -> bool:
    """An offer expires the day after its respond-by date."""
    return today > deadline


def parse_decline_reason(value: str | None) -> DeclineReason | None:
    if value is None or value == "":
        return None
    try:
        return DeclineReason(value)
    except ValueError:
        allowed = ", ".join(r.value for r in DeclineReason)
        raise InvalidInput(
            f"reason must be one of {allowed}, got {value!r}", field="reason"
        ) from None
