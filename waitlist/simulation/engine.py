"""Weekly placement rounds over a generated city, one policy at a time.

Each round, in order: arrivals join their queues; groups open for recruiting; parents'
answers arrive and unanswered offers expire; impatient parents withdraw; groups that reached
their start day start or, below minimum size, are cancelled and their parents return with
their original queue date; the policy makes offers on the round's Scenario; (policy 3, monthly)
recommended groups open and invite the parents they name (monthly.py); the week's figures
are recorded. Policy 4 first plans the coming term's groups again, each term (term_plan.py);
a policy whose supply follows applications shares them out again (supply.py), and one whose
groups take the queue's language announces each planned group in it (supply.py).
Parents' answers and patience come from seeded per-parent streams (behaviour.py), never from
the policy.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, timedelta

from solver.types import PlacementResult, Scenario
from waitlist.simulation import policy_runner
from waitlist.simulation.arrivals import Arrival, PlannedGroup, round_date
from waitlist.simulation.behaviour import ParentBehaviour
from waitlist.simulation.calibration import Calibration
from waitlist.simulation.estimates import record_week
from waitlist.simulation.monthly import open_recommended_groups
from waitlist.simulation.policies import PolicySpec
from waitlist.simulation.snapshot import build_scenario
from waitlist.simulation.state import SimApp, SimGroup, SimOffer, SimState
from waitlist.simulation.supply import announced_language, announced_slot, reshare_term
from waitlist.simulation.term_plan import TERM_WEEKS, replan_term
from waitlist.simulation.weekly import week_stats

RoundHook = Callable[[PolicySpec, Scenario, PlacementResult], None]


class Engine:
    def __init__(
        self,
        cal: Calibration,
        seed: int,
        arrivals: list[Arrival],
        plan: list[PlannedGroup],
        *,
        round_hook: RoundHook | None = None,
    ) -> None:
        self.cal = cal
        self.seed = seed
        self.arrivals = arrivals
        self.plan = sorted(plan, key=lambda g: (g.start, g.id))
        self.behaviour = ParentBehaviour(cal, seed)
        self.round_hook = round_hook

    # -- running -------------------------------------------------------------------------
    def warm_up(self, spec: PolicySpec) -> SimState:
        """The city's history before the period, identical for every policy."""
        state = SimState()
        for week in range(self.cal.warmup_weeks):
            self.run_round(spec, state, week, measured=False)
        return state

    def run(
        self, spec: PolicySpec, start: SimState, weeks: int, tick: Callable[[], None]
    ) -> SimState:
        state = copy.deepcopy(start)
        state.counters = {}
        state.history = []
        first = self.cal.warmup_weeks
        for week in range(first, first + weeks):
            self.run_round(spec, state, week, measured=True)
            tick()
        return state

    def run_round(self, spec: PolicySpec, state: SimState, week: int, *, measured: bool) -> None:
        today = round_date(self.cal, week)
        since = week - self.cal.warmup_weeks
        if spec.group_starts == "term_plan" and measured and since % TERM_WEEKS == 0:
            replan_term(self, spec, state, today, week)
        if spec.supply_follows != "plan" and measured and since % TERM_WEEKS == 0:
            reshare_term(self, state, today, week, spec.supply_follows)
        self._arrive(state, week)
        self._open_planned(spec, state, today)
        self._answers(spec, state, today)
        self._withdrawals(state, today)
        self._prompts(spec, state, today)
        self._starts(spec, state, today, week, measured)
        scenario = build_scenario(self.cal, spec, state, today, with_leaders=False)
        result = policy_runner.place(spec, scenario)
        if self.round_hook is not None:
            self.round_hook(spec, scenario, result)
        made = self._apply_offers(spec, state, scenario, result, today)
        if spec.group_starts == "recommendations" and since % spec.recommend_every_weeks == 0:
            made += open_recommended_groups(self, spec, state, today, week)
        if measured:
            state.history.append(week_stats(state, week, today, made, self.cal))
        record_week(state, today, week)  # the wait ranges parents would see, every week

    # -- phases ----------------------------------------------------------------------------
    def _arrive(self, state: SimState, week: int) -> None:
        while (
            state.next_arrival < len(self.arrivals)
            and self.arrivals[state.next_arrival].week <= week
        ):
            a = self.arrivals[state.next_arrival]
            state.apps[a.id] = SimApp(a)
            state.next_arrival += 1

    def _open_planned(self, spec: PolicySpec, state: SimState, today: date) -> None:
        horizon = today + timedelta(weeks=self.cal.recruit_weeks)
        plan = self.plan if state.plan is None else state.plan
        while state.next_planned < len(plan) and plan[state.next_planned].start <= horizon:
            g = plan[state.next_planned]
            state.next_planned += 1
            min_size = min(g.capacity, spec.min_size.get(g.programme, g.min_size))
            language = announced_language(self.cal, spec, state, g)
            state.groups[g.id] = SimGroup(
                id=g.id, programme=g.programme, district=g.district, start=g.start,
                weeks=g.weeks, weekday=g.weekday,
                slot=announced_slot(self.cal, spec, state, g, language), language=language,
                capacity=g.capacity, min_size=min_size,
            )  # fmt: skip

    def _answers(self, spec: PolicySpec, state: SimState, today: date) -> None:
        for app_id in sorted(state.offers):
            offer = state.offers[app_id]
            app, group = state.apps[app_id], state.groups[offer.group]
            r = offer.response
            answered = r.answer != "none" and r.days <= spec.settings.offer_response_days
            if answered and offer.made + timedelta(days=r.days) <= today:
                del state.offers[app_id]
                group.pending.discard(app_id)
                app.expired_in_row = 0
                answered_on = offer.made + timedelta(days=r.days)
                if r.answer == "accepted":
                    app.status, app.group, app.offer_date = "enrolled", group.id, offer.made
                    app.accepted_on = answered_on
                    app.cross_district, app.travel_minutes = (
                        offer.cross_district,
                        offer.travel_minutes,
                    )
                    group.enrolled.add(app_id)
                    state.accepted.append(
                        (self._week(today), app.arrival.district, app.wait_days(today))
                    )
                else:
                    app.status = "waiting"  # declining never changes the queue date (rule 6)
                    app.declined += 1
                    app.declines.append((answered_on, group.district))
                    state.count("declined")
            elif today > offer.respond_by:
                del state.offers[app_id]
                group.pending.discard(app_id)
                app.expired_in_row += 1
                app.expiries.append(offer.respond_by)
                state.count("expired_offers")
                if app.expired_in_row >= self.cal.max_expired_offers:
                    app.status, app.ended = "expired", today
                else:
                    app.status = "waiting"

    def _withdrawals(self, state: SimState, today: date) -> None:
        for app in state.apps.values():
            if app.status == "waiting":
                waited = (today - app.arrival.queue_date).days / 7.0
                if waited >= self.behaviour.patience_weeks(app.id):
                    app.status, app.ended = "withdrawn", today

    def _prompts(self, spec: PolicySpec, state: SimState, today: date) -> None:
        """The policy's opt-in prompt: a parent who did not opt in, still waiting after
        `opt_in_prompt_weeks`, is asked once whether a seat in another district within
        `opt_in_prompt_minutes` would do; their answer is their own seeded draw."""
        weeks = spec.opt_in_prompt_weeks
        if weeks is None:
            return
        for app in state.apps.values():
            if (
                app.status != "waiting"
                or app.arrival.cross_district
                or app.prompt_minutes is not None
            ):
                continue
            if (today - app.arrival.queue_date).days < 7 * weeks:
                continue
            yes = self.behaviour.says_yes_to_prompt(app.id)
            app.prompt_minutes = spec.opt_in_prompt_minutes if yes else 0
            state.count("opt_in_prompts")
            state.count("opt_in_prompt_yes", int(yes))

    def _starts(
        self, spec: PolicySpec, state: SimState, today: date, week: int, measured: bool
    ) -> None:
        for group in sorted(state.groups.values(), key=lambda g: g.id):
            if group.status == "running" and group.end <= today:
                group.status = "completed"
                self._free_leader(state, group)
            if group.status != "recruiting" or group.start > today:
                continue
            group.decided_week, group.decided_on = week, today
            if len(group.enrolled) >= group.min_size:
                group.status = "running"
                for app_id in group.enrolled:
                    state.apps[app_id].status = "placed"
                if measured:
                    state.count("groups_started")
            else:
                # Rule 7: not started; its parents return with their original queue date.
                group.status = "cancelled"
                for app_id in sorted(group.enrolled):
                    app = state.apps[app_id]
                    app.status, app.group, app.offer_date = "waiting", None, None
                    app.returned += 1
                    app.returned_on = today
                group.enrolled.clear()
                self._free_leader(state, group)
                if spec.cancelled_leader_weeks and group.origin == "plan":
                    # The leader booked for it may lead a recommended group instead.
                    until = today + timedelta(weeks=spec.cancelled_leader_weeks)
                    state.freed_leaders[f"f-{group.id}"] = (group.district, until)
                if measured:
                    state.count("groups_cancelled")

    def _free_leader(self, state: SimState, group: SimGroup) -> None:
        if group.leader is not None:
            state.leader_groups.get(group.leader, set()).discard(group.id)

    def _apply_offers(
        self,
        spec: PolicySpec,
        state: SimState,
        scenario: Scenario,
        result: PlacementResult,
        today: date,
    ) -> int:
        offered = {g.id for g in scenario.groups}
        made = 0
        for offer in result.offers:
            app, group = state.apps.get(offer.application), state.groups.get(offer.group)
            if app is None or group is None or group.id not in offered:
                state.count("offers_refused_by_engine")
                continue
            made += self.offer(spec, state, app, group, today)
        return made

    def offer(
        self, spec: PolicySpec, state: SimState, app: SimApp, group: SimGroup, today: date
    ) -> int:
        """Make one offer if the parent waits and a seat is free (rule 3: never overbook)."""
        if app.status != "waiting" or group.status != "recruiting" or group.taken >= group.capacity:
            state.count("offers_refused_by_engine")
            return 0
        travel = self.cal.travel.get(app.arrival.district, {}).get(group.district, 0)
        cross = group.district != app.arrival.district
        response = self.behaviour.response(app.id, app.offers, cross_district=cross)
        app.offers += 1
        app.first_offer = app.first_offer or today
        app.status = "offered"
        group.pending.add(app.id)
        respond_by = today + timedelta(days=spec.settings.offer_response_days)
        state.offers[app.id] = SimOffer(
            app.id, group.id, today, respond_by, response, cross, travel
        )
        return 1

    def _week(self, today: date) -> int:
        return self.cal.warmup_weeks + (today - self.cal.start).days // 7
