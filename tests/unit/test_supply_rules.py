"""Where planned groups go and in which language (waitlist.domain.supply), and the policy
levers that use them in the simulation: each term's groups shared by applications, groups
announced in the queue's language, leaders who lead groups in a neighbouring district."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.simulation_city import CALIBRATION, small_city
from waitlist.domain.errors import InvalidInput
from waitlist.domain.supply import (
    can_come,
    language_for_queue,
    no_seat_in_sight,
    only_takes,
    share_by_projected_wait,
    share_groups,
    slot_for_queue,
    unseated_demand,
)
from waitlist.simulation import builtin_policies
from waitlist.simulation.arrivals import (
    Arrival,
    PlannedGroup,
    generate_arrivals,
    generate_plan,
    round_date,
)
from waitlist.simulation.engine import Engine
from waitlist.simulation.policies import parse_policy
from waitlist.simulation.policy_runner import _recommend_options
from waitlist.simulation.snapshot import free_leaders, leader_ids
from waitlist.simulation.state import SimApp, SimGroup, SimState
from waitlist.simulation.supply import announced_language, announced_slot, leader_languages
from waitlist.simulation.term_plan import TERM_WEEKS

KEYS = st.sampled_from(["a", "b", "c", "d", "e"])
LANGS = st.sampled_from(["sv", "ar", "so", "ti"])


@given(st.integers(0, 60), st.dictionaries(KEYS, st.floats(0, 500), min_size=1))
def test_a_budget_is_shared_exactly_and_each_share_is_its_quota_rounded(budget, weights):
    shares = share_groups(budget, weights)
    assert set(shares) == set(weights)
    assert sum(shares.values()) == budget
    total = sum(weights.values())
    for key, n in shares.items():
        quota = budget * weights[key] / total if total > 0 else budget / len(weights)
        assert math.floor(quota) - 1e-9 <= n <= math.ceil(quota) + 1e-9


@given(st.integers(0, 60), st.dictionaries(KEYS, st.floats(0, 500), min_size=2))
def test_more_applications_never_mean_fewer_groups(budget, weights):
    shares = share_groups(budget, weights)
    ordered = sorted(weights, key=lambda k: weights[k])
    for low, high in zip(ordered, ordered[1:], strict=False):
        if weights[high] > weights[low]:
            assert shares[high] >= shares[low]


def test_share_groups_by_applications():
    assert share_groups(10, {"north": 60, "centre": 30, "south": 10}) == {
        "north": 6,
        "centre": 3,
        "south": 1,
    }
    assert share_groups(3, {"north": 0, "south": 0}) == {"north": 2, "south": 1}  # equal shares
    with pytest.raises(ValueError):
        share_groups(-1, {"north": 1})


DEMAND = st.dictionaries(KEYS, st.one_of(st.just(0.0), st.floats(0.5, 500)), min_size=1)


def _wait(demand: float, groups: int) -> float:
    """A queue's projected wait per group (the unit does not matter for comparing)."""
    return math.inf if groups == 0 else demand / groups


@given(st.integers(0, 60), DEMAND)
def test_a_budget_shared_by_projected_wait_is_exact_and_leaves_none_longer_than_needed(
    budget, demand
):
    shares = share_by_projected_wait(budget, demand)
    assert set(shares) == set(demand)
    assert sum(shares.values()) == budget
    wanting = [k for k in demand if demand[k] > 0]
    if not wanting:
        return
    assert all(shares[k] == 0 for k in demand if demand[k] == 0)
    # No group could go elsewhere and shorten the longest projected wait: every district's
    # wait with its groups is at most any other's wait without its last group.
    longest = max(_wait(demand[k], shares[k]) for k in wanting)
    for k in wanting:
        if shares[k] > 0:
            assert longest <= _wait(demand[k], shares[k] - 1) * (1 + 1e-9)


@given(st.integers(0, 60), DEMAND)
def test_every_district_with_parents_to_seat_gets_a_group_before_any_gets_a_second(budget, demand):
    shares = share_by_projected_wait(budget, demand)
    wanting = [k for k in demand if demand[k] > 0]
    if any(shares[k] == 0 for k in wanting):
        assert all(n <= 1 for n in shares.values())
    if wanting and budget >= len(wanting):
        assert all(shares[k] >= 1 for k in wanting)


