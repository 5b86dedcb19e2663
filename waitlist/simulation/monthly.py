"""Policy 3's monthly step: open the groups the recommender proposes, with their leaders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from waitlist.simulation import policy_runner
from waitlist.simulation.policies import PolicySpec
from waitlist.simulation.snapshot import (
    PROSPECT_WEEKS,
    build_scenario,
    group_from_candidate,
    with_plan,
)
from waitlist.simulation.state import SimState

if TYPE_CHECKING:
    from waitlist.simulation.engine import Engine


def open_recommended_groups(
    engine: Engine, spec: PolicySpec, state: SimState, today: date, week: int
) -> int:
    """Open the recommended groups and invite the parents they name; returns offers made.

    After this round's offers the recommender sees the parents still waiting, the recruiting
    groups and the planned groups starting within PROSPECT_WEEKS: it leaves every such group
    the parents it needs to reach its minimum size (solver.recommend.data.kept_for_plan).
    """
    scenario = build_scenario(engine.cal, spec, state, today, with_leaders=True)
    if not scenario.applications or not scenario.leaders:
        return 0
    horizon = today + timedelta(weeks=PROSPECT_WEEKS)
    upcoming = [g for g in engine.plan[state.next_planned :] if g.start <= horizon]
    scenario = with_plan(scenario, upcoming)
    scenario = policy_runner.with_candidates(scenario, spec)
    result = policy_runner.recommend(scenario, spec)
    candidates = {c.id: c for c in scenario.candidate_groups}
    capacity = {lead.id: lead.max_groups for lead in scenario.leaders}
    weeks = {p["slug"]: int(p.get("weeks") or 8) for p in engine.cal.programmes}
    made = 0
    for rec in result.recommendations:
        cand = candidates.get(rec.candidate)
        if cand is None or capacity.get(rec.leader, 0) <= 0:
            state.count("recommendations_rejected")  # leaders are limited: never overbook
            continue
        capacity[rec.leader] -= 1
        group = group_from_candidate(cand, rec.leader, weeks[cand.programme], week)
        state.groups[group.id] = group
        state.leader_groups.setdefault(rec.leader, set()).add(group.id)
        state.count("groups_recommended")
        # The coordinator invites the parents the recommendation names, in its order.
        for app_id in rec.applications:
            app = state.apps.get(app_id)
            if app is not None and app.status == "waiting" and group.taken < group.capacity:
                made += engine.offer(spec, state, app, group, today)
    return made
