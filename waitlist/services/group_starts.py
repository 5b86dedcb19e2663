"""Group-start recommendations for one coordinator's district, and accepting one.

    recommend_for(uow, district)          -> list[GroupStart], the solver's recommendations
                                             for the parents waiting in that district
    accept(uow, district, candidate_id)   -> GroupPublic: the planned group, leader assigned

The recommender (solver.recommend) runs over the same snapshot the placement rounds use
(scenario_export.build_scenario, scoped to the district's waiting parents) and is
deterministic, so accepting recomputes the recommendations and takes the named one: if the
queues changed meanwhile and it is no longer recommended, the acceptance is refused (NotFound)
and the coordinator looks again. A coordinator can only start groups hosted in their own
district. The group is created *planned*; its parents get offers through the next placement
round (the one path for making offers).
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.recommend import run
from solver.types import CandidateGroup, Recommendation
from waitlist.domain.errors import Forbidden, NotFound
from waitlist.services import groups
from waitlist.services.scenario_export import build_scenario, parse_ref
from waitlist.storage.tables import GroupPublic
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class GroupStart:
    candidate: CandidateGroup
    recommendation: Recommendation

    @property
    def own_district(self) -> str:
        return self.candidate.district


def _recommend(uow: UnitOfWork, district: str) -> list[GroupStart]:
    scenario = build_scenario(uow, uow.today(), district)
    outcome = run(scenario)
    by_id = {c.id: c for c in outcome.prepared.candidates}
    return [
        GroupStart(candidate=by_id[r.candidate], recommendation=r)
        for r in outcome.result.recommendations
        if r.candidate in by_id
    ]


def recommend_for(uow: UnitOfWork, district: str) -> list[GroupStart]:
    """Recommended group starts for the parents waiting in `district`, own district first."""
    with uow:
        found = _recommend(uow, district)
    return sorted(found, key=lambda s: (s.candidate.district != district, s.candidate.start))


def accept(uow: UnitOfWork, district: str, candidate_id: str) -> GroupPublic:
    """Create the recommended group as planned, with its recommended leader, atomically."""
    with uow:
        chosen = next(
            (s for s in _recommend(uow, district) if s.candidate.id == candidate_id), None
        )
        if chosen is None:
            raise NotFound(
                "This recommendation no longer stands (the queues or groups changed); "
                "look at the current recommendations.",
                field="candidate",
            )
        c = chosen.candidate
        if c.district != district:
            raise Forbidden(
                "A coordinator starts groups in their own district only.", field="candidate"
            )
        group = groups.create_group(
            uow,
            {
                "programme": c.programme,
                "district": c.district,
                "start": c.start,
                "weekday": c.weekday,
                "slot": c.slot,
                "language": c.language,
                "capacity": c.capacity,
                "min_size": c.min_size,
                "status": "planned",
            },
        )
        led = groups.assign_leader(uow, group.id, parse_ref(chosen.recommendation.leader))
        uow.commit()
        return led