@given(st.integers(0, 60), DEMAND)
def test_more_parents_to_seat_never_mean_fewer_groups(budget, demand):
    shares = share_by_projected_wait(budget, demand)
    for low in demand:
        for high in demand:
            if demand[high] > demand[low]:
                assert shares[high] >= shares[low]


@given(st.integers(0, 200), st.integers(0, 200), st.integers(-5, 200))
def test_parents_to_seat_are_the_queue_and_the_expected_less_the_free_seats(
    waiting, expected, free
):
    assert unseated_demand(waiting, expected, free) == max(0, waiting + expected - max(0, free))


def test_share_by_projected_wait():
    # The first group each, then where the most parents are left per group.
    assert share_by_projected_wait(7, {"north": 30, "centre": 10, "south": 5}) == {
        "centre": 2,
        "north": 4,
        "south": 1,
    }
    # Applications would give the south nothing (share_groups: 4, 1, 0); its queue gets one.
    assert share_by_projected_wait(5, {"north": 40, "centre": 10, "south": 3})["south"] == 1
    assert share_groups(5, {"north": 40, "centre": 10, "south": 3})["south"] == 0
    assert share_by_projected_wait(3, {"north": 0, "south": 0}) == {"north": 2, "south": 1}
    assert share_by_projected_wait(3, {"north": 5, "south": 0}) == {"north": 3, "south": 0}
    with pytest.raises(ValueError):
        share_by_projected_wait(-1, {"north": 1})


QUEUE = st.lists(st.lists(LANGS, min_size=1, max_size=2, unique=True), max_size=30)
SIZE = st.integers(1, 8)


@given(QUEUE, st.sets(LANGS), LANGS, SIZE)
def test_a_group_is_announced_in_an_allowed_language_or_the_planned_one(
    unseated, allowed, plan, size
):
    chosen = language_for_queue(unseated, allowed, plan, size)
    assert chosen == plan or chosen in allowed


@given(QUEUE, st.sets(LANGS), LANGS, SIZE)
def test_a_language_is_changed_only_for_enough_parents_who_have_no_other(
    unseated, allowed, plan, size
):
    usable = allowed | {plan}
    only = Counter()
    for langs in unseated:
        if len(usable & set(langs)) == 1:
            only.update(usable & set(langs))
    chosen = language_for_queue(unseated, allowed, plan, size)
    if chosen != plan:
        assert only[chosen] >= size
        assert only[chosen] > only[plan]
    assert all(only[lang] <= max(only[chosen], size - 1) for lang in usable)


def test_parents_who_also_take_swedish_do_not_move_the_language():
    queue = [("ar",)] * 5 + [("sv",)] * 2 + [("ar", "sv")] * 9
    assert language_for_queue(queue, {"sv", "ar"}, "sv", 5) == "ar"
    assert language_for_queue(queue, {"sv", "ar"}, "sv", 6) == "sv"  # too few to start it
    assert language_for_queue(queue, {"sv"}, "sv", 5) == "sv"  # no leader for Arabic
    assert language_for_queue([("ar", "sv")] * 9, {"sv", "ar"}, "sv", 5) == "sv"
    assert language_for_queue([], {"sv", "ar"}, "ar", 5) == "ar"  # nobody waits: as planned


SLOTS = st.sampled_from(["day", "evening"])


@given(st.lists(st.lists(SLOTS, min_size=1, max_size=2, unique=True), max_size=30), SLOTS)
def test_a_group_is_announced_at_the_time_the_most_parents_with_no_seat_can_come(unseated, plan):
    can = Counter(slot for slots in unseated for slot in slots)
    chosen = slot_for_queue(unseated, plan)
    assert can[chosen] == max([can[plan], *can.values()])
    if can[plan] == can[chosen]:
        assert chosen == plan  # the plan's slot stays unless another suits strictly more
    assert slot_for_queue(list(reversed(unseated)), plan) == chosen  # not the queue's order


