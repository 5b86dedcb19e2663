"""Placement rounds against the database (SQLite and PostgreSQL): preview writes no offers,
commit makes them all at once, a stale preview writes nothing; a preview is stale only when
something its offers depend on changed."""

from __future__ import annotations

import pytest

from tests.support.foundation import World, new_world
from waitlist.domain.errors import IllegalTransition, StalePreview
from waitlist.services import applications, groups, offers, rounds
from waitlist.services.scenario_export import application_ref, parse_ref
from waitlist.storage.tables import Application, Group, Offer, PlacementRound


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


def _setup(world: World) -> tuple[list[int], int, int]:
    apps = [world.apply(cross_district=True, max_travel_minutes=30).application.id]
    world.clock.advance(7 * 10)
    apps += [world.apply().application.id for _ in range(2)]
    home = world.group(capacity=2, min_size=1)
    away = world.group(district="skarpnack", capacity=3, min_size=2)
    return apps, home, away


def test_a_preview_takes_no_seat_and_makes_no_offer(world):
    _setup(world)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"))
    assert preview.status == "preview"
    assert len(preview.offers) == 2
    assert preview.objective["placed"] == 2
    assert all(g.taken == 0 for g in world.rows(Group))
    assert world.rows(Offer) == []


def test_committing_a_preview_makes_every_offer_and_records_who_and_when(world):
    apps, home, _ = _setup(world)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"))
    committed = rounds.commit_round(world.uow(actor="coordinator:farsta"), preview.id)
    assert committed.status == "committed"
    assert committed.committed_by == "coordinator:farsta"
    assert committed.committed_at is not None
    made = world.rows(Offer)
    lottery = {a.id: a.lottery for a in world.rows(Application)}
    same_day = sorted(apps[1:], key=lambda a: (lottery[a], a))  # same queue date: lottery
    assert {o.application_id for o in made} == {apps[0], same_day[0]}
    assert all(o.round_id == preview.id and o.reason for o in made)
    assert {g.id: g.taken for g in world.rows(Group)}[home] == 2
    with pytest.raises(IllegalTransition):
        rounds.commit_round(world.uow(), preview.id)


def test_a_seat_taken_after_the_preview_makes_the_commit_stale_and_writes_nothing(world):
    apps, home, away = _setup(world)
    preview = rounds.preview_round(world.uow())
    late = world.apply(district="skarpnack").application.id
    offers.make_offer(world.uow(), late, away)
    before = {g.id: g.taken for g in world.rows(Group)}
    with pytest.raises(StalePreview):
        rounds.commit_round(world.uow(), preview.id)
    assert {g.id: g.taken for g in world.rows(Group)} == before
    assert [o.application_id for o in world.rows(Offer)] == [late]
    assert [r.status for r in world.rows(PlacementRound)] == ["preview"]
    statuses = {a.id: a.status for a in world.rows(Application)}
    assert all(statuses[a] == "waiting" for a in apps)


def test_a_discarded_preview_cannot_be_committed(world):
    _setup(world)
    preview = rounds.preview_round(world.uow())
    rounds.discard_round(world.uow(), preview.id)
    with pytest.raises(IllegalTransition):
        rounds.commit_round(world.uow(), preview.id)


def test_a_parent_applying_after_the_preview_does_not_make_the_commit_stale(world):
    apps, home, _ = _setup(world)
    preview = rounds.preview_round(world.uow())
    newcomers = [
        world.apply().application.id,  # same queue, same day: served by the next round
        world.apply(district="rinkeby-kista").application.id,  # elsewhere in the city
    ]
    committed = rounds.commit_round(world.uow(), preview.id)
    assert committed.status == "committed"
    offered = {o.application_id for o in world.rows(Offer)}
    assert len(offered) == 2 and not offered & set(newcomers)


def test_a_change_behind_everyone_offered_or_in_another_programme_keeps_the_preview(world):
    apps, home, _ = _setup(world)
    other = world.group(programme="abc", district="rinkeby-kista", capacity=4, min_size=2)
    preview = rounds.preview_round(world.uow())
    offered = {parse_ref(o["application"]) for o in preview.offers}
    [behind] = [a for a in apps if a not in offered]
    applications.withdraw(world.uow(), behind)  # nobody offered a seat was behind them
    groups.cancel_group(world.uow(), other)  # nobody in the round applied for abc
    world.group(capacity=5, min_size=1)  # a new group: filled by the next round
    assert rounds.commit_round(world.uow(), preview.id).status == "committed"
    assert {o.application_id for o in world.rows(Offer)} == offered


