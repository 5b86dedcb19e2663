"""The data phase of a placement round: canonical order, offerable seats and who may take them.

Everything is indexed in a canonical order (applications by queue date, lottery, id; groups by
programme, district, start, id), so a shuffled input file builds the very same model.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from solver.types import Application, Group, Programme, Scenario
from waitlist.domain.crossing import (
    CrossTest,
    cross_district_test,
    planned_seats_per_week,
    projected_waits,
)
from waitlist.domain.eligibility import ineligibility
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.offer import answer_deadline
from waitlist.domain.queue import queue_key
from waitlist.domain.values import HomePriority


class Reach(NamedTuple):
    """What one application met on its way: the facts its explanation is built from."""

    groups: int = 0  # offerable groups looked at
    fits: int = 0  # of which the application is eligible for
    misfits: tuple[str, ...] = ()  # ineligibility keys, most frequent first


NOTHING = Reach()


_UNKNOWN = "?"


def _reach(groups: int, fits: int, misfits: list[str]) -> Reach:
    if not groups:
        return NOTHING
    kinds = set(misfits)
    if len(kinds) < 2:
        return Reach(groups, fits, tuple(kinds))
    return Reach(groups, fits, tuple(sorted(kinds, key=lambda k: (-misfits.count(k), k))))


@dataclass
class PlacementData:
    scenario: Scenario
    apps: list[Application]  # canonical priority order
    groups: list[Group]  # offerable groups with a free seat, canonical order
    programmes: dict[str, Programme]
    district_names: dict[str, str]
    free: list[int]
    by_cell: dict[tuple[str, str], list[int]]  # (programme, district) -> group indices
    waited_days: list[int]
    strict: bool
    positions: list[int] = field(default_factory=list)  # 1-based place in own queue
    home: list[Reach] = field(default_factory=list)
    away: dict[int, Reach] = field(default_factory=dict)
    projected: list[int] | None = None  # rule 5 `projected`: own-district wait, days
    crossed_by: dict[int, CrossTest] = field(default_factory=dict)  # the test that applied
    _age_memo: dict[int, str | None] = field(default_factory=dict)
    _fit_memo: dict[int, str | None] = field(default_factory=dict)
    _birth: list[int] = field(default_factory=list)
    _fits: list[int] = field(default_factory=list)
    _age_of: list[int] = field(default_factory=list)
    _fit_of: list[int] = field(default_factory=list)
    _ages: int = 1
    _slots: int = 1
    _reachable: dict[str, list[tuple[int, str]]] = field(default_factory=dict)

    # Rule 2, eligibility, always decided by the domain rule. The rule checks the child's age
    # first and then language and slot, so its answer is memoised in two parts: the age part
    # per (birth month, group start and programme), the rest per (languages, slots, group
    # language, group slot) once the age fits. A unit test compares this with direct calls.
    def scan(self, a: int, groups: Iterable[int], arcs: list[int], misfits: list[str]) -> None:
        """Append the groups `a` is eligible for to arcs, and why not for the others."""
        age_memo, fit_memo = self._age_memo, self._fit_memo
        birth, fit = self._birth[a] * self._ages, self._fits[a] * self._slots
        age_of, fit_of = self._age_of, self._fit_of
        for g in groups:
            why = age_memo.get(birth + age_of[g], _UNKNOWN)
            if why is _UNKNOWN:
                why = self._rule(a, g, languages=(self.groups[g].language,), slots=())
                age_memo[birth + age_of[g]] = why
            if why is None:
                why = fit_memo.get(fit + fit_of[g], _UNKNOWN)
                if why is _UNKNOWN:
                    why = self._rule(a, g, languages=None, slots=None)
                    fit_memo[fit + fit_of[g]] = why
            if why is None:
                arcs.append(g)
            else:
                misfits.append(why)

    def misfit(self, a: int, g: int) -> str | None:
        arcs: list[int] = []
        misfits: list[str] = []
        self.scan(a, (g,), arcs, misfits)
        return misfits[0] if misfits else None

    def _rule(self, a: int, g: int, *, languages: Any, slots: Any) -> str | None:
        app, grp = self.apps[a], self.groups[g]
        prog = self.programmes[grp.programme]
        return ineligibility(
            child_birth=app.child_birth,
            languages=app.languages if languages is None else languages,
            slots=app.slots if slots is None else slots,
            start=grp.start,
            language=grp.language,
            slot=grp.slot,
            age_min=prog.child_age_min,
            age_max=prog.child_age_max,
        )

    def home_arcs(self, a: int) -> list[int]:
        """Rule 4: groups in the applicant's own district it is eligible for."""
        app = self.apps[a]
        cell = self.by_cell.get((app.programme, app.district), ())
        arcs: list[int] = []
        misfits: list[str] = []
        self.scan(a, cell, arcs, misfits)
        self.home[a] = _reach(len(cell), len(arcs), misfits)
        return arcs

    def may_cross(self, a: int) -> CrossTest | None:
        """Rule 5: opted in and the own-district wait is over the limit (the test that
        applied, waitlist.domain.crossing; None when the parent may not cross).

        Called only for applicants with no own-district seat in this round: their own-district
        wait is then at least the wait so far; under the `projected` policy the projected
        wait counts too.
        """
        test = cross_district_test(
            opted_in=self.apps[a].cross_district,
            waited_days=self.waited_days[a],
            after_weeks=self.scenario.policy.cross_district_after_weeks,
            projected_days=self.projected[a] if self.projected is not None else None,
        )
        if test is not None:
            self.crossed_by[a] = test
        return test

    def away_arcs(self, a: int) -> list[tuple[int, int]]:
        """Rule 5: (group, travel minutes) elsewhere within the applicant's travel limit."""
        app = self.apps[a]
        arcs: list[tuple[int, int]] = []
        misfits: list[str] = []
        looked = 0
        for minutes, district in self.reachable(app.district):
            if minutes > app.max_travel_minutes:
                break
            cell = self.by_cell.get((app.programme, district), ())
            looked += len(cell)
            fitting: list[int] = []
            self.scan(a, cell, fitting, misfits)
            arcs.extend((g, minutes) for g in fitting)
        self.away[a] = _reach(looked, len(arcs), misfits)
        return arcs

    def reachable(self, origin: str) -> list[tuple[int, str]]:
        """Other districts reachable from origin, nearest first (ties by slug)."""
        if origin not in self._reachable:
            row = self.scenario.travel_minutes.get(origin, {})
            self._reachable[origin] = sorted((m, d) for d, m in row.items() if d != origin)
        return self._reachable[origin]


