"""Next term's groups, planned where the need is (solver.planning), for management and
coordinators.

Given the term's budget of groups per programme, `plan_next_term` reads the live database:
the parents waiting now, those who applied in the last LOOKBACK_WEEKS (the pace and mix of
new applications, scaled to the weeks until the term ends), the free seats of groups already
recruiting or planned before the term (counted as serving their district's queue first), the
travel times, and the leaders (a district can host as many groups a term as its leaders can
lead, one run after another). The usual plan, the yardstick of every effect, shares each
programme's budget out by children 0-17, as supply follows population today.
Nothing is stored: the plan is advice, and the groups are created as usual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import col, select

from solver.planning import PlanOptions, TermInput, TermPlan, forecast_demand, plan_term
from solver.types import Application as SApplication
from waitlist.domain.errors import Forbidden, InvalidInput
from waitlist.services import access
from waitlist.services.scenario_export import database_scenario, solver_application
from waitlist.storage.tables import Application, District, Programme
from waitlist.storage.uow import UnitOfWork

TERM_WEEKS = 20
LOOKBACK_WEEKS = 26
LEAD_WEEKS = 4  # the earliest term start: time to book rooms and recruit
GROUP_WEEKS = 10  # a leader runs about two groups one after another in a term of 20 weeks
OPTIONS = PlanOptions()


@dataclass(frozen=True)
class PlannedTerm:
    as_of: date
    term_start: date
    term_weeks: int
    budget: dict[str, int]
    plan: TermPlan
    district_names: dict[str, str]
    programme_names: dict[str, str]


@dataclass(frozen=True)
class TermRequest:
    """What is asked, checked: the day the queues are read, the term and its budget."""

    as_of: date
    term_start: date
    term_weeks: int
    budget: dict[str, int]


@dataclass(frozen=True)
class TermData:
    """The planner's input read from the database, with the names to word its plan."""

    data: TermInput
    district_names: dict[str, str]
    programme_names: dict[str, str]


def plan_next_term(
    uow: UnitOfWork,
    actor: access.Actor,
    budget: dict[str, int],
    *,
    term_start: date | None = None,
    term_weeks: int = TERM_WEEKS,
    as_of: date | None = None,
    options: PlanOptions = OPTIONS,
    progress: Callable[[int, int], None] | None = None,
) -> PlannedTerm:
    """Where to plan the term's `budget` (programme -> groups) so that waits even out.

    Forbidden unless the actor is management or a coordinator; InvalidInput naming the field
    for an unknown programme, a negative or empty budget, or a term out of range."""
    with uow:
        asked = checked_request(
            uow, actor, budget, term_start=term_start, term_weeks=term_weeks, as_of=as_of
        )
        read = term_data(uow, asked)
    return planned_term(asked, read, options, progress)


def checked_request(
    uow: UnitOfWork,
    actor: access.Actor,
    budget: dict[str, int],
    *,
    term_start: date | None = None,
    term_weeks: int = TERM_WEEKS,
    as_of: date | None = None,
) -> TermRequest:
    """The request, checked inside the caller's transaction (see `plan_next_term`)."""
    require_planner(actor)
    day = as_of or uow.today()
    start = term_start or day + timedelta(weeks=LEAD_WEEKS)
    programmes = set(uow.session.exec(select(Programme.slug)).all())
    _check(budget, programmes, day, start, term_weeks)
    return TermRequest(day, start, term_weeks, dict(budget))


def require_planner(actor: access.Actor) -> None:
    if actor.kind != "staff" or actor.role not in (access.MANAGEMENT, access.COORDINATOR):
        raise Forbidden("Only management and coordinators plan terms.", field="actor")