def test_parents_who_can_come_at_any_time_do_not_move_the_slot():
    day_only, evening_only, any_time = [("day",)], [("evening",)], [("day", "evening")]
    assert slot_for_queue(day_only * 3 + evening_only * 2 + any_time * 9, "evening") == "day"
    assert slot_for_queue(day_only * 2 + evening_only * 2 + any_time * 9, "evening") == "evening"
    assert slot_for_queue(any_time * 9, "day") == "day"
    assert slot_for_queue([], "evening") == "evening"  # nobody waits: as planned


@given(
    st.lists(st.sets(st.sampled_from("abc"), max_size=3), max_size=25),
    st.dictionaries(st.sampled_from("abc"), st.integers(0, 6)),
    st.randoms(use_true_random=False),
)
def test_each_free_seat_takes_one_parent_off_the_queue_at_most(queue, seats, rnd):
    parents = list(enumerate(queue))  # (place in the queue, the groups that would suit them)

    def suits(parent: tuple[int, set[str]], group: str) -> bool:
        return group in parent[1]

    left = no_seat_in_sight(parents, seats, suits)
    assert left == [p for p in parents if p in left]  # in queue order, nobody new
    seated = [p for p in parents if p not in left]
    assert len(seated) <= sum(seats.values())
    # Nobody is left while a seat that suits them is still free after everyone before them.
    free = dict(seats)
    for parent in parents:
        fits = sorted(g for g in parent[1] if free.get(g, 0) > 0)
        assert (parent in left) == (not fits)
        if fits:
            free[fits[0]] -= 1
    shuffled = list(seats.items())
    rnd.shuffle(shuffled)
    assert no_seat_in_sight(parents, dict(shuffled), suits) == left  # not the seats' order


def test_no_seat_in_sight_counts_each_seat_once():
    queue = ["first", "second", "third"]
    assert no_seat_in_sight(queue, {1: 2}, lambda p, g: True) == ["third"]
    assert no_seat_in_sight(queue, {1: 0}, lambda p, g: True) == queue
    assert no_seat_in_sight(queue, {1: 5}, lambda p, g: p != "second") == ["second"]
    assert only_takes([{"sv", "ar"}, {"ar"}, {"so"}, {"fi"}], {"sv", "ar", "so"}) == {
        "ar": 1,
        "so": 1,
    }
    assert can_come([("day",), ("day", "evening"), ()]) == {"day": 2, "evening": 1}


def test_the_policy_file_states_the_supply_levers_and_the_report_records_them():
    spec = parse_policy(
        {
            "name": "p",
            "group_starts": "recommendations",
            "supply_follows": "applications",
            "planned_language": "queue",
            "leader_reach_minutes": 20,
        }
    )
    described = spec.describe()
    assert described["supply_follows"] == "applications"
    assert described["planned_language"] == "queue"
    assert described["leader_reach_minutes"] == 20
    assert _recommend_options(spec).leader_reach_minutes == 20
    plain = parse_policy({"name": "q"})
    assert (plain.supply_follows, plain.planned_language, plain.leader_reach_minutes) == (
        "plan",
        "plan",
        0,
    )


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ({"supply_follows": "need"}, "supply_follows"),
        ({"planned_language": "any"}, "planned_language"),
        ({"planned_slot": "morning"}, "planned_slot"),
        (
            {"cancelled_leader_weeks": 0, "group_starts": "recommendations"},
            "cancelled_leader_weeks",
        ),
        ({"cancelled_leader_weeks": 6}, "cancelled_leader_weeks"),  # no recommendations to lead
        ({"cancelled_leader_weeks": 6, "group_starts": "term_plan"}, "cancelled_leader_weeks"),
        ({"leader_reach_minutes": -5}, "leader_reach_minutes"),
        ({"leader_reach_minutes": "20"}, "leader_reach_minutes"),
        ({"supply_follows": "applications", "group_starts": "term_plan"}, "supply_follows"),
        ({"supply_follows": "projected_wait", "group_starts": "term_plan"}, "supply_follows"),
        ({"supply_follows": "wait"}, "supply_follows"),
    ],
)
def test_a_bad_supply_lever_is_refused_naming_the_key(raw, field):
    with pytest.raises(InvalidInput) as err:
        parse_policy({"name": "p", **raw})
    assert err.value.field == field
    assert field in err.value.message


