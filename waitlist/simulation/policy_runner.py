"""Calls the placement and recommendation functions a policy names, in-process."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from solver.types import Offer, Result, Scenario, SolveStatus
from waitlist.domain.eligibility import ineligibility
from waitlist.domain.queue import queue_key
from waitlist.simulation.policies import PolicySpec


def place(spec: PolicySpec, scenario: Scenario) -> Result:
    if spec.placement == "status_quo":
        return _status_quo(scenario)
    return _solve(scenario)


# The monthly search is bounded by the solver's deterministic work limit (so a run
# reproduces on any machine); 1.0 keeps a year of monthly recommendations within the
# benchmark budget. The wall-clock limit is only a safety net.
RECOMMEND_DETERMINISTIC_LIMIT = 1.0
RECOMMEND_TIME_LIMIT_S = 60.0


def _recommend_options():  # type: ignore[no-untyped-def]
    from solver.recommend_data import RecommendOptions

    return RecommendOptions(
        time_limit_s=RECOMMEND_TIME_LIMIT_S, deterministic_limit=RECOMMEND_DETERMINISTIC_LIMIT
    )


def with_candidates(scenario: Scenario) -> Scenario:
    """Candidate groups from the recommender's own generator, hosted where parents live.

    Only hosts where at least one waiting parent of the programme and language lives are
    kept: a group there can still pool parents from neighbouring districts, and the search
    stays small enough to run every month.
    """
    try:
        from solver.candidates import generate_candidates
    except ImportError:
        return scenario
    homes = {(a.programme, a.district, lang) for a in scenario.applications for lang in a.languages}
    candidates = tuple(
        c
        for c in generate_candidates(scenario, _recommend_options())
        if (c.programme, c.district, c.language) in homes
    )
    return replace(scenario, candidate_groups=candidates)


def recommend(scenario: Scenario) -> Result:
    try:
        from solver.recommend import recommend as real
    except ImportError:
        return Result(as_of=scenario.as_of, status=SolveStatus.OPTIMAL)
    if not scenario.candidate_groups:
        return Result(as_of=scenario.as_of, status=SolveStatus.OPTIMAL)
    return real(scenario, options=_recommend_options())


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
