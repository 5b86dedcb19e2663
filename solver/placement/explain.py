"""Every offer and every unplaced application explains itself (rule 8).

The reason is a record of facts (`ReasonFacts`: weeks waited, queue place, the rule applied,
travel minutes, why the own district had no seat), rendered in English and Swedish from those
same facts by `waitlist.reasons`; the facts travel with the result so a page can render them
in its own language.
"""

from __future__ import annotations

from typing import Any

from solver.placement.model import PlacementData, Reach
from waitlist.domain.crossing import CrossTest, projected_weeks
from waitlist.domain.reasons import Blocked, ReasonFacts, Rule


def offer_facts(data: PlacementData, a: int, g: int, minutes: int, away: bool) -> ReasonFacts:
    app, group = data.apps[a], data.groups[g]
    common = _common(data, a)
    if not away:
        return ReasonFacts(**common, rule=Rule.OWN_DISTRICT, group_start=group.start)
    home, misfits = _blocked(data.home[a], at_home=True, strict=data.strict)
    test = data.crossed_by.get(a, CrossTest.WAITED)
    projected = data.projected[a] if data.projected is not None else None
    return ReasonFacts(
        **common,
        rule=Rule.CROSS_DISTRICT,
        cross_test=test,
        projected_weeks=(
            projected_weeks(projected)
            if test is CrossTest.PROJECTED and projected is not None
            else None
        ),
        group_start=group.start,
        host=data.district_names[group.district],
        travel_minutes=minutes,
        travel_limit=app.max_travel_minutes,
        cross_after_weeks=data.scenario.policy.cross_district_after_weeks,
        why_not_home=home,
        home_misfits=misfits,
    )


def unplaced_facts(data: PlacementData, a: int) -> ReasonFacts:
    app = data.apps[a]
    home, home_misfits = _blocked(data.home[a], at_home=True, strict=data.strict)
    reach = data.away.get(a)
    away_misfits: tuple[str, ...] = ()
    if not app.cross_district:
        away = Blocked.NOT_ASKED
    elif reach is None:
        away = Blocked.TOO_SOON
    else:
        away, away_misfits = _blocked(reach, at_home=False, strict=data.strict)
    return ReasonFacts(
        **_common(data, a),
        travel_limit=app.max_travel_minutes,
        cross_after_weeks=data.scenario.policy.cross_district_after_weeks,
        why_not_home=home,
        home_misfits=home_misfits,
        why_not_away=away,
        away_misfits=away_misfits,
    )


def _common(data: PlacementData, a: int) -> dict[str, Any]:
    app = data.apps[a]
    return {
        "programme": data.programmes[app.programme].name,
        "home": data.district_names[app.district],
        "weeks_waited": max(0, data.waited_days[a] // 7),
        "queue_place": data.positions[a] if data.positions else None,
    }


def _blocked(reach: Reach, *, at_home: bool, strict: bool) -> tuple[Blocked, tuple[str, ...]]:
    if reach.groups == 0:
        return Blocked.NO_GROUP, ()
    if reach.fits == 0:
        return Blocked.NO_FIT, reach.misfits
    if strict and not at_home:
        return Blocked.RESIDENTS_OR_EARLIER, ()
    return Blocked.EARLIER, ()