def offer_deadline(scenario: Scenario, group: Group) -> date | None:
    """Rule 10: the respond-by date of an offer in `group` made on the scenario's date, or
    None when the group starts too soon to take one (waitlist.domain.offer.answer_deadline)."""
    p = scenario.policy
    return answer_deadline(
        scenario.as_of, max(1, p.offer_response_days), group.start, max(1, p.min_response_days)
    )


def build_data(scenario: Scenario) -> PlacementData:
    apps = sorted(scenario.applications, key=queue_key)
    offerable = (
        g
        for g in scenario.groups
        if g.status in OFFERABLE_STATUSES and g.free > 0 and offer_deadline(scenario, g)
    )
    groups = sorted(offerable, key=lambda g: (g.programme, g.district, g.start, g.id))
    by_cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        by_cell[(g.programme, g.district)].append(i)
    data = PlacementData(
        scenario=scenario,
        apps=apps,
        groups=groups,
        programmes={p.slug: p for p in scenario.programmes},
        district_names={d.slug: d.name for d in scenario.districts},
        free=[g.free for g in groups],
        by_cell=dict(by_cell),
        waited_days=[(scenario.as_of - a.queue_date).days for a in apps],
        strict=scenario.policy.home_priority == HomePriority.STRICT,
        home=[NOTHING] * len(apps),
    )
    if scenario.policy.cross_district_test == CrossTest.PROJECTED:
        data.projected = _projections(data)
    seen: Counter[tuple[str, str]] = Counter()
    for a in apps:
        seen[(a.programme, a.district)] += 1
        data.positions.append(seen[(a.programme, a.district)])
    births: dict[str, int] = {}
    prefs: dict[tuple[object, ...], int] = {}
    data._birth = [births.setdefault(a.child_birth, len(births)) for a in apps]
    data._fits = [prefs.setdefault((a.languages, a.slots), len(prefs)) for a in apps]
    ages: dict[tuple[object, ...], int] = {}
    offers: dict[tuple[object, ...], int] = {}
    data._age_of = [ages.setdefault((g.start, g.programme), len(ages)) for g in groups]
    data._fit_of = [offers.setdefault((g.language, g.slot), len(offers)) for g in groups]
    data._ages, data._slots = max(1, len(ages)), max(1, len(offers))
    return data


def _projections(data: PlacementData) -> list[int]:
    """Each parent's projected own-district wait (days) from their queue, its free seats this
    round and the seats a week its district plans for the programme (rule 5 `projected`)."""
    scenario = data.scenario
    lookahead = scenario.policy.cross_district_after_weeks
    planned: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for g in scenario.groups:
        if g.status in OFFERABLE_STATUSES:
            planned[(g.programme, g.district)].append(((g.start - scenario.as_of).days, g.capacity))
    queues: dict[tuple[str, str], list[int]] = defaultdict(list)
    for a, app in enumerate(data.apps):  # canonical order is queue order within a queue
        queues[(app.programme, app.district)].append(a)
    out = [0] * len(data.apps)
    for cell, members in queues.items():
        waits = projected_waits(
            [data.waited_days[a] for a in members],
            free_seats=sum(data.free[g] for g in data.by_cell.get(cell, ())),
            seats_per_week=planned_seats_per_week(planned[cell], lookahead_weeks=lookahead),
            lookahead_weeks=lookahead,
        )
        for a, days in zip(members, waits, strict=True):
            out[a] = days
    return out
