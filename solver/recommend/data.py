"""Group-start recommendations, phase 1: plain data prepared for the model.

Everything the CP-SAT model needs is computed here, in a canonical order (so shuffled input
gives the same model): which waiting parents each candidate group could serve (eligibility from
waitlist.domain.eligibility, travel from the scenario), which leaders could lead it, and how much
serving each parent is worth.

Parents with the same programme, home district and the same set of candidates they could join
are interchangeable for the model except for their weight; they form one *class*. Inside a class
the model serves a prefix in queue order (queue date, then lottery), so queue order holds there
by construction and the model stays small.

Recommendations see the plan: the parents the scenario's planned and recruiting groups need to
start are out of every candidate's reach (`kept_for_plan`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median
from typing import Any

from solver.recommend.rooms import (
    Booking,
    RoomPool,
    booking,
    held_by_groups,
    room_rows,
    session_count,
)
from solver.types import Application, CandidateGroup, Leader, Programme, Scenario, candidate_from
from waitlist.domain.eligibility import why_not
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.leader import free_for


@dataclass(frozen=True)
class RecommendOptions:
    """Knobs of the recommender; the defaults are the documented behaviour.

    leader_reach_minutes: a leader leads groups hosted in their own district, or in a district
        within this many minutes of it (0: own district only).
    max_new_groups: at most this many groups opened (None: no budget beyond the leaders).
    time_limit_s: wall-clock limit of the search; deterministic_limit: the solver's own
        deterministic work limit, so that a search cut short still reproduces.
    """

    leader_reach_minutes: int = 0
    max_new_groups: int | None = None
    time_limit_s: float = 60.0
    deterministic_limit: float = 120.0
    num_workers: int = 1
    random_seed: int = 7


def wait_weeks(app: Application, scenario: Scenario) -> float:
    """Current age of an open application, in weeks."""
    return (scenario.as_of - app.queue_date).days / 7.0


def can_serve(
    app: Application, cand: CandidateGroup, scenario: Scenario, prog: Programme | None = None
) -> bool:
    """The parent is eligible for the candidate group and it lies within their reach.

    Own district always; another district only for a parent who opted in, within their own
    maximum travel time (travel not listed is unreachable).
    """
    if app.programme != cand.programme:
        return False
    if app.district != cand.district:
        minutes = scenario.travel(app.district, cand.district)
        if not app.cross_district or minutes is None or minutes > app.max_travel_minutes:
            return False
    if prog is None:
        prog = next(p for p in scenario.programmes if p.slug == cand.programme)
    return why_not(app, cand, prog) is None


def kept_for_plan(
    scenario: Scenario,
    apps: tuple[Application, ...],
    programmes: dict[str, Programme],
) -> frozenset[int]:
    """Indices into `apps` (queue order) of the parents the scenario's planned and recruiting
    groups need to reach their minimum sizes.

    A planned or recruiting group below its minimum size starts only if enough waiting parents
    take its seats. A recommended group that takes those parents first makes it cancel, and its
    parents go back to the queue (rule 7). So each such group (earliest start first) keeps the
    parents it needs to reach its minimum: first those of its own district (rule 4: they are
    offered its seats first), then parents within reach who opted in, each in queue order. A
    group that cannot yet reach its minimum from the waiting parents keeps those there are:
    parents who apply before it starts may still fill it. The kept parents stay in the scenario
    (the waiting times before and after still count them); they are only out of every
    candidate's reach."""
    by_cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, app in enumerate(apps):
        by_cell[(app.programme, app.district)].append(i)
    districts = sorted({d.slug for d in scenario.districts} | {a.district for a in apps})
    kept: set[int] = set()
    groups = sorted(
        (g for g in scenario.groups if g.status in OFFERABLE_STATUSES),
        key=lambda g: (g.start, g.id),
    )
    for group in groups:
        need = max(0, min(group.min_size, group.capacity) - group.taken)
        prog = programmes.get(group.programme)
        if need == 0 or prog is None:
            continue
        seat = candidate_from(group, id=group.id)
        own = [i for i in by_cell.get((group.programme, group.district), ()) if i not in kept]
        others = [
            i
            for d in districts
            if d != group.district and scenario.travel(d, group.district) is not None
            for i in by_cell.get((group.programme, d), ())
            if i not in kept
        ]
        takers: list[int] = []
        for i in [*own, *sorted(others)]:
            if can_serve(apps[i], seat, scenario, prog):
                takers.append(i)
                if len(takers) == need:
                    break
        kept.update(takers)
    return frozenset(kept)


