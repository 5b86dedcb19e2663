"""A reason rendered from its facts (`waitlist.domain.reasons.ReasonFacts`) in one language.

The sentences come from the gettext catalogues (`python -m api.web.messages` extracts them);
numbers, dates, lists and plurals go through Babel for the language, so Swedish reads
"18 veckor", "1 vecka", "9 december 2026". Every sentence states only what the facts hold.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import NamedTuple

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from waitlist.domain.crossing import CrossTest
from waitlist.domain.reasons import Blocked, ReasonFacts, RecommendationFacts, Rule
from waitlist.translations import N_, translations

MISFIT_NAMES = {"age": N_("child's age"), "language": N_("language"), "slot": N_("time of day")}


@lru_cache(maxsize=4096)
def number(value: int | float, lang: str) -> str:
    return format_decimal(value, locale=lang)


@lru_cache(maxsize=4096)
def day(value: date, lang: str) -> str:
    return format_date(value, format="long", locale=lang)


_WAITED, _PLACE = "\x00waited\x00", "\x00place\x00"


def render(facts: ReasonFacts, lang: str) -> str:
    """The reason in `lang` ("sv", "en"): the same facts, and only those, in each language."""
    # A round tells thousands of parents the same sentence but for their weeks and place: the
    # sentence is built once per everything else, and those two are filled in.
    key = (
        lang,
        facts.programme,
        facts.home,
        facts.queue_place is None,
        facts.rule,
        facts.group_start,
        facts.host,
        facts.travel_minutes,
        facts.travel_limit,
        facts.cross_after_weeks,
        facts.cross_test,
        facts.projected_weeks,
        facts.why_not_home,
        facts.home_misfits,
        facts.why_not_away,
        facts.away_misfits,
    )
    frame = _FRAMES.get(key)
    if frame is None:
        frame = _frame(facts, lang)
        if facts.rule is None:  # an offer's frame names its group: rarely the same twice
            if len(_FRAMES) >= _MAX_FRAMES:
                _FRAMES.clear()
            _FRAMES[key] = frame
    text = frame.replace(_WAITED, _waited(facts.weeks_waited, lang))
    if facts.queue_place is not None:
        text = text.replace(_PLACE, number(facts.queue_place, lang))
    return text


_FRAMES: dict[tuple, str] = {}
_MAX_FRAMES = 1 << 16


def _frame(facts: ReasonFacts, lang: str) -> str:
    """The sentence with its weeks and place left as markers."""
    text = _phrases(lang)
    names = {"programme": facts.programme, "district": facts.home, "waited": _WAITED}
    if facts.queue_place is not None:
        head = text.head_place % {**names, "place": _PLACE}
    else:
        head = text.head % names
    start = day(facts.group_start, lang) if facts.group_start else ""
    if facts.rule is Rule.OWN_DISTRICT:
        return text.own % {"head": head, "date": start}
    home = _blocked(facts, lang, at_home=True)
    if facts.rule is Rule.CROSS_DISTRICT:
        projected = facts.cross_test is CrossTest.PROJECTED
        return (text.cross_projected if projected else text.cross) % {
            "head": head,
            "home": home,
            "projected": _weeks(facts.projected_weeks or 0, lang),
            "after": _weeks(facts.cross_after_weeks or 0, lang),
            "host": facts.host,
            "minutes": _minutes(facts.travel_minutes or 0, lang),
            "limit": _minutes(facts.travel_limit or 0, lang),
            "date": start,
        }
    away = _blocked(facts, lang, at_home=False)
    return text.unplaced % {"head": head, "home": home, "away": away}


class _Phrases(NamedTuple):
    head_place: str
    head: str
    own: str
    cross: str
    cross_projected: str
    unplaced: str


@lru_cache(maxsize=8)
def _phrases(lang: str) -> _Phrases:
    """The sentence frames in `lang`, looked up once (a round renders thousands of reasons)."""
    _ = translations(lang).gettext
    return _Phrases(
        head_place=_("%(waited)s, place %(place)s in the %(programme)s queue in %(district)s"),
        head=_("%(waited)s in the %(programme)s queue in %(district)s"),
        own=_("%(head)s; a seat in your own district, group starts %(date)s."),
        cross=_(
            "%(head)s; %(home)s; seats elsewhere are offered after %(after)s; %(host)s is "
            "%(minutes)s away (your limit %(limit)s), group starts %(date)s."
        ),
        cross_projected=_(
            "%(head)s; %(home)s; your projected wait for a seat at home is %(projected)s, and "
            "seats elsewhere are offered when it is over %(after)s; %(host)s is %(minutes)s "
            "away (your limit %(limit)s), group starts %(date)s."
        ),
        unplaced=_("%(head)s. No offer this round: %(home)s; %(away)s."),
    )


@lru_cache(maxsize=4096)
def _waited(n: int, lang: str) -> str:
    ngettext = translations(lang).ngettext
    return ngettext("Waited %(num)s week", "Waited %(num)s weeks", n) % {"num": number(n, lang)}


@lru_cache(maxsize=4096)
def _weeks(n: int, lang: str) -> str:
    return translations(lang).ngettext("%(num)s week", "%(num)s weeks", n) % {
        "num": number(n, lang)
    }


@lru_cache(maxsize=4096)
def _minutes(n: int, lang: str) -> str:
    return translations(lang).ngettext("%(num)s min", "%(num)s min", n) % {"num": number(n, lang)}


@lru_cache(maxsize=256)
def _misfits(kinds: tuple[str, ...], lang: str) -> str:
    _ = translations(lang).gettext
    return format_list([_(MISFIT_NAMES[k]) for k in kinds], locale=lang) if kinds else ""


def _blocked(facts: ReasonFacts, lang: str, *, at_home: bool) -> str:
    """Why no seat came from home (at_home) or from the districts within reach."""
    if at_home:
        return _blocked_text(
            facts.why_not_home, facts.home_misfits, facts.programme, facts.home, None, None, lang
        )
    return _blocked_text(
        facts.why_not_away,
        facts.away_misfits,
        facts.programme,
        None,
        facts.travel_limit,
        facts.cross_after_weeks,
        lang,
    )


@lru_cache(maxsize=1 << 14)
def _blocked_text(
    why: Blocked | None,
    kinds: tuple[str, ...],
    programme: str,
    home: str | None,
    limit: int | None,
    after: int | None,
    lang: str,
) -> str:
    """Memoised: a round tells thousands of parents the same few things."""
    _ = translations(lang).gettext
    misfits = _misfits(kinds, lang)
    where = (
        _("in %(district)s") % {"district": home}
        if home is not None
        else _("within %(minutes)s") % {"minutes": _minutes(limit or 0, lang)}
    )
    values = {"programme": programme, "where": where, "misfits": misfits}
    if why is Blocked.NO_GROUP:
        return _("no %(programme)s group with a free seat %(where)s") % values
    if why is Blocked.NO_FIT:
        if misfits:
            text = _("the %(programme)s groups with free seats %(where)s do not fit (%(misfits)s)")
            return text % values
        return _("the %(programme)s groups with free seats %(where)s do not fit") % values
    if why is Blocked.EARLIER:
        text = _("the %(programme)s seats %(where)s that fit went to parents who queued earlier")
        return text % values
    if why is Blocked.RESIDENTS_OR_EARLIER:
        text = _(
            "the %(programme)s seats %(where)s that fit went to the host district's own "
            "residents or to parents who queued earlier"
        )
        return text % values
    if why is Blocked.NOT_ASKED:
        return _("you have not asked for seats in other districts")
    if why is Blocked.TOO_SOON:
        return _("seats in other districts are offered after %(after)s of waiting") % {
            "after": _weeks(after or 0, lang)
        }
    return _("no seat that fits was free")


WEEKDAYS = {
    "mon": N_("Mondays"),
    "tue": N_("Tuesdays"),
    "wed": N_("Wednesdays"),
    "thu": N_("Thursdays"),
    "fri": N_("Fridays"),
    "sat": N_("Saturdays"),
    "sun": N_("Sundays"),
}
SLOTS = {
    "morning": N_("mornings"),
    "day": N_("daytime"),
    "evening": N_("evenings"),
    "weekend": N_("at the weekend"),
}


@lru_cache(maxsize=4096)
def decimal(value: float, lang: str, places: int = 1) -> str:
    """A figure with a fixed number of decimals in the language's notation (24,0 / 24.0)."""
    return format_decimal(value, format="#,##0." + "0" * places, locale=lang)


