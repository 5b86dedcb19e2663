"""Policy 4 in the simulation: each term the coming term's planned groups are planned again by
the term planner, with the same budget per programme as the population plan, and the rules
of every round still hold (no seat over capacity, only the policy's own plan changes)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from tests.support.simulation_city import small_city
from waitlist.simulation import builtin_policies
from waitlist.simulation.arrivals import generate_arrivals, generate_plan, round_date
from waitlist.simulation.engine import Engine
from waitlist.simulation.term_plan import TERM_WEEKS


def test_each_term_is_planned_again_within_the_same_budget_per_programme(tmp_path):
    city = small_city(tmp_path)
    spec = builtin_policies()[3]
    assert spec.group_starts == "term_plan"
    total = city.warmup_weeks + TERM_WEEKS + 2
    plan = generate_plan(city, 11, total)
    engine = Engine(city, 11, generate_arrivals(city, 11, total), plan)
    state = engine.warm_up(builtin_policies()[0])
    first = city.warmup_weeks
    opens = round_date(city, first) + timedelta(weeks=city.recruit_weeks)
    ends = opens + timedelta(weeks=TERM_WEEKS)

    def budget(groups) -> Counter:  # noqa: ANN001
        return Counter(g.programme for g in groups if opens < g.start <= ends)

    for week in range(first, total):
        engine.run_round(spec, state, week, measured=True)
        assert all(g.taken <= g.capacity for g in state.groups.values())
    assert state.counters["term_plans"] == 2
    assert state.plan is not None and engine.plan == sorted(plan, key=lambda g: (g.start, g.id))
    replanned = [g for g in state.plan if g.id.startswith(f"t{first:03d}-")]
    assert replanned, "the first term was planned again"
    assert sum(budget(replanned).values()) <= sum(budget(engine.plan).values())
    for prog, n in budget(replanned).items():
        assert n <= budget(engine.plan)[prog]
