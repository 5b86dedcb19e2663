"""Term planning: where next term's budget of groups goes so that waits even out.

    plan_term(TermInput, PlanOptions) -> TermPlan   the one entry (CP-SAT, two stages)

data (input, forecast from the queues, output), model (the CP-SAT model and its stages),
pipeline (data → model → solve → read back, and the effect per district and programme
against the usual plan).
"""

from solver.planning.data import (
    DemandClass,
    Effect,
    PlannedCell,
    PlanOptions,
    TermInput,
    TermPlan,
    forecast_demand,
)
from solver.planning.pipeline import plan_term

__all__ = [
    "DemandClass",
    "Effect",
    "PlanOptions",
    "PlannedCell",
    "TermInput",
    "TermPlan",
    "forecast_demand",
    "plan_term",
]
