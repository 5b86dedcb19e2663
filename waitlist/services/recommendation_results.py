"""A recommender's result as kept in the database (JSON), and the fingerprint of its input.

Only what a coordinator is shown is kept: the recommendations, the plan's objective and
metrics, and the candidate groups recommended; the scenario itself is dropped once solved.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict
from datetime import date
from typing import Any

from solver.recommend.data import RecommendOptions
from solver.scenario.files import result_to_dict
from solver.types import (
    CandidateGroup,
    Recommendation,
    RecommendObjective,
    RecommendResult,
    Scenario,
    SolveStatus,
)


def fingerprint(scenario_json: str, options: RecommendOptions) -> str:
    """The key a result is kept under: the solver's input as JSON and its options."""
    digest = hashlib.sha256(scenario_json.encode())
    digest.update(repr(options).encode())
    return digest.hexdigest()


def dump_result(scenario: Scenario, result: RecommendResult) -> dict[str, Any]:
    chosen = {r.candidate for r in result.recommendations}
    data = result_to_dict(result)
    return {
        "result": {k: data[k] for k in ("as_of", "status", "recommendations", "objective")}
        | {"metrics": data["metrics"]},
        "candidates": [
            {**asdict(c), "start": c.start.isoformat()}
            for c in scenario.candidate_groups
            if c.id in chosen
        ],
    }


def load_result(data: dict[str, Any]) -> tuple[RecommendResult, dict[str, CandidateGroup]]:
    raw = data["result"]
    result = RecommendResult(
        as_of=date.fromisoformat(raw["as_of"]),
        status=SolveStatus(raw["status"]),
        recommendations=tuple(
            Recommendation(**{**r, "applications": tuple(r.get("applications", ()))})
            for r in raw["recommendations"]
        ),
        objective=RecommendObjective(**raw["objective"]),
        metrics=dict(raw["metrics"]),
    )
    candidates = {
        c["id"]: CandidateGroup(**{**c, "start": date.fromisoformat(c["start"])})
        for c in data["candidates"]
    }
    return result, candidates