def language_name(code: str, lang: str) -> str:
    """A language's name in `lang` ("arabiska", "Arabic"), by Babel's locale data."""
    try:
        return Locale.parse(lang).languages.get(code, code)
    except (ValueError, UnknownLocaleError):
        return code


def render_recommendation(
    facts: RecommendationFacts, lang: str, notes: tuple[str, ...] = ()
) -> str:
    """A group-start recommendation's reason in `lang`; `notes` (already in `lang`) say why
    close alternatives were not chosen."""
    t = translations(lang)
    _, ngettext = t.gettext, t.ngettext
    districts = ", ".join(f"{name} {number(n, lang)}" for name, n in facts.served)
    leader = (
        _("led by %(name)s") % {"name": facts.leader}
        if facts.leader
        else _("with a certified leader")
    )
    n = facts.parents
    text = _(
        "Start %(programme)s in %(language)s in %(district)s, %(weekday)s %(slot)s, from "
        "%(date)s, %(leader)s: %(serves)s."
    ) % {
        "programme": facts.programme,
        "language": language_name(facts.language, lang),
        "district": facts.host,
        "weekday": _(WEEKDAYS.get(facts.weekday, facts.weekday)),
        "slot": _(SLOTS.get(facts.slot, facts.slot)),
        "date": day(facts.start, lang),
        "leader": leader,
        "serves": ngettext(
            "serves %(num)s waiting parent (%(districts)s) who has waited %(weeks)s",
            "serves %(num)s waiting parents (%(districts)s) who have waited %(weeks)s on median",
            n,
        )
        % {
            "num": number(n, lang),
            "districts": districts,
            "weeks": _weeks(facts.median_waited_weeks, lang),
        },
    }
    text += " " + _(
        "Median wait for %(programme)s in these districts %(before)s → %(after)s weeks, P90 "
        "%(p90_before)s → %(p90_after)s; city-wide max/min ratio of district median waits "
        "%(ratio_before)s → %(ratio_after)s."
    ) % {
        "programme": facts.programme,
        "before": decimal(facts.median_before, lang),
        "after": decimal(facts.median_after, lang),
        "p90_before": decimal(facts.p90_before, lang),
        "p90_after": decimal(facts.p90_after, lang),
        "ratio_before": decimal(facts.ratio_before, lang, 2),
        "ratio_after": decimal(facts.ratio_after, lang, 2),
    }
    if notes:
        text += " " + _("Not chosen: %(notes)s.") % {"notes": "; ".join(notes)}
    return text
