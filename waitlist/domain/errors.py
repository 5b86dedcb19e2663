"""Domain errors: every message is one a coordinator or parent can read as it is."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the waitlist was broken. `field` names the input at fault, if any."""

    code = "domain_error"

    def __init__(
        self, message: str, *, field: str | None = None, limits: dict[str, int] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # The numbers the message names (a limit, a count), for wording it in another language.
        self.limits = limits or {}


class IllegalTransition(DomainError):
    code = "illegal_transition"


class NotEligible(DomainError):
    code = "not_eligible"


class NoSeatLeft(DomainError):
    code = "no_seat_left"


class NotFound(DomainError):
    code = "not_found"


class InvalidInput(DomainError):
    code = "invalid_input"


class StalePreview(DomainError):
    code = "stale_preview"


class Forbidden(DomainError):
    code = "forbidden"


class Conflict(DomainError):
    code = "conflict"
