"""Calls the placement and recommendation functions a policy names, in-process."""

from __future__ import annotations

from dataclasses import replace

from solver.placement import solve
from solver.placement.baselines import status_quo
from solver.recommend.candidates import generate_candidates
from solver.recommend.data import RecommendOptions
from solver.recommend.pipeline import recommend as recommend_groups
from solver.types import PlacementResult, RecommendResult, Scenario, SolveStatus
from waitlist.simulation.policies import PolicySpec


def place(spec: PolicySpec, scenario: Scenario) -> PlacementResult:
    """The round's offers: the status-quo baseline or the placement solver."""
    if spec.placement == "status_quo":
        return status_quo(scenario)
    return solve(scenario)


# The monthly search is bounded by the solver's deterministic work limit (so a run
# reproduces on any machine); 1.0 keeps a year of monthly recommendations within the
# benchmark budget. The wall-clock limit is only a safety net.
RECOMMEND_DETERMINISTIC_LIMIT = 1.0
RECOMMEND_TIME_LIMIT_S = 60.0


def _recommend_options(spec: PolicySpec) -> RecommendOptions:
    """The recommender's options: its work limits, and how far a leader may lead a group from
    their own district (the policy's `leader_reach_minutes`)."""
    return RecommendOptions(
        leader_reach_minutes=spec.leader_reach_minutes,
        time_limit_s=RECOMMEND_TIME_LIMIT_S,
        deterministic_limit=RECOMMEND_DETERMINISTIC_LIMIT,
    )


def with_candidates(scenario: Scenario, spec: PolicySpec) -> Scenario:
    """Candidate groups from the recommender's own generator, hosted where parents live.

    Only hosts where at least one waiting parent of the programme and language lives are
    kept: a group there can still pool parents from neighbouring districts, and the search
    stays small enough to run every month.
    """
    homes = {(a.programme, a.district, lang) for a in scenario.applications for lang in a.languages}
    candidates = tuple(
        c
        for c in generate_candidates(scenario, _recommend_options(spec))
        if (c.programme, c.district, c.language) in homes
    )
    return replace(scenario, candidate_groups=candidates)


def recommend(scenario: Scenario, spec: PolicySpec) -> RecommendResult:
    """Group-start recommendations over the scenario's candidate groups and free leaders."""
    if not scenario.candidate_groups or not scenario.leaders:
        return RecommendResult(as_of=scenario.as_of, status=SolveStatus.OPTIMAL)
    return recommend_groups(scenario, options=_recommend_options(spec))