def test_leaders_within_reach_bring_their_languages(tmp_path):
    city = small_city(tmp_path)
    komet = next(p for p in city.programmes if p["slug"] == "komet")
    abc = next(p for p in city.programmes if p["slug"] == "abc")
    assert leader_languages(city, "centre", komet, 0) == {"sv"}
    assert leader_languages(city, "centre", komet, 20) == {"sv", "ar"}  # north is 18 min away
    assert leader_languages(city, "south", komet, 20) == {"sv"}  # north is 35 min away
    assert leader_languages(city, "centre", abc, 20) == {"sv"}  # ABC is run in Swedish only


def _run(city, spec, weeks):  # noqa: ANN001, ANN202
    total = city.warmup_weeks + weeks
    plan = generate_plan(city, 11, total)
    engine = Engine(city, 11, generate_arrivals(city, 11, total), plan)
    state = engine.warm_up(builtin_policies()[0])
    for week in range(city.warmup_weeks, total):
        engine.run_round(spec, state, week, measured=True)
        assert all(g.taken <= g.capacity for g in state.groups.values())
    return engine, state


def _recommending(name: str, **levers: object):  # noqa: ANN202
    """A policy with monthly recommended groups and the given levers."""
    return parse_policy({"name": name, "group_starts": "recommendations", **levers})


def _term_shares(tmp_path, policy: dict[str, str]) -> tuple[Counter, Counter]:  # noqa: ANN001
    """Groups per (programme, district) starting in the first re-shared term, as planned and
    as the policy shared them; the budget per programme is the same in both."""
    city = small_city(tmp_path)
    spec = parse_policy(policy)
    assert spec.describe()["supply_follows"] == policy["supply_follows"]
    engine, state = _run(city, spec, TERM_WEEKS + 2)
    assert state.counters["terms_reshared"] == 2
    opens = round_date(city, city.warmup_weeks) + timedelta(weeks=city.recruit_weeks)
    ends = opens + timedelta(weeks=TERM_WEEKS)

    def term(groups) -> Counter:  # noqa: ANN001
        return Counter((g.programme, g.district) for g in groups if opens < g.start <= ends)

    before, after = term(engine.plan), term(state.plan or [])
    for prog in ("komet", "abc"):
        assert sum(n for (p, _), n in after.items() if p == prog) == sum(
            n for (p, _), n in before.items() if p == prog
        )
    return before, after


def _in(district: str, shares: Counter) -> int:
    return sum(n for (_, d), n in shares.items() if d == district)


def test_each_term_is_shared_by_applications_within_the_same_budget(tmp_path):
    before, after = _term_shares(tmp_path, {"name": "share", "supply_follows": "applications"})
    # North applies most (need 1.8 against 0.6 in the south): it gains groups, south loses.
    assert _in("north", after) > _in("north", before)
    assert _in("south", after) < _in("south", before)


def test_each_term_is_shared_by_projected_wait_within_the_same_budget(tmp_path):
    before, after = _term_shares(tmp_path, {"name": "wait", "supply_follows": "projected_wait"})
    assert after != before
    # The north's queue is the longest (need 1.8 against 0.6 in the south): it gains groups.
    assert _in("north", after) > _in("north", before)


def _waiting(
    n: int,
    district: str,
    languages: tuple[str, ...],
    *,
    start: int = 0,
    slots: tuple[str, ...] = ("evening",),
) -> list:
    return [
        SimApp(
            Arrival(
                id=f"a-{district}-{start + i}", week=0, queue_date=date(2025, 12, 1) + timedelta(i),
                programme="komet", district=district, child_birth="2019-05", languages=languages,
                slots=slots, cross_district=True, max_travel_minutes=20, lottery=i,
            )
        )
        for i in range(n)
    ]  # fmt: skip


