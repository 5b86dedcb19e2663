"""From simulation state to the solver's Scenario, and recommendations back to groups."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from solver.types import (
    Application,
    CandidateGroup,
    District,
    Leader,
    Programme,
    Scenario,
    group_from,
)
from waitlist.simulation.arrivals import PlannedGroup
from waitlist.simulation.calibration import Calibration
from waitlist.simulation.policies import PolicySpec
from waitlist.simulation.state import SimGroup, SimState


def programmes_for(cal: Calibration, spec: PolicySpec) -> tuple[Programme, ...]:
    return tuple(
        Programme(
            slug=p["slug"],
            name=p["name"],
            kind=p["kind"],
            child_age_min=int(p["child_age_min"]),
            child_age_max=int(p["child_age_max"]),
            capacity=int(p["capacity"]),
            min_size=min(int(p["capacity"]), spec.min_size.get(p["slug"], int(p["min_size"]))),
            languages=tuple(p.get("languages", ())),
            sessions=p.get("sessions"),
            weeks=p.get("weeks"),
        )
        for p in cal.programmes
    )


def build_scenario(
    cal: Calibration, spec: PolicySpec, state: SimState, today: date, *, with_leaders: bool
) -> Scenario:
    """The round's snapshot: waiting parents and recruiting groups they could still answer for
    (full ones too: they take no offer, but they are the district's planned seats)."""
    respond_days = spec.settings.offer_response_days
    last_offer_day = today + timedelta(days=respond_days)
    groups = tuple(
        group_from(g, id=g.id, taken=g.taken, status="recruiting")
        for g in sorted(state.groups.values(), key=lambda g: g.id)
        if g.status == "recruiting" and g.start >= last_offer_day
    )
    cap = spec.max_travel_minutes
    applications = tuple(
        Application(
            id=a.id,
            programme=a.arrival.programme,
            district=a.arrival.district,
            queue_date=a.arrival.queue_date,
            lottery=a.arrival.lottery,
            child_birth=a.arrival.child_birth,
            languages=a.arrival.languages,
            slots=a.arrival.slots,
            cross_district=a.opted_in,
            max_travel_minutes=a.travel_limit if cap is None else min(cap, a.travel_limit),
        )  # fmt: skip
        for a in sorted(state.apps.values(), key=lambda a: a.id)
        if a.status == "waiting"
    )
    leaders = free_leaders(cal, state, today) if with_leaders else ()
    return Scenario(
        as_of=today,
        policy=spec.settings,
        districts=tuple(District(d.slug, d.name) for d in cal.districts),
        travel_minutes=cal.travel,
        programmes=programmes_for(cal, spec),
        groups=groups,
        applications=applications,
        leaders=leaders,
    )


PROSPECT_WEEKS = 40  # the plan a coordinator already counts on: this term and the next


def with_plan(scenario: Scenario, upcoming: list[PlannedGroup]) -> Scenario:
    """The scenario with the planned groups in `upcoming` added beside the recruiting ones: the
    recommender keeps the parents they need to reach their minimum sizes."""
    planned = tuple(group_from(g, id=g.id, taken=0, status="planned") for g in upcoming)
    return replace(scenario, groups=scenario.groups + planned)


LeaderRow = tuple[str, int, tuple[str, ...], tuple[str, ...], str]


def leader_ids(cal: Calibration) -> list[LeaderRow]:
    """(id, max_groups, languages, programmes, district) for every leader in the pools."""
    out: list[LeaderRow] = []
    for pool in cal.leaders:
        for k in range(1, pool.count + 1):
            lid = f"l-{pool.district}-{len(out) + 1}-{k}"
            out.append((lid, pool.max_groups, pool.languages, pool.programmes, pool.district))
    return out


def free_leaders(cal: Calibration, state: SimState, today: date) -> tuple[Leader, ...]:
    """Leaders with room for another group: max_groups minus groups they recruit for or run.

    Also the leaders of cancelled planned groups still free (`cancelled_leader_weeks`): each
    leads one group, with the languages and programmes of their own district's pool leaders.
    """
    leaders = []
    pools: dict[str, tuple[set[str], set[str]]] = {}
    for lid, max_groups, languages, programmes, district in leader_ids(cal):
        langs, progs = pools.setdefault(district, (set(), set()))
        langs.update(languages)
        progs.update(programmes)
        busy = len(state.leader_groups.get(lid, ()))
        if busy < max_groups:
            leaders.append(Leader(lid, district, programmes, max_groups - busy, languages))
    for lid, (district, until) in sorted(state.freed_leaders.items()):
        if today <= until and lid not in state.leader_groups:
            langs, progs = pools.get(district, ({"sv"}, {p["slug"] for p in cal.programmes}))
            leaders.append(Leader(lid, district, tuple(sorted(progs)), 1, tuple(sorted(langs))))
    return tuple(leaders)


def group_from_candidate(cand: CandidateGroup, leader: str, weeks: int, week: int) -> SimGroup:
    return SimGroup(
        id=f"r{week:03d}-{cand.id}", programme=cand.programme, district=cand.district,
        start=cand.start, weeks=weeks, weekday=cand.weekday, slot=cand.slot, language=cand.language,
        capacity=cand.capacity, min_size=cand.min_size, origin="recommended", leader=leader,
    )  # fmt: skip
