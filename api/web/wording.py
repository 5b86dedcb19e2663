"""Words for the services' results, in the page's language (estimates, reasons, statuses)."""

from __future__ import annotations

from collections.abc import Callable

from waitlist.domain.queue import WaitEstimate
from waitlist.reasons import number
from waitlist.translations import translations

Gettext = Callable[[str], str]
LONG_WEEKS = 104


def wait_range(_: Gettext, estimate: WaitEstimate | None, lang: str = "en") -> str:
    if estimate is None or not estimate.known:
        return _("No estimate yet")
    low, high = estimate.low_weeks, estimate.high_weeks
    ngettext = translations(lang).ngettext
    assert low is not None
    if high is None:  # a calibrated range with no upper end
        if low > LONG_WEEKS:
            return _("Over two years")
        return ngettext("%(low)s week or more", "%(low)s weeks or more", low) % {
            "low": number(low, lang)
        }
    # Beyond two years a number in weeks says less than the words do.
    if low > LONG_WEEKS:
        return _("Over two years")
    if high > LONG_WEEKS:
        return ngettext(
            "%(low)s week to over two years", "%(low)s weeks to over two years", low
        ) % {"low": number(low, lang)}
    if high == 0:
        return _("Now or within a week")
    if low == high:
        return ngettext("About %(weeks)s week", "About %(weeks)s weeks", high) % {
            "weeks": number(high, lang)
        }
    return ngettext("%(low)s–%(high)s week", "%(low)s–%(high)s weeks", high) % {
        "low": number(low, lang),
        "high": number(high, lang),
    }


def wait_basis(_: Gettext, estimate: WaitEstimate | None, lang: str = "en") -> str:
    if estimate is None:
        return ""
    if estimate.known and estimate.coverage is not None:
        # A calibrated range: say what the range means, in figures a parent can check.
        shown = wait_range(_, estimate, lang)
        return _(
            "Most likely %(range)s; %(count)s in 10 parents in your place waited within this "
            "range (from this queue's waits over the last half year)."
        ) % {
            "range": shown[:1].lower() + shown[1:],
            "count": number(round(estimate.coverage * 10), lang),
        }
    if not estimate.known:
        if estimate.reason and estimate.reason.startswith("There are too few seats"):
            return _(
                "Too few seats are planned to reach your place in the queue, and nobody was "
                "placed from this queue in the last year to judge the pace."
            )
        return _(
            "No group that fits is planned yet and nobody was placed from this queue in the "
            "last year, so there is nothing to base an estimate on."
        )
    parts = []
    if "seats" in estimate.basis:
        parts.append(_("the free seats in groups already planned"))
    if "throughput" in estimate.basis:
        parts.append(_("how many parents this queue placed in the last year"))
    return _("Based on %(what)s.") % {"what": _(" and ").join(parts)}


def application_status(_: Gettext, status: str) -> str:
    names = {
        "waiting": _("In the queue"),
        "offered": _("You have an offer"),
        "enrolled": _("You have a place"),
        "completed": _("Completed"),
        "withdrawn": _("Withdrawn"),
    }
    return names.get(status, status)


def group_status(_: Gettext, status: str) -> str:
    names = {
        "planned": _("Planned"),
        "recruiting": _("Recruiting"),
        "running": _("Running"),
        "completed": _("Completed"),
        "cancelled": _("Cancelled"),
    }
    return names.get(status, status)


SLOTS = ("morning", "day", "evening", "weekend")


def slot_names(_: Gettext) -> dict[str, str]:
    return {
        "morning": _("Mornings"),
        "day": _("Daytime"),
        "evening": _("Evenings"),
        "weekend": _("Weekends"),
    }


def weekday_names(_: Gettext) -> dict[str, str]:
    return {
        "mon": _("Monday"),
        "tue": _("Tuesday"),
        "wed": _("Wednesday"),
        "thu": _("Thursday"),
        "fri": _("Friday"),
        "sat": _("Saturday"),
        "sun": _("Sunday"),
    }


def decline_reasons(_: Gettext) -> list[str]:
    """In the order of status.DECLINE_REASONS: time, language, distance, other."""
    return [
        _("The time does not suit me"),
        _("The language does not suit me"),
        _("It is too far away"),
        _("Another reason"),
    ]