def _planned(district: str, language: str = "sv") -> PlannedGroup:
    return PlannedGroup(
        id=f"g-{district}", programme="komet", district=district, start=date(2026, 3, 5),
        weeks=6, weekday="thu", slot="evening", language=language, capacity=10, min_size=5,
    )  # fmt: skip


def _state(apps: list, groups: tuple = ()) -> SimState:
    return SimState(apps={a.id: a for a in apps}, groups={g.id: g for g in groups})


def test_a_group_is_announced_in_the_language_parents_with_no_seat_can_only_take(tmp_path):
    city = small_city(tmp_path)
    queue = parse_policy({"name": "queue", "planned_language": "queue"})
    plain = parse_policy({"name": "plain"})
    arabic_only = _waiting(5, "north", ("ar",)) + _waiting(8, "north", ("sv", "ar"), start=5)
    group = _planned("north")
    assert announced_language(city, queue, _state(arabic_only), group) == "ar"
    assert announced_language(city, plain, _state(arabic_only), group) == "sv"  # as planned
    # Four are too few to start it; the parents who also take Swedish do not count.
    assert announced_language(city, queue, _state(arabic_only[1:]), group) == "sv"
    # An Arabic group recruiting within their reach with free seats: they have a seat in sight.
    recruiting = SimGroup(
        id="r-1", programme="komet", district="centre", start=date(2026, 2, 5), weeks=6,
        weekday="thu", slot="evening", language="ar", capacity=10, min_size=5,
    )  # fmt: skip
    assert announced_language(city, queue, _state(arabic_only, (recruiting,)), group) == "sv"


def test_a_group_is_announced_at_the_time_its_queue_with_no_seat_can_come(tmp_path):
    city = small_city(tmp_path)
    queue = parse_policy({"name": "queue", "planned_language": "queue", "planned_slot": "queue"})
    plain = parse_policy({"name": "plain", "planned_language": "queue"})
    days = _waiting(3, "north", ("sv",), slots=("day",)) + _waiting(
        2, "north", ("sv",), start=3
    )  # three who can come only by day, two only in the evening
    group = _planned("north")  # planned for the evening
    assert announced_slot(city, queue, _state(days), group, "sv") == "day"
    assert announced_slot(city, plain, _state(days), group, "sv") == "evening"  # as planned
    assert queue.describe()["planned_slot"] == "queue"
    assert plain.describe()["planned_slot"] == "plan"
    # Parents who do not take the group's language are not its queue.
    assert announced_slot(city, queue, _state(days), group, "ar") == "evening"
    # A day group recruiting at home with free seats: the day parents have a seat in sight.
    recruiting = SimGroup(
        id="r-1", programme="komet", district="north", start=date(2026, 2, 5), weeks=6,
        weekday="thu", slot="day", language="sv", capacity=10, min_size=5,
    )  # fmt: skip
    assert announced_slot(city, queue, _state(days, (recruiting,)), group, "sv") == "evening"
    # An evening group does not put the day parents' seat in sight.
    evening = SimGroup(
        id="r-2", programme="komet", district="north", start=date(2026, 2, 5), weeks=6,
        weekday="thu", slot="evening", language="sv", capacity=2, min_size=2,
    )  # fmt: skip
    assert announced_slot(city, queue, _state(days, (evening,)), group, "sv") == "day"


def _cancelled_planned_group(city, spec, origin: str = "plan") -> tuple[SimState, date]:  # noqa: ANN001
    """A planned group that reaches its start day with too few parents, under `spec`."""
    engine = Engine(city, 11, [], [])
    today = date(2026, 3, 5)
    group = SimGroup(
        id="g-south-komet-1", programme="komet", district="south", start=today, weeks=6,
        weekday="thu", slot="evening", language="sv", capacity=10, min_size=5, origin=origin,
    )  # fmt: skip
    state = _state(_waiting(2, "south", ("sv",)), (group,))
    for app in state.apps.values():
        app.status, app.group = "enrolled", group.id
        group.enrolled.add(app.id)
    engine._starts(spec, state, today, week=40, measured=True)
    assert group.status == "cancelled"
    return state, today


