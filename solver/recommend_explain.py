"""Group-start recommendations, explained: counts per district (never names), the projected
effect on waiting times, and why close alternatives were not chosen, in English and Swedish.

Waiting time here is the current age of open applications, in weeks, at the scenario date.
The projection removes the parents a recommendation would serve from the queue and measures
again: median and P90 for the recommendation's programme in the districts it serves, and the
city-wide max/min ratio of district median waits (all programmes), as waitlist.domain.stats
defines it.
"""

from __future__ import annotations

import math
from collections.abc import Set
from statistics import median

from solver.recommend_data import Prepared, can_serve, wait_weeks
from solver.rooms import Booking, booking, held_by_groups, room_label
from solver.types import CandidateGroup, Scenario
from waitlist.domain.reasons import RecommendationFacts
from waitlist.domain.stats import wait_ratio
from waitlist.reasons import number, render_recommendation
from waitlist.translations import translations

LANGUAGE = {
    "sv": ("Swedish", "svenska"),
    "ar": ("Arabic", "arabiska"),
    "so": ("Somali", "somaliska"),
    "ti": ("Tigrinya", "tigrinja"),
    "fa": ("Persian", "persiska"),
    "en": ("English", "engelska"),
    "es": ("Spanish", "spanska"),
    "pl": ("Polish", "polska"),
    "tr": ("Turkish", "turkiska"),
    "fi": ("Finnish", "finska"),
}
SLOT = {
    "morning": ("morning", "förmiddag"),
    "day": ("day", "dagtid"),
    "evening": ("evening", "kväll"),
    "weekend": ("weekend", "helg"),
}
WEEKDAY = {
    "mon": ("Mondays", "måndagar"),
    "tue": ("Tuesdays", "tisdagar"),
    "wed": ("Wednesdays", "onsdagar"),
    "thu": ("Thursdays", "torsdagar"),
    "fri": ("Fridays", "fredagar"),
    "sat": ("Saturdays", "lördagar"),
    "sun": ("Sundays", "söndagar"),
}


