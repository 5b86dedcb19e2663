"""Group-start recommendations for coordinators: ask, then accept one.

Asking (`recommend_for`) runs the recommender (solver.recommend.pipeline) on a snapshot of the live
database: every district's waiting parents, less those the placement rules would already give
a seat in a planned or recruiting group (the recommender itself does not look at existing
groups), with candidate groups generated from that demand and each active leader's free
capacity (max_groups less the planned, recruiting and running groups they lead). The plan is
city-wide, so two coordinators never count on the same parents; a coordinator sees the
recommendations hosted in their district.

Computing a plan takes seconds, so pages and the API do not call `recommend_for`: they ask
waitlist.services.recommendation_jobs, which solves in the background and keeps each result
under the fingerprint of its input (`scenario_for`, hashed with the options).

Accepting (`accept_recommendation`) takes the result kept for the database as it is now (so it
solves nothing and answers at once) and, if the candidate is recommended there and hosted in
the coordinator's district, in one transaction creates the group (recruiting) with the
recommended leader. Its seats are offered by the next placement round, by the placement rules
like in any round (queue order, own district first, cross-district only past the threshold),
so the offers can differ from the parents the recommendation counted. Every change is in the
audit trail (group created, leader assigned) plus one `recommendation_accepted` event on the
group with the candidate, leader and counts, never names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func
from sqlmodel import col, select

from solver.placement.pipeline import solve as place
from solver.recommend import recommend
from solver.recommend.candidates import generate_candidates
from solver.recommend.data import RecommendOptions
from solver.scenario.files import dumps, scenario_to_dict
from solver.types import CandidateGroup, Recommendation, RecommendResult, Scenario
from waitlist.domain.errors import StalePreview
from waitlist.domain.group import GroupStatus
from waitlist.services import access, groups, lookups
from waitlist.services.input_events import latest_input_event
from waitlist.services.recommendation_results import fingerprint, load_result
from waitlist.services.scenario_export import (
    database_scenario,
    leader_ref,
    parse_ref,
    rooms_in_use,
)
from waitlist.storage.tables import (
    Group,
    GroupCreate,
    GroupLeaderLink,
    GroupPublic,
    RecommendationJob,
)
from waitlist.storage.uow import UnitOfWork

BUSY = (GroupStatus.PLANNED, GroupStatus.RECRUITING, GroupStatus.RUNNING)

# The search is bounded by the solver's deterministic work limit, so that asking twice on the
# same database gives the same answer on any machine, and a coordinator's page answers in
# seconds (on the demo city: the waiting-weeks optimum is reached, sometimes with a group more
# than needed; the result's status then says `feasible`). The wall-clock limit is a safety net.
OPTIONS = RecommendOptions(time_limit_s=60.0, deterministic_limit=2.0)


@dataclass(frozen=True)
class GroupStart:
    """One recommended group start: the candidate group and the recommendation about it."""

    candidate: CandidateGroup
    recommendation: Recommendation


@dataclass(frozen=True)
class Recommendations:
    """What a coordinator sees: the recommendations hosted in `district` (all when None),
    each recommended candidate group by id, and the city-wide plan's objective and metrics
    (in `result`)."""

    as_of: date
    district: str | None
    result: RecommendResult
    candidates: dict[str, CandidateGroup]

    @property
    def starts(self) -> list[GroupStart]:
        """The recommendations with their candidate groups, earliest start first."""
        found = [GroupStart(self.candidates[r.candidate], r) for r in self.result.recommendations]
        return sorted(found, key=lambda s: (s.candidate.start, s.candidate.id))


@dataclass(frozen=True)
class Accepted:
    recommendation: Recommendation
    group: GroupPublic


def recommend_for(
    uow: UnitOfWork,
    as_of: date | None = None,
    district: str | None = None,
    options: RecommendOptions = OPTIONS,
) -> Recommendations:
    """Recommended group starts as of a day (default today), hosted in `district` if given."""
    with uow:
        day = as_of or uow.today()
        if district is not None:
            lookups.district(uow, district)
        scenario = scenario_for(uow, day)
    result = recommend(scenario, options=options)
    by_id = {c.id: c for c in scenario.candidate_groups}
    chosen = {r.candidate: by_id[r.candidate] for r in result.recommendations}
    return for_district(result, chosen, district)


def for_district(
    result: RecommendResult, candidates: dict[str, CandidateGroup], district: str | None
) -> Recommendations:
    """The city-wide plan with only the recommendations hosted in `district` (all if None)."""
    kept = tuple(
        r
        for r in result.recommendations
        if district is None or candidates[r.candidate].district == district
    )
    return Recommendations(
        as_of=result.as_of,
        district=district,
        result=replace(result, recommendations=kept),
        candidates={r.candidate: candidates[r.candidate] for r in kept},
    )


def kept(uow: UnitOfWork, day: date, options: RecommendOptions = OPTIONS) -> Recommendations:
    """The city-wide recommendations kept for the database as it is now, inside the caller's
    `with uow:`: the job for the current mark when it is done (one query), else a result kept
    for the same input (built and hashed: a change since left the input as it was).
    StalePreview when none is kept for these inputs (not computed yet, or the queues or
    groups changed since)."""
    mark = inputs_mark(uow, day, options)
    found = select(RecommendationJob).where(
        RecommendationJob.state == "done", col(RecommendationJob.result).is_not(None)
    )
    job = uow.session.exec(found.where(RecommendationJob.mark == mark)).first()
    if job is None:
        key = fingerprint(dumps(scenario_to_dict(scenario_for(uow, day))), options)
        job = uow.session.exec(found.where(RecommendationJob.fingerprint == key)).first()
    if job is None or job.result is None:
        raise StalePreview(
            "The recommendations are being computed for the queues and groups as they are now; "
            "look at them again when they are ready.",
            field="candidate",
        )
    return for_district(*load_result(job.result), None)


def inputs_mark(uow: UnitOfWork, day: date, options: RecommendOptions) -> str:
    """What the inputs depend on: the day, the latest audit event that may be about them
    (every change to applications, offers, groups, leaders, venues and the reference data
    writes one), the rules and the options."""
    setup = fingerprint(repr(uow.rules), options)[:16]
    return f"{day.isoformat()}:{latest_input_event(uow)}:{setup}"


def accept_recommendation(
    uow: UnitOfWork,
    actor: access.Actor,
    candidate: str,
    *,
    as_of: date | None = None,
    options: RecommendOptions = OPTIONS,
) -> Accepted:
    """Start the recommended group `candidate`: created recruiting, with the recommended
    leader, from the result kept for the database as it is now (nothing is solved here); its
    seats are offered by the next placement round, by the placement rules.

    StalePreview when no result is kept for the current inputs or the candidate is not in it
    (the queues or groups changed since); Forbidden unless the actor coordinates the host
    district."""
    with uow:
        day = as_of or uow.today()
        found = kept(uow, day, options)
        rec = next((r for r in found.result.recommendations if r.candidate == candidate), None)
        if rec is None:
            raise StalePreview(
                f"{candidate} is not among the recommendations any more (the queues or "
                "groups changed); look at the recommendations again.",
                field="candidate",
            )
        cand = found.candidates[candidate]
        access.require_coordinator_of(actor, cand.district, field="candidate")
        group = groups._create(uow, _group_command(cand))
        groups._assign(uow, group, lookups.leader(uow, parse_ref(rec.leader)))
        uow.record(
            "group",
            group.id or 0,
            "recommendation_accepted",
            after={
                "candidate": candidate,
                "leader": rec.leader,
                "serves": rec.serves,
                "parents_counted": len(rec.applications),
            },
            district=cand.district,
            programme=cand.programme,
        )
        uow.commit()
        return Accepted(rec, groups.to_public(uow, group))


def _group_command(cand: CandidateGroup) -> GroupCreate:
    return GroupCreate.model_validate(
        {
            "programme": cand.programme,
            "district": cand.district,
            "start": cand.start,
            "weekday": cand.weekday,
            "slot": cand.slot,
            "language": cand.language,
            "capacity": cand.capacity,
            "min_size": cand.min_size,
            "status": GroupStatus.RECRUITING,
            "venue_id": parse_ref(cand.room) if cand.room else None,
        }
    )


def scenario_for(uow: UnitOfWork, day: date) -> Scenario:
    """The recommender's input: parents with no seat in sight, leaders with room (and their
    weeks away), the venues in use as rooms with the groups holding them, candidates."""
    scenario = database_scenario(uow, day)
    rooms, held = rooms_in_use(uow)
    served = {o.application for o in place(scenario).offers}
    busy = _busy_leaders(uow)
    leaders = tuple(
        replace(ld, max_groups=max(0, ld.max_groups - busy.get(ld.id, 0)))
        for ld in scenario.leaders
    )
    remaining = replace(
        scenario,
        applications=tuple(a for a in scenario.applications if a.id not in served),
        groups=held,  # only for the rooms they hold
        leaders=tuple(ld for ld in leaders if ld.max_groups > 0),
        rooms=rooms,
    )
    return replace(remaining, candidate_groups=generate_candidates(remaining))


def _busy_leaders(uow: UnitOfWork) -> dict[str, int]:
    rows = uow.session.exec(
        select(GroupLeaderLink.leader_id, func.count())
        .join(Group, Group.id == GroupLeaderLink.group_id)  # type: ignore[arg-type]
        .where(col(Group.status).in_(list(BUSY)))
        .group_by(col(GroupLeaderLink.leader_id))
    ).all()
    return {leader_ref(leader_id): int(n) for leader_id, n in rows}