def test_a_cancelled_planned_groups_leader_may_lead_one_recommended_group_for_a_while(tmp_path):
    city = small_city(tmp_path)
    spec = parse_policy(
        {"name": "freed", "group_starts": "recommendations", "cancelled_leader_weeks": 6}
    )
    assert spec.describe()["cancelled_leader_weeks"] == 6
    state, today = _cancelled_planned_group(city, spec)
    freed = [lead for lead in free_leaders(city, state, today) if lead.id.startswith("f-")]
    assert [(lead.district, lead.max_groups, lead.languages) for lead in freed] == [
        ("south", 1, ("sv",))  # the south's pool leaders lead in Swedish
    ]
    assert set(freed[0].programmes) == {p["slug"] for p in city.programmes}
    # Still free six weeks on, not a day later.
    assert [lead.id for lead in free_leaders(city, state, today + timedelta(weeks=6))
            if lead.id.startswith("f-")] == [freed[0].id]  # fmt: skip
    later = free_leaders(city, state, today + timedelta(weeks=6, days=1))
    assert not [lead for lead in later if lead.id.startswith("f-")]
    # Once given a group they lead that one only, even after it ends.
    state.leader_groups[freed[0].id] = set()
    assert not [lead for lead in free_leaders(city, state, today) if lead.id.startswith("f-")]


def test_without_the_lever_a_cancelled_groups_leader_is_not_free(tmp_path):
    city = small_city(tmp_path)
    plain = parse_policy({"name": "plain", "group_starts": "recommendations"})
    state, today = _cancelled_planned_group(city, plain)
    assert not state.freed_leaders
    spec = parse_policy(
        {"name": "freed", "group_starts": "recommendations", "cancelled_leader_weeks": 6}
    )
    # A recommended group's leader is a pool leader already: freed as before, not twice.
    state, today = _cancelled_planned_group(city, spec, origin="recommended")
    assert not state.freed_leaders


def test_a_year_with_freed_leaders_keeps_every_leader_to_their_groups(tmp_path):
    city = small_city(tmp_path)
    spec = _recommending(
        "freed", planned_slot="queue", cancelled_leader_weeks=6, min_size={"komet": 8}
    )  # a minimum of 8: many planned groups are cancelled
    _, state = _run(city, spec, 30)
    assert state.freed_leaders
    led = Counter(g.leader for g in state.groups.values() if g.leader and g.leader.startswith("f-"))
    assert led, "no freed leader led a recommended group"
    assert set(led.values()) == {1}
    assert set(led) <= set(state.freed_leaders)


def test_a_neighbouring_districts_leaders_bring_their_language_within_reach(tmp_path):
    city = small_city(tmp_path)  # only the north runs groups in Arabic; centre is 18 min away
    near = parse_policy({"name": "near", "planned_language": "queue", "leader_reach_minutes": 20})
    home = parse_policy({"name": "home", "planned_language": "queue"})
    state = _state(_waiting(6, "centre", ("ar",)))
    assert announced_language(city, home, state, _planned("centre")) == "sv"
    assert announced_language(city, near, state, _planned("centre")) == "ar"
    south = _state(_waiting(6, "south", ("ar",)))  # 35 minutes from the north
    assert announced_language(city, near, south, _planned("south")) == "sv"


def test_a_year_of_rounds_with_the_supply_levers_keeps_every_seat_rule(tmp_path):
    city = small_city(tmp_path)
    spec = _recommending(
        "all", supply_follows="applications", planned_language="queue", leader_reach_minutes=20
    )
    _, state = _run(city, spec, 30)  # _run checks no group is ever over capacity
    assert state.counters["groups_started"] > 0
    assert state.counters["groups_recommended"] > 0
    most = {lid: max_groups for lid, max_groups, *_ in leader_ids(city)}
    for lead, groups in state.leader_groups.items():
        assert len(groups) <= most[lead]


