"""Group-start recommendations: which candidate groups to open, with which leader and room.

    recommend(scenario, ...) -> RecommendResult   the one entry (CP-SAT, staged, proven optimal)

pipeline (data → model → solve → read back), data (the prepared input), candidates and rooms
(what may open where), model (the CP-SAT model and its staged solve), reduce (exact
reductions), explain (reasons), baseline (what a coordinator would do by hand).
"""

from solver.recommend.pipeline import recommend

__all__ = ["recommend"]