def can_lead(leader: Leader, cand: CandidateGroup, scenario: Scenario, reach: int) -> bool:
    """Certified for the programme and the language, away in none of the group's weeks (one
    meeting a week, rooms.session_count), and hosted within the leader's reach."""
    if cand.programme not in leader.programmes or cand.language not in leader.languages:
        return False
    if leader.unavailable_weeks:
        prog = next((p for p in scenario.programmes if p.slug == cand.programme), None)
        days = (cand.start + timedelta(weeks=n) for n in range(session_count(prog)))
        if not free_for(leader.unavailable_weeks, days):
            return False
    if leader.district == cand.district:
        return True
    minutes = scenario.travel(leader.district, cand.district)
    return reach > 0 and minutes is not None and minutes <= reach


def cell_factor(median_weeks: float, target_weeks: int) -> int:
    """Weight, in quarters, of a district × programme queue: 4 at or under the target, one more
    quarter for each quarter of the target its median wait is over it, at most 16 (4×)."""
    if target_weeks <= 0:
        return 4
    over = max(0.0, median_weeks - target_weeks)
    return min(16, 4 + int(4 * over / target_weeks))


@dataclass(frozen=True)
class ParentClass:
    programme: str
    district: str
    kinds: tuple[int, ...]  # indices into Prepared.kinds
    members: tuple[int, ...]  # indices into Prepared.applications, in queue order
    weights: tuple[int, ...]  # per member, non-increasing


@dataclass(frozen=True)
class Kind:
    """Interchangeable candidates: same parents in reach, same possible leaders, same sizes.

    They differ only in start date, so the model chooses how many of them to open and the
    earliest starts are taken first (members are ordered by start, then id). Candidates that
    name rooms form kinds of their own (`bound`), whose members may also differ in room: a room
    may be free for one start and taken for another, so the model chooses which of them open.
    """

    members: tuple[int, ...]  # indices into Prepared.candidates
    district: str
    capacity: int
    min_size: int
    leads: tuple[int, ...]  # indices into Prepared.leaders
    start_weeks: tuple[int, ...]  # per member: whole weeks from the scenario date to the start
    bound: bool = False  # its candidates name rooms: they open in any order, not earliest first


def opened_members(kind: Kind, n: int, picked: tuple[int, ...] | None) -> tuple[int, ...]:
    """The candidates of a kind that open when `n` do: those picked (a kind bound to rooms),
    else its `n` earliest."""
    return picked if picked is not None else kind.members[:n]


@dataclass(frozen=True)
class Prepared:
    scenario: Scenario
    options: RecommendOptions
    applications: tuple[Application, ...]  # canonical (queue date, lottery, id)
    candidates: tuple[CandidateGroup, ...]  # viable ones, by id
    leaders: tuple[Leader, ...]  # by id
    reach: dict[int, tuple[int, ...]]  # candidate -> applications it could serve
    leads: dict[int, tuple[int, ...]]  # candidate -> leaders who could lead it
    kinds: tuple[Kind, ...]
    classes: tuple[ParentClass, ...]
    travel: dict[tuple[int, int], int]  # (class, kind in its reach) -> minutes, home to host
    weight: tuple[int, ...]  # per application
    cell_median: dict[tuple[str, str], float]  # (district, programme) -> median wait, weeks
    not_viable: dict[str, str]  # candidate id -> 'size' | 'leader' | 'room'
    all_candidates: tuple[CandidateGroup, ...]
    # Rooms (rooms.py): rows (candidates, limit) of which at most `limit` open, the pools of
    # interchangeable rooms those rows assume, each viable candidate's room booking, and per
    # viable candidate the viable candidates it clashes with.
    room_rows: tuple[tuple[tuple[int, ...], int], ...] = ()
    room_pools: tuple[RoomPool, ...] = ()
    bookings: dict[int, Booking] = field(default_factory=dict)
    clashes: dict[int, tuple[int, ...]] = field(default_factory=dict)