def p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile (0.0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def med(values: list[float]) -> float:
    return float(median(values)) if values else 0.0


def ratio(by_district: dict[str, list[float]]) -> float:
    """Max/min of district median waits (weeks), over districts with someone waiting, by the
    project's one definition (waits under a week count as a week); 0.0 if undefined."""
    return wait_ratio((med(v) for v in by_district.values() if v), week=1.0) or 0.0


def spread(by_district: dict[str, list[float]], target_weeks: float) -> dict[str, float]:
    """The districts' median waits: the longest, the shortest, and how many are over target."""
    medians = [med(v) for v in by_district.values() if v]
    if not medians:
        return {"longest": 0.0, "shortest": 0.0, "over_target": 0.0}
    return {
        "longest": round(max(medians), 1),
        "shortest": round(min(medians), 1),
        "over_target": float(sum(1 for m in medians if m > target_weeks)),
    }


class Explainer:
    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        sc = prep.scenario
        self.district_name = {d.slug: d.name for d in sc.districts}
        self.programme_name = {p.slug: p.name for p in sc.programmes}
        self.waits = [round(wait_weeks(a, sc), 3) for a in prep.applications]

    def waits_by_district(self, removed: set[int], programme: str | None = None) -> dict:
        out: dict[str, list[float]] = {}
        for i, app in enumerate(self.prep.applications):
            if i in removed or (programme is not None and app.programme != programme):
                continue
            out.setdefault(app.district, []).append(self.waits[i])
        return out

    def label(self, cand: CandidateGroup, lang: int) -> str:
        """ "Farsta Arabic evening" / "Farsta arabiska kväll"."""
        language = LANGUAGE.get(cand.language, (cand.language, cand.language))[lang]
        slot = SLOT.get(cand.slot, (cand.slot, cand.slot))[lang]
        return f"{self.district_name.get(cand.district, cand.district)} {language} {slot}"

    def effect(self, cand: CandidateGroup, served: list[int]) -> dict[str, float]:
        districts = {self.prep.applications[i].district for i in served}
        before = self.waits_by_district(set(), cand.programme)
        after = self.waits_by_district(set(served), cand.programme)
        pooled_before = [w for d in districts for w in before.get(d, [])]
        pooled_after = [w for d in districts for w in after.get(d, [])]
        return {
            "median_wait_weeks_before": round(med(pooled_before), 1),
            "median_wait_weeks_after": round(med(pooled_after), 1),
            "p90_wait_weeks_before": round(p90(pooled_before), 1),
            "p90_wait_weeks_after": round(p90(pooled_after), 1),
            "city_max_min_ratio_before": round(ratio(self.waits_by_district(set())), 2),
            "city_max_min_ratio_after": round(ratio(self.waits_by_district(set(served))), 2),
            "waiting_weeks_removed": round(sum(self.waits[i] for i in served), 1),
            "parents_served": float(len(served)),
        }

    def alternatives(self, cand: CandidateGroup, opened: set[str]) -> list[CandidateGroup]:
        """Close alternatives not chosen: same programme, and the same host district or the same
        language and slot nearby; nearest first."""
        sc = self.prep.scenario
        close = []
        for alt in self.prep.all_candidates:
            if alt.id in opened or alt.programme != cand.programme:
                continue
            minutes = sc.travel(cand.district, alt.district)
            same_kind = alt.language == cand.language and alt.slot == cand.slot
            if alt.district == cand.district or (same_kind and minutes is not None):
                close.append((minutes if minutes is not None else 999, not same_kind, alt.id, alt))
        return [alt for *_, alt in sorted(close)[:2]]

    def facts(self, cand: CandidateGroup, served: list[int]) -> RecommendationFacts:
        """What the recommendation's reason says, in any language: counts, never names."""
        e = self.effect(cand, served)
        counts: dict[str, int] = {}
        for i in served:
            d = self.prep.applications[i].district
            counts[d] = counts.get(d, 0) + 1
        return RecommendationFacts(
            programme=self.programme_name.get(cand.programme, cand.programme),
            host=self.district_name.get(cand.district, cand.district),
            language=cand.language,
            weekday=cand.weekday,
            slot=cand.slot,
            start=cand.start,
            served=tuple((self.district_name.get(d, d), n) for d, n in sorted(counts.items())),
            median_waited_weeks=round(med([self.waits[i] for i in served])),
            median_before=e["median_wait_weeks_before"],
            median_after=e["median_wait_weeks_after"],
            p90_before=e["p90_wait_weeks_before"],
            p90_after=e["p90_wait_weeks_after"],
            ratio_before=e["city_max_min_ratio_before"],
            ratio_after=e["city_max_min_ratio_after"],
        )

    def describe(
        self, cand: CandidateGroup, served: list[int], notes: list[tuple[str, str]]
    ) -> tuple[str, str]:
        """The recommendation's reason in English and Swedish: counts only, never names (the
        leader is named on the page that knows their name; a leader id is no word for people)."""
        facts = self.facts(cand, served)
        return (
            render_recommendation(facts, "en", tuple(n[0] for n in notes)),
            render_recommendation(facts, "sv", tuple(n[1] for n in notes)),
        )

    def why_not(
        self, c_id: str, unserved: set[int], leaders_full: set[int], opened: Set[int] = frozenset()
    ):
        """Why a candidate was not opened: (English, Swedish). `opened`: the opened candidates
        (indices into Prepared.candidates)."""
        prep = self.prep
        cand = next(c for c in prep.all_candidates if c.id == c_id)
        name_en, name_sv = self.label(cand, 0), self.label(cand, 1)
        reach = [i for i, a in enumerate(prep.applications) if can_serve(a, cand, prep.scenario)]
        kind = prep.not_viable.get(c_id)
        if kind == "leader":
            prog = self.programme_name.get(cand.programme, cand.programme)
            return (
                f"{name_en}: no leader certified for {prog} in this language in reach",
                f"{name_sv}: ingen ledare certifierad för {prog} på detta språk inom räckhåll",
            )
        if kind == "room":
            mine = booking(cand, prep.scenario)
            held = [h for h in held_by_groups(prep.scenario) if mine and mine.clashes(h)]
            en, sv = room_taken(prep.scenario, cand, list(held))
            return f"{name_en}: {en}", f"{name_sv}: {sv}"
        left = [i for i in reach if i in unserved]
        if kind == "size" or len(left) < cand.min_size:
            n = len(reach) if kind == "size" else len(left)
            en, sv = (_too_few(n, cand.min_size, kind == "size", lang) for lang in ("en", "sv"))
            return f"{name_en}: {en}", f"{name_sv}: {sv}"
        c = prep.candidates.index(cand)
        taken = [prep.candidates[d] for d in prep.clashes.get(c, ()) if d in opened]
        if taken:
            en, sv = room_taken(prep.scenario, cand, [booking(d, prep.scenario) for d in taken])
            return f"{name_en}: {en}", f"{name_sv}: {sv}"
        if all(j in leaders_full for j in prep.leads[c]):
            return (
                f"{name_en}: its certified leaders are fully booked by the recommended groups",
                f"{name_sv}: dess certifierade ledare är fullbokade av de rekommenderade grupperna",
            )
        return (
            f"{name_en}: the budget of new groups is used by starts that remove more waiting",
            f"{name_sv}: budgeten för nya grupper går till starter som minskar väntan mer",
        )


def _too_few(n: int, minimum: int, in_reach: bool, lang: str) -> str:
    """ "only 4 parents within reach, minimum 6", in `lang`, with the right plural."""
    ngettext = translations(lang).ngettext
    values = {"num": number(n, lang), "min": number(minimum, lang)}
    if in_reach:
        return (
            ngettext(
                "only %(num)s parent within reach, minimum %(min)s",
                "only %(num)s parents within reach, minimum %(min)s",
                n,
            )
            % values
        )
    return (
        ngettext(
            "only %(num)s parent not already served within reach, minimum %(min)s",
            "only %(num)s parents not already served within reach, minimum %(min)s",
            n,
        )
        % values
    )


_DAY_EN = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday"}
_DAY_EN |= {"fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
_SLOTS_EN = {"morning": " mornings", "day": " daytimes", "evening": " evenings", "weekend": "s"}


def room_taken(
    scenario: Scenario, cand: CandidateGroup, held: list[Booking | None]
) -> tuple[str, str]:
    """Why a candidate's room is not free, e.g. "Farsta family centre, room 2 is taken on
    Tuesday evenings until 2026-05-12" (the last session of the groups holding it then)."""
    room = room_label(scenario, cand.room or "")
    until = max((b.last for b in held if b is not None), default=cand.start).isoformat()
    when_en = _DAY_EN.get(cand.weekday, cand.weekday) + _SLOTS_EN.get(cand.slot, "")
    day_sv = WEEKDAY.get(cand.weekday, (cand.weekday, cand.weekday))[1]
    slot_sv = SLOT.get(cand.slot, (cand.slot, cand.slot))[1]
    return (
        f"{room} is taken on {when_en} until {until}",
        f"{room} är upptaget {day_sv} {slot_sv} till och med {until}",
    )