def test_parents_who_did_not_opt_in_are_asked_once_and_their_answer_is_their_own(tmp_path):
    city = small_city(tmp_path)
    spec = parse_policy({"name": "ask", "opt_in_prompt_weeks": 3, "opt_in_prompt_minutes": 20})
    assert spec.describe()["opt_in_prompt_weeks"] == 3
    _, asked = _run(city, spec, 12)
    _, again = _run(city, spec, 12)
    _, never = _run(city, parse_policy({"name": "plain"}), 12)
    prompted = [a for a in asked.apps.values() if a.prompt_minutes is not None]
    assert prompted and asked.counters["opt_in_prompts"] == len(prompted)
    assert all(not a.arrival.cross_district for a in prompted)  # only those who did not opt in
    yes = [a for a in prompted if a.prompt_minutes]
    assert 0 < len(yes) < len(prompted)  # about half say yes (the calibration's share)
    assert all(a.opted_in and a.travel_limit == 20 for a in yes)
    assert {a.id: a.prompt_minutes for a in prompted} == {
        a.id: a.prompt_minutes for a in again.apps.values() if a.prompt_minutes is not None
    }
    assert all(a.prompt_minutes is None for a in never.apps.values())
    # A parent who said yes may now be placed in another district, within the 20 minutes.
    moved = [a for a in yes if a.status in ("enrolled", "placed") and a.cross_district]
    assert all(a.travel_minutes <= 20 for a in moved)


def test_the_share_who_say_yes_is_a_calibration_assumption(tmp_path):
    behaviour = dict(CALIBRATION["behaviour"], prompt_yes_share=1.0)
    city = small_city(tmp_path, behaviour=behaviour)
    assert city.prompt_yes_share == 1.0
    assert small_city(tmp_path).prompt_yes_share == 0.5  # when the file gives none
    with pytest.raises(InvalidInput) as err:
        small_city(tmp_path, behaviour=dict(behaviour, prompt_yes_share=1.5))
    assert err.value.field == "behaviour.prompt_yes_share"
    with pytest.raises(InvalidInput) as err:
        parse_policy({"name": "p", "opt_in_prompt_minutes": 0})
    assert err.value.field == "opt_in_prompt_minutes"


def test_the_wait_estimate_recorder_only_observes_a_run(tmp_path, monkeypatch):
    """Runs explored without the recorder (it costs most of a run's time) give the figures
    of the full command."""
    from waitlist.simulation import engine as engine_module
    from waitlist.simulation import simulate

    city = small_city(tmp_path)
    specs = [
        parse_policy({"name": "status-quo", "placement": "status_quo"}),
        parse_policy(
            {
                "name": "all",
                "group_starts": "recommendations",
                "supply_follows": "applications",
                "planned_language": "queue",
                "leader_reach_minutes": 20,
                "opt_in_prompt_weeks": 3,
            }
        ),
    ]

    def figures(run) -> list:  # noqa: ANN001
        return [{k: v for k, v in o.summary.items() if k != "estimates"} for o in run.outcomes]

    full = simulate(city, weeks=10, seed=4, policies=specs)
    monkeypatch.setattr(engine_module, "record_week", lambda *args, **kwargs: None)
    quick = simulate(city, weeks=10, seed=4, policies=specs)
    assert figures(quick) == figures(full)


def test_the_published_policy_files_load_and_are_named_as_their_files():
    from pathlib import Path

    from waitlist.simulation.policies import load_policy

    folder = Path(__file__).resolve().parents[2] / "docs" / "policies"
    files = sorted(folder.glob("*.json"))
    assert files
    for path in files:
        assert load_policy(path).name == path.stem
    assert load_policy(folder / "wait-starts.json").supply_follows == "projected_wait"


def test_the_policy_the_page_offers_is_the_published_queue_starts_file():
    from dataclasses import replace
    from pathlib import Path

    from waitlist.simulation.policies import load_policy, page_policies, queue_starts

    folder = Path(__file__).resolve().parents[2] / "docs" / "policies"
    offered = queue_starts()
    published = load_policy(folder / "queue-starts.json")
    assert replace(published, label=offered.label) == offered
    assert offered.describe() == {**published.describe(), "label": offered.label}
    assert [s.name for s in page_policies()] == [
        "cross-district", "cross-district-starts", "term-plan", "queue-starts",
    ]  # fmt: skip
