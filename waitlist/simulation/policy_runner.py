"""Calls the placement and recommendation functions a policy names, in-process."""

from __future__ import annotations

from datetime import timedelta

from solver.types import Offer, Result, Scenario, SolveStatus
from waitlist.domain.eligibility import ineligibility
from waitlist.domain.queue import queue_key
from waitlist.simulation.policies import PolicySpec


def place(spec: PolicySpec, scenario: Scenario) -> Result:
    if spec.placement == "status_quo":
        return _status_quo(scenario)
    return _solve(scenario)


def recommend(scenario: Scenario) -> Result:
    try:
        from solver.recommend import recommend as real
    except ImportError:
        return Result(as_of=scenario.as_of, status=SolveStatus.OPTIMAL)
    return real(scenario)


def _status_quo(scenario: Scenario) -> Result:
    try:
        from solver.baselines import status_quo
    except ImportError:
        return fcfs(scenario, cross_district=False)
    return status_quo(scenario)


def _solve(scenario: Scenario) -> Result:
    try:
        from solver.placement import solve
    except ImportError:
        return fcfs(scenario, cross_district=True)
    return solve(scenario)


def fcfs(scenario: Scenario, *, cross_district: bool) -> Result:
    """Stand-in until the solver lands: groups by start, each filled in queue order."""
    progs = {p.slug: p for p in scenario.programmes}
    free = {g.id: g.free for g in scenario.groups}
    waiting = sorted(scenario.applications, key=queue_key)
    taken: set[str] = set()
    offers = []
    respond_by = scenario.as_of + timedelta(days=scenario.policy.offer_response_days)
    for g in sorted(scenario.groups, key=lambda g: (g.start, g.id)):
        p = progs[g.programme]
        for a in waiting:
            if free[g.id] <= 0:
                break
            if a.id in taken or a.programme != g.programme:
                continue
            minutes = scenario.travel(a.district, g.district)
            if a.district != g.district:
                waited = (scenario.as_of - a.queue_date).days / 7
                if not (cross_district and a.cross_district and minutes is not None):
                    continue
                if minutes > a.max_travel_minutes:
                    continue
                if waited < scenario.policy.cross_district_after_weeks:
                    continue
            if ineligibility(
                child_birth=a.child_birth, languages=a.languages, slots=a.slots, start=g.start,
                language=g.language, slot=g.slot, age_min=p.child_age_min, age_max=p.child_age_max,
            ):  # fmt: skip
                continue
            taken.add(a.id)
            free[g.id] -= 1
            offers.append(
                Offer(a.id, g.id, respond_by, a.district != g.district, minutes or 0, "stand-in")
            )
    return Result(as_of=scenario.as_of, status=SolveStatus.FEASIBLE, offers=tuple(offers))
