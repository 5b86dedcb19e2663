"""The group pages' words for what the rules refuse: a limit named with its number, a start
in the past, a weekday that is not the first meeting's, and why a group cannot start yet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from api.web import wording
from waitlist.domain.errors import DomainError
from waitlist.domain.group import StartRefusal, weekday_of
from waitlist.storage.tables import GroupPublic

Gettext = Callable[[str], str]


def start_refusal(_: Gettext, group: GroupPublic) -> str:
    """Why the group cannot start now, in words (empty when it can)."""
    reasons = {
        StartRefusal.NOT_RECRUITING: _("It can start once it is open for recruiting."),
        StartRefusal.NOT_OPEN: _("It has already started or is over."),
        # Worded so that every count reads right, 1 as well as 2 (no plural forms needed).
        StartRefusal.TOO_FEW: _(
            "Accepted a place so far: %(enrolled)d. At least %(min)d are needed to start."
        ),
    }
    if not group.start_refused:
        return ""
    text = reasons.get(StartRefusal(group.start_refused), "")
    return text % {"min": group.min_size, "enrolled": group.enrolled}


def create_messages(
    _: Gettext, exc: DomainError, start: str, programme: str
) -> dict[tuple[str, str], str]:
    """The group form's message for a refusal of the create use case, by (field, code)."""
    limits = exc.limits
    try:
        day = wording.weekday_names(_).get(weekday_of(date.fromisoformat(start)), "")
    except ValueError:
        day = ""
    if "days" in limits:
        when = _("The first meeting can be at most two years from today.")
    else:
        when = _("The first meeting cannot be in the past: choose today or a later date.")
    if "max" in limits:
        seats = _("A %(programme)s group has at most %(max)d places.") % {
            "programme": programme,
            "max": limits["max"],
        }
    else:
        seats = _("A group needs at least one place.")
    return {
        ("min_size", "*"): _("The minimum to start can be at most %(max)d, the number of places.")
        % {"max": limits.get("max", 0)},
        ("capacity", "*"): seats,
        ("start", "*"): when,
        ("weekday", "*"): _(
            "The first meeting, %(date)s, is a %(day)s. Choose %(day)s or leave the weekday empty."
        )
        % {"date": start, "day": day},
        ("language", "*"): _("The programme is not run in that language."),
        ("programme", "*"): _("Choose a programme from the list."),
        ("time_start", "*"): _("Write the time as hours and minutes, like 18:00."),
        ("time_end", "*"): _("Write an end time after the start time, like 20:00."),
        ("venue_id", "conflict"): _(
            "The venue already hosts a group on that weekday and time of day then."
        ),
        ("venue_id", "*"): _("Choose one of your district's venues in use."),
    }
