"""Recommendations explain themselves: counts per district, effect on waits, alternatives."""

from __future__ import annotations

from solver.recommend.baseline import longest_queue_first
from solver.recommend.candidates import generate_candidates
from solver.recommend.data import RecommendOptions
from solver.recommend.pipeline import recommend, run
from solver.types import Leader
from tests.support.recommend_scenarios import candidate, parent, scenario

FARSTA_LEADER = Leader("l-2", "farsta", ("komet",), 2, ("sv", "ar"))


def south_corner():
    """Farsta: 4 Swedish-speaking parents, 4 Arabic-speaking; Skarpnäck: 3 opted-in Swedish
    speakers 14 minutes away; Älvsjö: 2 Swedish speakers who did not opt in."""
    apps = [parent(n, "farsta", weeks=20 + n) for n in range(4)]
    apps += [parent(10 + n, "farsta", weeks=30, languages=("ar",)) for n in range(4)]
    apps += [parent(20 + n, "skarpnack", weeks=25, cross=True, travel=20) for n in range(3)]
    apps += [parent(30 + n, "alvsjo", weeks=40) for n in range(2)]
    cands = [
        candidate("c-sv", "farsta"),
        candidate("c-ar", "farsta", language="ar"),
    ]
    return scenario(apps, cands, [FARSTA_LEADER])


def test_a_group_too_small_alone_opens_by_pooling_opted_in_parents_from_a_neighbour():
    result = recommend(south_corner())
    [rec] = result.recommendations
    assert rec.candidate == "c-sv"
    assert rec.leader == "l-2"
    assert rec.serves == {"farsta": 4, "skarpnack": 3}
    # Älvsjö's parents did not opt in: never pooled.
    assert not any(a.startswith("a-03") for a in rec.applications)


def test_the_reason_gives_counts_per_district_and_never_an_application():
    [rec] = recommend(south_corner()).recommendations
    assert "Farsta 4, Skarpnäck 3" in rec.reason
    assert "Farsta 4, Skarpnäck 3" in rec.reason_sv
    assert not any(app_id in rec.reason + rec.reason_sv for app_id in rec.applications)


def test_a_close_alternative_not_chosen_says_why_in_english_and_swedish():
    [rec] = recommend(south_corner()).recommendations
    assert "Farsta Arabic evening: only 4 parents within reach, minimum 6" in rec.reason
    assert "Farsta arabiska kväll: bara 4 föräldrar inom räckhåll, minst 6" in rec.reason_sv


def test_the_effect_on_waits_is_projected_for_the_districts_served():
    [rec] = recommend(south_corner()).recommendations
    e = rec.effect
    # Komet in Farsta and Skarpnäck: 11 waiting before (4 sv + 4 ar + 3), 4 (ar) after.
    assert e["median_wait_weeks_before"] == 25.0
    assert e["median_wait_weeks_after"] == 30.0
    assert e["parents_served"] == 7.0
    assert e["city_max_min_ratio_before"] > 0


def test_without_candidates_they_are_generated_where_a_certified_leader_can_lead():
    city = south_corner()
    generated = generate_candidates(scenario(city.applications, (), city.leaders))
    assert {c.district for c in generated} == {"farsta"}
    assert {(c.language, c.slot) for c in generated} == {("sv", "evening"), ("ar", "evening")}
    done = run(scenario(city.applications, (), city.leaders))
    [rec] = done.result.recommendations
    assert rec.serves == {"farsta": 4, "skarpnack": 3}


def test_without_a_leader_certified_in_the_language_no_group_is_recommended():
    city = south_corner()
    one_language = Leader("l-2", "farsta", ("komet",), 2, ("ar",))
    result = recommend(scenario(city.applications, city.candidate_groups, [one_language]))
    assert result.recommendations == ()


def test_the_longest_queue_baseline_does_not_pool_across_districts():
    done = run(south_corner())
    plan = longest_queue_first(done.prepared)
    assert plan.served == {}  # Farsta alone has 4 of 6 in each language


def test_a_budget_of_new_groups_is_kept():
    apps = [parent(n, "farsta", weeks=10 + n) for n in range(12)]
    apps += [parent(20 + n, "skarpnack", weeks=5) for n in range(6)]
    leaders = [FARSTA_LEADER, Leader("l-3", "skarpnack", ("komet",), 1, ("sv",))]
    cands = [candidate("c-f", "farsta", min_size=6), candidate("c-s", "skarpnack")]
    full = recommend(scenario(apps, cands, leaders))
    assert len(full.recommendations) == 2
    one = recommend(scenario(apps, cands, leaders), options=RecommendOptions(max_new_groups=1))
    assert [r.candidate for r in one.recommendations] == ["c-f"]