def test_a_parent_ranked_ahead_of_an_offered_one_changing_makes_the_commit_stale(world):
    ahead = world.apply(languages=["ar"]).application.id  # first in line, fits no group
    world.clock.advance(7)
    _setup(world)
    preview = rounds.preview_round(world.uow())
    assert application_ref(ahead) not in {o["application"] for o in preview.offers}
    applications.withdraw(world.uow(), ahead)
    with pytest.raises(StalePreview) as info:
        rounds.commit_round(world.uow(), preview.id)
    assert application_ref(ahead) in info.value.message
    assert world.rows(Offer) == []


def test_an_offered_parent_no_longer_waiting_makes_the_commit_stale(world):
    _setup(world)
    preview = rounds.preview_round(world.uow())
    first = parse_ref(preview.offers[0]["application"])
    applications.withdraw(world.uow(), first)
    with pytest.raises(StalePreview, match="run the preview again"):
        rounds.commit_round(world.uow(), preview.id)
    assert world.rows(Offer) == []
    assert [r.status for r in world.rows(PlacementRound)] == ["preview"]


def test_a_previews_fingerprints_are_kept_with_the_round_and_never_shown(world):
    _setup(world)
    preview = rounds.preview_round(world.uow())
    assert "watch" not in (preview.result or {})
    [row] = world.rows(PlacementRound)
    assert row.result and set(row.result["watch"]) == {"groups", "applications"}


def test_every_offer_keeps_the_facts_its_reason_is_told_from_in_any_language(world):
    from waitlist import reasons
    from waitlist.domain.reasons import ReasonFacts, Rule

    apps, _, away = _setup(world)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"))
    rounds.commit_round(world.uow(actor="coordinator:farsta"), preview.id)
    direct = world.apply(district="skarpnack").application.id
    offers.make_offer(world.uow(), direct, away)
    by_app = {o.application_id: o for o in world.rows(Offer)}
    for app_id in (*[a for a in apps if a in by_app], direct):
        facts = ReasonFacts.from_dict(by_app[app_id].reason_facts)
        assert facts.rule is Rule.OWN_DISTRICT or app_id == apps[0]
        sv, en = reasons.render(facts, "sv"), reasons.render(facts, "en")
        assert f"plats {facts.queue_place} i kön" in sv if facts.queue_place else "plats" in sv
        assert f"place {facts.queue_place} in" in en if facts.queue_place else "Waited" in en
    # The round knew each parent's place in the queue; a direct offer says only what it knows.
    assert ReasonFacts.from_dict(by_app[apps[0]].reason_facts).queue_place == 1
    assert ReasonFacts.from_dict(by_app[direct].reason_facts).queue_place is None


def test_a_round_for_one_group_keeps_its_offers_and_counts_its_figures_over_them_alone(world):
    apps, home, away = _setup(world)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"), group=home)
    proposed = rounds.proposed(preview)
    assert {o.group for o in proposed} == {home}
    assert {o.application for o in proposed} <= set(apps)
    # The same seven figures as a whole round's (the group needed one seat to reach its
    # minimum of one), with nobody left unplaced: the others wait for the next round.
    assert preview.objective == {
        "placed": 2,
        "own_district": 2,
        "cross_district": 0,
        "unplaced": 0,
        "seats_toward_min_size": 1,
        "groups_reaching_min_size": 1,
        "travel_minutes_total": 0,
    }
    assert preview.result["unplaced"] == []
    elsewhere = rounds.preview_round(world.uow(actor="coordinator:farsta"), group=away)
    assert elsewhere.offers == []
    assert elsewhere.objective["placed"] == 0


def test_a_previews_offers_read_back_as_typed_offers(world):
    apps, home, _ = _setup(world)
    preview = rounds.preview_round(world.uow(actor="coordinator:farsta"))
    proposed = rounds.proposed(preview)
    assert [(o.application, o.group) for o in proposed] == [
        (parse_ref(o["application"]), parse_ref(o["group"])) for o in preview.offers
    ]
    assert all(o.respond_by > preview.as_of and o.reason for o in proposed)
    assert rounds.unplaced(preview)[0].application in apps