def prepare(
    scenario: Scenario, candidates: tuple[CandidateGroup, ...], options: RecommendOptions
) -> Prepared:
    apps = tuple(sorted(scenario.applications, key=lambda a: (a.queue_date, a.lottery, a.id)))
    leaders = tuple(sorted(scenario.leaders, key=lambda ld: ld.id))
    all_cands = tuple(sorted(candidates, key=lambda c: c.id))

    cells: dict[tuple[str, str], list[float]] = {}
    for app in apps:
        cells.setdefault((app.district, app.programme), []).append(wait_weeks(app, scenario))
    cell_median = {key: float(median(v)) for key, v in cells.items()}
    weight = tuple(
        cell_factor(cell_median[(a.district, a.programme)], scenario.policy.target_weeks)
        * max(1, int(wait_weeks(a, scenario)))
        for a in apps
    )

    by_programme: dict[str, list[int]] = {}
    for i, app in enumerate(apps):
        by_programme.setdefault(app.programme, []).append(i)

    viable: list[CandidateGroup] = []
    viable_reach: list[tuple[int, ...]] = []
    viable_leads: list[tuple[int, ...]] = []
    not_viable: dict[str, str] = {}
    programmes = {p.slug: p for p in scenario.programmes}
    held = held_by_groups(scenario)
    rooms = {r.id: r for r in scenario.rooms}
    kept = kept_for_plan(scenario, apps, programmes)
    for cand in all_cands:
        prog = programmes.get(cand.programme)
        served = tuple(
            i
            for i in by_programme.get(cand.programme, [])
            if prog is not None and i not in kept and can_serve(apps[i], cand, scenario, prog)
        )
        led = tuple(
            j
            for j, ld in enumerate(leaders)
            if ld.max_groups > 0 and can_lead(ld, cand, scenario, options.leader_reach_minutes)
        )
        if len(served) < max(1, cand.min_size) or cand.capacity < max(1, cand.min_size):
            not_viable[cand.id] = "size"
        elif not led:
            not_viable[cand.id] = "leader"
        elif (b := booking(cand, scenario)) is not None and (
            any(b.clashes(h) for h in held)
            or (b.room in rooms and rooms[b.room].refusal(cand.weekday, cand.slot, cand.capacity))
        ):
            # Its room is taken then, or cannot host it (weekday, slot or size).
            not_viable[cand.id] = "room"
        else:
            viable.append(cand)
            viable_reach.append(served)
            viable_leads.append(led)

    reach = dict(enumerate(viable_reach))
    signature: dict[tuple[Any, ...], list[int]] = {}
    for c, cand in enumerate(viable):
        # Candidates with rooms form kinds of their own: a kind without rooms opens its
        # earliest starts first, while a room may take one start but not another.
        bound = cand.room is not None
        key = (reach[c], viable_leads[c], cand.capacity, cand.min_size, cand.district, bound)
        signature.setdefault(key, []).append(c)
    kinds = []
    for (_, leads, capacity, min_size, district, bound), members in signature.items():
        ordered = sorted(members, key=lambda c: (viable[c].start, viable[c].id))
        weeks = tuple(max(0, (viable[c].start - scenario.as_of).days // 7) for c in ordered)
        kinds.append(Kind(tuple(ordered), district, capacity, min_size, leads, weeks, bound))
    kinds.sort(key=lambda kd: kd.members[0])
    bookings: dict[int, Booking] = {
        c: b for c, cand in enumerate(viable) if (b := booking(cand, scenario)) is not None
    }
    kind_of = {c: s for s, kd in enumerate(kinds) for c in kd.members}
    rows, pools = room_rows(bookings, kind_of)
    clashes = {
        c: tuple(d for d in sorted(bookings) if d != c and b.clashes(bookings[d]))
        for c, b in bookings.items()
    }

    options_of: dict[int, list[int]] = {}
    for s, kind in enumerate(kinds):
        for i in reach[kind.members[0]]:
            options_of.setdefault(i, []).append(s)
    grouped: dict[tuple[str, str, tuple[int, ...]], list[int]] = {}
    for i in sorted(options_of):
        app = apps[i]
        grouped.setdefault((app.programme, app.district, tuple(options_of[i])), []).append(i)
    classes = []
    for (slug, district, cands), members in sorted(grouped.items()):
        # Highest weight first; queue order among equals (members are already in queue order).
        ordered = sorted(members, key=lambda i: (-weight[i], i))
        classes.append(
            ParentClass(slug, district, cands, tuple(ordered), tuple(weight[i] for i in ordered))
        )
    travel = {
        (k, s): scenario.travel(cls.district, kinds[s].district) or 0
        for k, cls in enumerate(classes)
        for s in cls.kinds
    }
    return Prepared(
        scenario=scenario,
        options=options,
        applications=apps,
        candidates=tuple(viable),
        leaders=leaders,
        reach=reach,
        leads=dict(enumerate(viable_leads)),
        kinds=tuple(kinds),
        classes=tuple(classes),
        travel=travel,
        weight=weight,
        cell_median=cell_median,
        not_viable=not_viable,
        all_candidates=all_cands,
        room_rows=tuple(rows),
        room_pools=tuple(pools),
        bookings=bookings,
        clashes={c: d for c, d in clashes.items() if d},
    )
