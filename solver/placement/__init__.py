"""Placement rounds: which waiting parent gets which free seat, and why.

    solve(scenario) -> PlacementResult   the one entry: data → model → solve → read back

pipeline (the steps), model (the min-cost flow and the group choice), explain (reasons from
facts), metrics (the result's figures), baselines and assignment/priority_matching (the
policies it is compared with).
"""

from solver.placement.pipeline import solve

__all__ = ["solve"]
