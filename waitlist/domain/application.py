"""Application lifecycle: waiting -> offered -> enrolled -> completed, or withdrawn.

The queue date is set once, when the parent applies, and never changes afterwards: not by a
declined offer (rule 6), not by an expired offer, not by a cancelled group (rule 7).

Repeated expiry (rule 6): an application whose offers expire unanswered
`max_expired_offers` times in a row is *paused*: it keeps its status, queue date and lottery
number but placement rounds skip it until the parent confirms they still want a place (any
answer to an offer, or an explicit resume, resets the count). See docs/rules.md.
"""

from __future__ import annotations

from enum import StrEnum

from waitlist.domain.errors import IllegalTransition


class ApplicationStatus(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"


_ALLOWED: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.WAITING: frozenset({ApplicationStatus.OFFERED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.OFFERED: frozenset(
        {ApplicationStatus.WAITING, ApplicationStatus.ENROLLED, ApplicationStatus.WITHDRAWN}
    ),
    # An enrolled parent returns to waiting when their group is cancelled.
    ApplicationStatus.ENROLLED: frozenset(
        {ApplicationStatus.WAITING, ApplicationStatus.COMPLETED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.COMPLETED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

ACTIVE_STATUSES = frozenset(
    {ApplicationStatus.WAITING, ApplicationStatus.OFFERED, ApplicationStatus.ENROLLED}
)
"""Applications still in the system (not completed or withdrawn)."""

_NAMES = {
    ApplicationStatus.WAITING: "waiting",
    ApplicationStatus.OFFERED: "has an offer",
    ApplicationStatus.ENROLLED: "enrolled",
    ApplicationStatus.COMPLETED: "completed",
    ApplicationStatus.WITHDRAWN: "withdrawn",
}


def check_application_transition(current: str, target: str) -> None:
    """Raise IllegalTransition unless an application may move from `current` to `target`."""
    now, then = ApplicationStatus(current), ApplicationStatus(target)
    if then not in _ALLOWED[now]:
        raise IllegalTransition(
            f"An application that is {_NAMES[now]} cannot become {then.value}.", field="status"
        )


def is_paused(expired_in_a_row: int, max_expired_offers: int) -> bool:
    """Repeated-expiry policy: paused after `max_expired_offers` unanswered offers in a row.

    A limit of 0 or less switches the policy off (never paused).
    """
    return max_expired_offers > 0 and expired_in_a_row >= max_expired_offers
