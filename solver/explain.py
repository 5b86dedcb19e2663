"""Every offer and every unplaced application explains itself (rule 8), in English and Swedish.

The reasons name the facts a coordinator can read out to the parent: weeks waited, the rule
applied, travel minutes, and why the own district had no seat.
"""

from __future__ import annotations

from functools import lru_cache

from solver.placement_model import PlacementData, Reach

_MISFIT_EN = {"age": "child's age", "language": "language", "slot": "time of day"}
_MISFIT_SV = {"age": "barnets ålder", "language": "språk", "slot": "tid på dagen"}


def explain_offer(data: PlacementData, a: int, g: int, minutes: int, away: bool) -> tuple[str, str]:
    app, group = data.apps[a], data.groups[g]
    prog = data.programmes[app.programme].name
    home = data.district_names[app.district]
    weeks = data.waited_days[a] // 7
    start = group.start.isoformat()
    if not away:
        return (
            f"Waited {weeks} weeks, place {data.positions[a]} in the {prog} queue in {home}; "
            f"a seat in your own district, group starts {start}.",
            f"Har väntat {weeks} veckor, plats {data.positions[a]} i kön till {prog} i {home}; "
            f"en plats i din egen stadsdel, gruppen startar {start}.",
        )
    limit = data.scenario.policy.cross_district_after_weeks
    host = data.district_names[group.district]
    why_en, why_sv = _why_not_home(data, a)
    return (
        f"Waited {weeks} weeks in {home} (limit {limit}); {why_en}; {host} is {minutes} min "
        f"away (your limit {app.max_travel_minutes}), group starts {start}.",
        f"Har väntat {weeks} veckor i {home} (gräns {limit}); {why_sv}; {host} ligger "
        f"{minutes} min bort (din gräns {app.max_travel_minutes}), gruppen startar {start}.",
    )


def explain_unplaced(data: PlacementData, a: int, placed: dict[int, int]) -> tuple[str, str]:
    app = data.apps[a]
    home = data.district_names[app.district]
    weeks = data.waited_days[a] // 7
    home_en, home_sv = _why_not_home(data, a)
    away_en, away_sv = _why_not_away(data, a)
    return (
        f"Waited {weeks} weeks, place {data.positions[a]} in the queue in {home}. "
        f"No offer this round: {home_en}; {away_en}.",
        f"Har väntat {weeks} veckor, plats {data.positions[a]} i kön i {home}. "
        f"Inget erbjudande den här gången: {home_sv}; {away_sv}.",
    )


def _why_not_home(data: PlacementData, a: int) -> tuple[str, str]:
    app = data.apps[a]
    return _home_text(
        data.programmes[app.programme].name, data.district_names[app.district], data.home[a]
    )


@lru_cache(maxsize=1 << 16)
def _home_text(prog: str, home: str, reach: Reach) -> tuple[str, str]:
    if reach.groups == 0:
        return (
            f"no {prog} group with a free seat in {home}",
            f"ingen grupp i {prog} med ledig plats i {home}",
        )
    if reach.fits == 0:
        en, sv = _misfits(reach)
        return (
            f"the {prog} groups with free seats in {home} do not fit ({en})",
            f"grupperna i {prog} med lediga platser i {home} passar inte ({sv})",
        )
    return (
        f"the {prog} seats in {home} that fit went to parents who queued earlier",
        f"de passande platserna i {prog} i {home} gick till föräldrar som köat längre",
    )


def _why_not_away(data: PlacementData, a: int) -> tuple[str, str]:
    app = data.apps[a]
    limit = data.scenario.policy.cross_district_after_weeks
    weeks = data.waited_days[a] // 7
    if not app.cross_district:
        return (
            "you have not asked for seats in other districts",
            "du har inte valt att få plats i andra stadsdelar",
        )
    reach = data.away.get(a)
    if reach is None:
        return (
            f"seats in other districts are offered after {limit} weeks of waiting "
            f"(you have waited {weeks})",
            f"plats i andra stadsdelar erbjuds efter {limit} veckors väntan "
            f"(du har väntat {weeks})",
        )
    prog = data.programmes[app.programme].name
    return _away_text(prog, app.max_travel_minutes, reach, data.strict)


@lru_cache(maxsize=1 << 16)
def _away_text(prog: str, minutes: int, reach: Reach, strict: bool) -> tuple[str, str]:
    if reach.groups == 0:
        return (
            f"no {prog} group with a free seat within {minutes} min",
            f"ingen grupp i {prog} med ledig plats inom {minutes} min",
        )
    if reach.fits == 0:
        en, sv = _misfits(reach)
        return (
            f"the {prog} groups within {minutes} min do not fit ({en})",
            f"grupperna i {prog} inom {minutes} min passar inte ({sv})",
        )
    if strict:
        return (
            f"the seats within {minutes} min that fit went to the host district's own "
            "residents or to parents who queued earlier",
            f"de passande platserna inom {minutes} min gick till stadsdelens egna boende "
            "eller till föräldrar som köat längre",
        )
    return (
        f"the seats within {minutes} min that fit went to parents who queued earlier",
        f"de passande platserna inom {minutes} min gick till föräldrar som köat längre",
    )


def _misfits(reach: Reach) -> tuple[str, str]:
    return (
        ", ".join(_MISFIT_EN.get(k, k) for k in reach.misfits),
        ", ".join(_MISFIT_SV.get(k, k) for k in reach.misfits),
    )