def term_data(uow: UnitOfWork, asked: TermRequest) -> TermData:
    """The planner's input as the database holds it (inside the caller's transaction)."""
    day, start, term_weeks, budget = asked.as_of, asked.term_start, asked.term_weeks, asked.budget
    scenario = database_scenario(uow, day)
    ends = start + timedelta(weeks=term_weeks)
    free: dict[tuple[str, str], int] = {}
    for g in scenario.groups:
        if g.start < start:
            free[g.district, g.programme] = free.get((g.district, g.programme), 0) + g.free
    wanted = {prog for prog, n in budget.items() if n > 0}
    demand = forecast_demand(
        [a for a in scenario.applications if a.programme in wanted],
        [a for a in _recent(uow, day) if a.programme in wanted],
        lookback_weeks=LOOKBACK_WEEKS,
        horizon_weeks=max(1, (ends - day).days // 7),
        free_seats=free,
    )
    limits: dict[str, int] = {}
    for leader in scenario.leaders:
        runs = leader.max_groups * max(1, term_weeks // GROUP_WEEKS)
        limits[leader.district] = limits.get(leader.district, 0) + runs
    if scenario.leaders:  # leaders are known: a district without any hosts nothing
        limits = {d.slug: limits.get(d.slug, 0) for d in scenario.districts}
    children = {d.slug: d.children_0_17 or 0 for d in uow.session.exec(select(District)).all()}
    data = TermInput(
        term_start=start,
        term_weeks=term_weeks,
        districts=scenario.districts,
        programmes=scenario.programmes,
        travel_minutes=scenario.travel_minutes,
        demand=demand,
        budget=dict(budget),
        baseline=by_population(budget, children),
        host_limits=limits,
    )
    return TermData(
        data,
        district_names={d.slug: d.name for d in scenario.districts},
        programme_names={p.slug: p.name for p in scenario.programmes},
    )


def planned_term(
    asked: TermRequest,
    read: TermData,
    options: PlanOptions = OPTIONS,
    progress: Callable[[int, int], None] | None = None,
) -> PlannedTerm:
    """Solve the plan (no database: the long part, run outside any transaction)."""
    return PlannedTerm(
        as_of=asked.as_of,
        term_start=asked.term_start,
        term_weeks=asked.term_weeks,
        budget=dict(asked.budget),
        plan=plan_term(read.data, options, progress),
        district_names=read.district_names,
        programme_names=read.programme_names,
    )


def by_population(budget: dict[str, int], children: dict[str, int]) -> dict[tuple[str, str], int]:
    """Each programme's groups shared out by children 0-17 (largest remainder; evenly when no
    district's children are known): the usual plan."""
    weights = children if any(children.values()) else dict.fromkeys(children, 1)
    total = sum(weights.values())
    out: dict[tuple[str, str], int] = {}
    for prog, n in sorted(budget.items()):
        if n <= 0 or total <= 0:
            continue
        exact = {d: n * w / total for d, w in weights.items()}
        share = {d: int(v) for d, v in exact.items()}
        left = n - sum(share.values())
        for d in sorted(exact, key=lambda d: (share[d] - exact[d], d))[:left]:
            share[d] += 1
        out.update({(d, prog): k for d, k in share.items() if k})
    return out


def _check(
    budget: dict[str, int], programmes: set[str], day: date, start: date, weeks: int
) -> None:
    for prog, n in budget.items():
        if prog not in programmes:
            raise InvalidInput(f"budget: unknown programme {prog!r}", field=f"budget.{prog}")
        if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 500:
            raise InvalidInput(
                f"budget.{prog}: must be a whole number from 0 to 500", field=f"budget.{prog}"
            )
    if sum(budget.values()) <= 0:
        raise InvalidInput("budget: give at least one programme one group or more", field="budget")
    if start < day:
        raise InvalidInput("term_start: the term cannot start in the past", field="term_start")
    if not 1 <= weeks <= 52:
        raise InvalidInput("term_weeks: must be from 1 to 52 weeks", field="term_weeks")


def _recent(uow: UnitOfWork, day: date) -> list[SApplication]:
    """Applications queued in the last LOOKBACK_WEEKS, whatever became of them: the pace."""
    since = day - timedelta(weeks=LOOKBACK_WEEKS)
    rows = uow.session.exec(
        select(Application)
        .where(Application.queue_date >= since, Application.queue_date < day)
        .order_by(col(Application.id))
    ).all()
    return [solver_application(a) for a in rows]
