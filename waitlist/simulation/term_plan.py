"""Policy 4's step each term: next term's groups planned where the need is (solver.planning).

At the start of the period and every TERM_WEEKS after it, the planned groups that start in
the coming term (after the ones already announced, `recruit_weeks` ahead) are planned again:
as many groups of each programme as the population-following plan holds for that term (the
same budget), placed by the term planner over districts x languages x slots from the
forecast demand: the parents waiting now (less the free seats of the groups already
announced in their district) and as many new ones as applied in the last TERM_WEEKS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from solver.planning import PlanOptions, TermInput, forecast_demand, plan_term
from solver.types import District
from waitlist.simulation.arrivals import PlannedGroup, round_date, weekday_for
from waitlist.simulation.policies import PolicySpec
from waitlist.simulation.snapshot import programmes_for
from waitlist.simulation.state import SimState

if TYPE_CHECKING:
    from waitlist.simulation.engine import Engine

TERM_WEEKS = 26
OPTIONS = PlanOptions()


@dataclass(frozen=True)
class ComingTerm:
    """The plan as it stands and the part of it a term's step plans again."""

    plan: list[PlannedGroup]
    next_planned: int
    opens: date  # groups starting up to here are announced
    ahead: list[PlannedGroup]  # the plan's groups not yet opened
    term: list[PlannedGroup]  # those of `ahead` that start in the coming term

    def replace(self, state: SimState, new: list[PlannedGroup]) -> None:
        """The plan with the coming term's groups replaced by `new`."""
        kept = [g for g in self.ahead if g not in self.term]
        done = self.plan[: self.next_planned]
        state.plan = done + sorted(kept + new, key=lambda g: (g.start, g.id))


def coming_term(engine: Engine, state: SimState, today: date) -> ComingTerm:
    """The groups of the plan that start in the TERM_WEEKS after those already announced
    (`recruit_weeks` ahead of `today`)."""
    plan = state.plan if state.plan is not None else list(engine.plan)
    opens = today + timedelta(weeks=engine.cal.recruit_weeks)
    ends = opens + timedelta(weeks=TERM_WEEKS)
    ahead = plan[state.next_planned :]
    term = [g for g in ahead if opens < g.start <= ends]
    return ComingTerm(plan, state.next_planned, opens, ahead, term)


def replan_term(engine: Engine, spec: PolicySpec, state: SimState, today: date, week: int) -> None:
    """Replace the population plan's groups of the coming term by the term planner's."""
    cal = engine.cal
    coming = coming_term(engine, state, today)
    opens, ahead, term = coming.opens, coming.ahead, coming.term
    budget: dict[str, int] = {}
    baseline: dict[tuple[str, str], int] = {}
    for g in term:
        budget[g.programme] = budget.get(g.programme, 0) + 1
        baseline[g.district, g.programme] = baseline.get((g.district, g.programme), 0) + 1
    free: dict[tuple[str, str], int] = {}
    seats = [
        (g.district, g.programme, g.capacity - g.taken)
        for g in state.groups.values()
        if g.status == "recruiting"
    ]
    seats += [(g.district, g.programme, g.capacity) for g in ahead if g.start <= opens]
    for district, programme, n in seats:
        free[district, programme] = free.get((district, programme), 0) + n
    since = today - timedelta(weeks=TERM_WEEKS)
    apps = sorted(state.apps.values(), key=lambda a: a.id)
    demand = forecast_demand(
        [a.arrival for a in apps if a.status == "waiting"],
        [a.arrival for a in apps if since <= a.arrival.queue_date < today],
        lookback_weeks=TERM_WEEKS,
        horizon_weeks=cal.recruit_weeks + TERM_WEEKS,
        free_seats=free,
    )
    data = TermInput(
        term_start=opens,
        term_weeks=TERM_WEEKS,
        districts=tuple(District(d.slug, d.name) for d in cal.districts),
        programmes=programmes_for(cal, spec),
        travel_minutes=cal.travel,
        demand=demand,
        budget=budget,
        baseline=baseline,
    )
    result = plan_term(data, OPTIONS)
    if not result.found:
        state.count("term_plans_failed")
        return  # the population plan stays
    state.count("term_plans")
    weeks = {p.slug: int(p.weeks or 8) for p in data.programmes}
    sizes = {p.slug: (p.capacity, p.min_size) for p in data.programmes}
    first = week + cal.recruit_weeks
    new: list[PlannedGroup] = []
    for cell in result.cells:
        for i in range(cell.groups):
            # Spread evenly over the term, on the day planned groups start (as generate_plan).
            at = first + int((i + 0.5) * TERM_WEEKS / cell.groups)
            new.append(
                PlannedGroup(
                    id=f"t{week:03d}-{cell.district}-{cell.programme}-{cell.language}-"
                    f"{cell.slot}-{i + 1}",
                    programme=cell.programme,
                    district=cell.district,
                    start=round_date(cal, at) + timedelta(days=2),
                    weeks=weeks[cell.programme],
                    weekday=weekday_for(cell.slot),
                    slot=cell.slot,
                    language=cell.language,
                    capacity=sizes[cell.programme][0],
                    min_size=sizes[cell.programme][1],
                )
            )
    coming.replace(state, new)
