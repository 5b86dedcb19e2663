"""Random small placement scenarios for property tests, and the rules written out plainly.

The rule checks here are deliberately written from the design brief, not from the solver's
code: they look only at the scenario and the offers.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import strategies as st

from solver.types import Application, District, Group, PlacementResult, Policy, Programme, Scenario
from waitlist.domain.crossing import planned_seats_per_week, projected_waits
from waitlist.domain.eligibility import why_not
from waitlist.domain.queue import in_queue_order, queue_key

AS_OF = date(2026, 3, 2)
NAMES = ["Farsta", "Skarpnäck", "Älvsjö", "Ünïcode 区", "Rinkeby-Kista"]
LANGS = ["sv", "ar"]
SLOTS = ["day", "evening"]


@st.composite
def scenarios(
    draw: st.DrawFn, max_apps: int = 10, max_groups: int = 5, policy: str | None = None
) -> Scenario:
    n_districts = draw(st.integers(1, 3))
    slugs = [f"d{i}" for i in range(n_districts)]
    districts = tuple(District(s, NAMES[i]) for i, s in enumerate(slugs))
    travel: dict[str, dict[str, int]] = {}
    for o in slugs:
        for d in slugs:
            if o != d and draw(st.booleans()):
                travel.setdefault(o, {})[d] = draw(st.sampled_from([5, 15, 30, 45]))
    programmes = (
        Programme("p", "Komet", "parent_group", 3, 11, 4, 2),
        Programme("q", "Trappan", "individual", 0, 17, 1, 1),
    )
    n_groups = draw(st.integers(0, max_groups))
    groups = []
    for i in range(n_groups):
        capacity = draw(st.integers(0, 3))
        groups.append(
            Group(
                id=f"grupp-é{i}",
                programme=draw(st.sampled_from(["p", "p", "q"])),
                district=draw(st.sampled_from(slugs)),
                # Some start within days: too soon for an answer in time (rule 10).
                start=AS_OF + timedelta(days=draw(st.sampled_from([2, 4, 5, 8, 12, 14, 30, 56]))),
                weekday="tue",
                slot=draw(st.sampled_from(SLOTS)),
                language=draw(st.sampled_from(LANGS)),
                capacity=capacity,
                min_size=draw(st.integers(0, capacity)),
                taken=draw(st.integers(0, capacity)),
                status=draw(st.sampled_from(["recruiting", "planned", "running", "cancelled"])),
            )
        )
    n_apps = draw(st.integers(0, max_apps))
    apps = []
    for i in range(n_apps):
        apps.append(
            Application(
                id=f"ansökan-{i}",
                programme=draw(st.sampled_from(["p", "p", "q"])),
                district=draw(st.sampled_from(slugs)),
                queue_date=AS_OF - timedelta(weeks=draw(st.sampled_from([0, 4, 9, 9, 20]))),
                lottery=draw(st.integers(0, 3)),  # small range: ties happen
                child_birth=draw(st.sampled_from(["2024-01", "2020-06", "2016-03", "2008-11"])),
                languages=tuple(draw(st.lists(st.sampled_from(LANGS), min_size=0, unique=True))),
                slots=tuple(draw(st.lists(st.sampled_from(SLOTS), unique=True))),
                cross_district=draw(st.booleans()),
                max_travel_minutes=draw(st.sampled_from([0, 15, 30, 60])),
            )
        )
    home_priority = policy or draw(st.sampled_from(["strict", "none"]))
    test = draw(st.sampled_from(["waited", "projected"]))
    return Scenario(
        as_of=AS_OF,
        policy=Policy(home_priority=home_priority, cross_district_test=test),
        districts=districts,
        travel_minutes=travel,
        programmes=programmes,
        groups=tuple(groups),
        applications=tuple(apps),
    )


def free(g: Group, s: Scenario | None = None) -> int:
    if g.status not in ("planned", "recruiting"):
        return 0
    # Rule 10, never too late: a group whose first meeting leaves fewer than the minimum
    # response days (the day before it counting as the last day to answer) takes no offer.
    as_of, policy = (s.as_of, s.policy) if s is not None else (AS_OF, Policy())
    if g.start - timedelta(days=1) < as_of + timedelta(days=policy.min_response_days):
        return 0
    return max(0, g.capacity - g.taken)


def eligible(s: Scenario, a: Application, g: Group) -> bool:
    if a.programme != g.programme:
        return False
    prog = next(p for p in s.programmes if p.slug == g.programme)
    return why_not(a, g, prog) is None


def projected_days(s: Scenario, a: Application) -> int:
    """Rule 5 `projected`, from the scenario alone: the parent's own-district wait so far plus
    the weeks the district's planned seats need to reach them, never shorter than the
    projection of anyone behind them in the same queue (waitlist.domain.crossing)."""
    queue = in_queue_order(
        b for b in s.applications if (b.programme, b.district) == (a.programme, a.district)
    )
    own = [g for g in s.groups if (g.programme, g.district) == (a.programme, a.district)]
    weeks = s.policy.cross_district_after_weeks
    planned = [
        (
            (g.start - s.as_of).days,
            g.capacity,
        )
        for g in own
        if g.status in ("planned", "recruiting")
    ]
    projections = projected_waits(
        [(s.as_of - b.queue_date).days for b in queue],
        free_seats=sum(free(g, s) for g in own),
        seats_per_week=planned_seats_per_week(planned, lookahead_weeks=weeks),
        lookahead_weeks=weeks,
    )
    return projections[[b.id for b in queue].index(a.id)]


def may_cross_to(s: Scenario, a: Application, g: Group) -> bool:
    minutes = s.travel(a.district, g.district)
    waited = (s.as_of - a.queue_date).days
    limit = 7 * s.policy.cross_district_after_weeks
    long_wait = waited > limit or (
        s.policy.cross_district_test == "projected" and projected_days(s, a) > limit
    )
    return (
        g.district != a.district
        and a.cross_district
        and minutes is not None
        and minutes <= a.max_travel_minutes
        and long_wait
    )


def wants(s: Scenario, a: Application, g: Group) -> bool:
    """A seat in g is one the rules let a take (own district, or elsewhere under rule 5)."""
    return (
        free(g, s) > 0 and eligible(s, a, g) and (g.district == a.district or may_cross_to(s, a, g))
    )


def rule_violations(s: Scenario, r: PlacementResult) -> list[str]:
    """Every rule of the brief the result breaks, as readable lines (empty when none)."""
    out: list[str] = []
    apps = {a.id: a for a in s.applications}
    groups = {g.id: g for g in s.groups}
    holder = {o.application: groups[o.group] for o in r.offers}
    in_group: dict[str, list[Application]] = {}
    for o in r.offers:
        in_group.setdefault(o.group, []).append(apps[o.application])
    if len(holder) != len(r.offers):
        out.append("an application has two offers")
    if sorted([*holder, *(u.application for u in r.unplaced)]) != sorted(apps):
        out.append("offers and unplaced do not cover the applications exactly once")
    for gid, members in in_group.items():
        if len(members) > free(groups[gid], s):
            out.append(f"{gid}: {len(members)} offers for {free(groups[gid], s)} free seats")
    for o in r.offers:
        a, g = apps[o.application], groups[o.group]
        if not eligible(s, a, g):
            out.append(f"{a.id} offered {g.id} without being eligible")
        if g.district != a.district and not may_cross_to(s, a, g):
            out.append(f"{a.id} offered {g.id} elsewhere without rule 5 allowing it")
        if o.cross_district != (g.district != a.district):
            out.append(f"{a.id}: cross_district flag wrong")
        if o.travel_minutes != (s.travel(a.district, g.district) or 0):
            out.append(f"{a.id}: travel minutes wrong")
        if not o.reason or not o.reason_sv:
            out.append(f"{a.id}: offer without a reason")
        if o.respond_by >= g.start:
            out.append(f"{a.id}: answer due {o.respond_by}, on or after {g.id} starts {g.start}")
        if not s.as_of < o.respond_by <= s.as_of + timedelta(days=s.policy.offer_response_days):
            out.append(f"{a.id}: respond_by {o.respond_by} outside the response time")
    for a in s.applications:
        mine = holder.get(a.id)
        at_home = mine is not None and mine.district == a.district
        for g in s.groups:
            if g.district != a.district or at_home or not wants(s, a, g):
                continue
            # Rule 4 and queue order: an own-district seat a fits is full of earlier parents.
            members = in_group.get(g.id, [])
            if len(members) < free(g, s):
                out.append(f"{a.id} not at home while {g.id} has a free seat")
            for b in members:
                if queue_key(b) > queue_key(a):
                    out.append(f"{a.id} not at home while later {b.id} holds {g.id}")
                if s.policy.home_priority == "strict" and b.district != a.district:
                    out.append(f"{b.id} from elsewhere holds {g.id} over resident {a.id}")
        if mine is not None:
            continue
        for g in s.groups:
            if not wants(s, a, g):
                continue
            members = in_group.get(g.id, [])
            if len(members) < free(g, s):
                out.append(f"non-wasteful: {a.id} unplaced while {g.id} has a free seat")
            for b in members:
                envy = b.district == a.district or (
                    s.policy.home_priority == "none" or b.district != g.district
                )
                if envy and queue_key(b) > queue_key(a):
                    out.append(f"justified envy: {a.id} unplaced, later {b.id} holds {g.id}")
    return out


def shuffled(scenario: Scenario, rnd: random.Random, *lists: str) -> Scenario:
    """The scenario with the named lists (groups, applications, ...) in another order."""

    def mixed(items: tuple) -> tuple:
        out = list(items)
        rnd.shuffle(out)
        return tuple(out)

    return replace(scenario, **{name: mixed(getattr(scenario, name)) for name in lists})
