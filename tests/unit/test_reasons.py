"""Reasons are rendered from one record of facts: every kind, every language, the same numbers,
and no claim the facts do not support."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from waitlist.domain.crossing import CrossTest
from waitlist.domain.reasons import MISFITS, Blocked, ReasonFacts, RecommendationFacts, Rule
from waitlist.reasons import day, render, render_recommendation
from waitlist.translations import LANGUAGES

START = date(2026, 12, 9)
COMMON = {"programme": "Komet", "home": "Farsta", "weeks_waited": 31, "queue_place": 24}
AWAY = {"travel_limit": 45, "cross_after_weeks": 8}
KINDS = {
    "offer at home": ReasonFacts(**COMMON, rule=Rule.OWN_DISTRICT, group_start=START),
    "offer elsewhere": ReasonFacts(
        **COMMON,
        **AWAY,
        rule=Rule.CROSS_DISTRICT,
        group_start=START,
        host="Södermalm",
        travel_minutes=18,
        why_not_home=Blocked.NO_GROUP,
    ),
    "offer elsewhere on the projected wait": ReasonFacts(
        **{**COMMON, "weeks_waited": 2},
        **AWAY,
        rule=Rule.CROSS_DISTRICT,
        cross_test=CrossTest.PROJECTED,
        projected_weeks=13,
        group_start=START,
        host="Södermalm",
        travel_minutes=18,
        why_not_home=Blocked.EARLIER,
    ),
    "direct offer, place not recorded": ReasonFacts(
        **{**COMMON, "queue_place": None}, rule=Rule.OWN_DISTRICT, group_start=START
    ),
    **{
        f"unplaced: home {home}, away {away}": ReasonFacts(
            **COMMON,
            **AWAY,
            why_not_home=home,
            home_misfits=("age", "slot") if home is Blocked.NO_FIT else (),
            why_not_away=away,
            away_misfits=("language",) if away is Blocked.NO_FIT else (),
        )
        for home in (Blocked.NO_GROUP, Blocked.NO_FIT, Blocked.EARLIER)
        for away in Blocked
    },
}
NUMBER = re.compile(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?!\d)|\d+")


def numbers_in(text: str, facts: ReasonFacts, lang: str) -> Counter[int]:
    """The integers a sentence states, its group start date taken out first."""
    if facts.group_start is not None:
        text = text.replace(day(facts.group_start, lang), " ")
    return Counter(int(re.sub(r"\D", "", n)) for n in NUMBER.findall(text))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_reason_kind_states_the_same_numbers_in_every_language(kind):
    facts = KINDS[kind]
    stated = {lang: numbers_in(render(facts, lang), facts, lang) for lang in LANGUAGES}
    assert set(stated) == {"sv", "en", "ar", "fa", "so", "ti"}
    for lang, found in stated.items():
        assert found == Counter(facts.numbers().values()), (lang, render(facts, lang))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_reason_names_its_places_and_dates_in_the_readers_language(kind):
    facts = KINDS[kind]
    sv, en = render(facts, "sv"), render(facts, "en")
    for text in (sv, en):
        assert "Komet" in text and "Farsta" in text
    if facts.group_start:
        assert "9 december 2026" in sv and "December 9, 2026" in en
        assert "2026-12-09" not in sv + en
    assert sv != en


def test_a_swedish_reason_says_one_week_in_the_singular_and_groups_thousands():
    one = ReasonFacts(**{**COMMON, "weeks_waited": 1}, rule=Rule.OWN_DISTRICT, group_start=START)
    assert render(one, "sv").startswith("Har väntat 1 vecka,")
    assert render(one, "en").startswith("Waited 1 week,")
    many = ReasonFacts(**{**COMMON, "queue_place": 1218}, rule=Rule.OWN_DISTRICT, group_start=START)
    assert "plats 1\u00a0218 " in render(many, "sv")
    assert "place 1,218 " in render(many, "en")


def test_the_place_in_the_queue_is_told_in_swedish_as_well_as_in_english():
    facts = KINDS["offer at home"]
    assert "plats 24 i kön" in render(facts, "sv")
    assert "place 24 in the Komet queue" in render(facts, "en")


def test_facts_that_contradict_themselves_are_refused():
    with pytest.raises(ValueError, match="host"):
        ReasonFacts(**COMMON, rule=Rule.CROSS_DISTRICT, group_start=START, host="Södermalm")
    with pytest.raises(ValueError, match="own district"):
        ReasonFacts(**COMMON, why_not_home=Blocked.NOT_ASKED)
    with pytest.raises(ValueError, match="misfits"):
        ReasonFacts(**COMMON, why_not_home=Blocked.EARLIER, home_misfits=("age",))


def test_an_offer_elsewhere_says_which_test_of_rule_5_applied():
    waited, projected = KINDS["offer elsewhere"], KINDS["offer elsewhere on the projected wait"]
    assert "seats elsewhere are offered after 8 weeks" in render(waited, "en")
    assert "projected" not in render(waited, "en")
    en, sv = render(projected, "en"), render(projected, "sv")
    assert en.startswith("Waited 2 weeks,")
    assert "your projected wait for a seat at home is 13 weeks" in en
    assert "when it is over 8 weeks" in en
    assert "13 veckor" in sv and "beräknade väntetid" in sv
    with pytest.raises(ValueError, match="projected weeks"):
        ReasonFacts(
            **COMMON,
            **AWAY,
            rule=Rule.CROSS_DISTRICT,
            cross_test=CrossTest.PROJECTED,
            group_start=START,
            host="Södermalm",
            travel_minutes=18,
        )


def test_facts_survive_the_round_trip_through_json():
    for facts in KINDS.values():
        assert ReasonFacts.from_dict(facts.to_dict()) == facts


# Any facts a reason can be built from.
misfits = st.lists(st.sampled_from(MISFITS), unique=True, min_size=1, max_size=3).map(tuple)


def why_not(draw: st.DrawFn, choices: list[Blocked]) -> tuple[Blocked, tuple[str, ...]]:
    why = draw(st.sampled_from(choices))
    return why, draw(misfits) if why is Blocked.NO_FIT else ()


AT_HOME = [Blocked.NO_GROUP, Blocked.NO_FIT, Blocked.EARLIER]


@st.composite
def any_facts(draw: st.DrawFn) -> ReasonFacts:
    common = {
        "programme": draw(st.sampled_from(["Komet", "ABC", "Connect"])),
        "home": draw(st.sampled_from(["Farsta", "Rinkeby-Kista", "Södermalm"])),
        "weeks_waited": draw(st.integers(0, 3000)),
        "queue_place": draw(st.none() | st.integers(1, 20000)),
        "travel_limit": draw(st.integers(0, 240)),
        "cross_after_weeks": draw(st.integers(0, 52)),
    }
    kind = draw(st.sampled_from(["home", "away", "unplaced"]))
    start = draw(st.dates(date(2026, 1, 1), date(2030, 12, 31)))
    if kind == "home":
        return ReasonFacts(**common, rule=Rule.OWN_DISTRICT, group_start=start)
    home, home_misfits = why_not(draw, AT_HOME)
    if kind == "away":
        test = draw(st.sampled_from([None, *CrossTest]))
        return ReasonFacts(
            **common,
            rule=Rule.CROSS_DISTRICT,
            cross_test=test,
            projected_weeks=draw(st.integers(0, 400)) if test is CrossTest.PROJECTED else None,
            group_start=start,
            host="Skärholmen",
            travel_minutes=draw(st.integers(0, 240)),
            why_not_home=home,
            home_misfits=home_misfits,
        )
    away, away_misfits = why_not(draw, list(Blocked))
    return ReasonFacts(
        **common,
        why_not_home=home,
        home_misfits=home_misfits,
        why_not_away=away,
        away_misfits=away_misfits,
    )


CLAIMS = {
    # (English, Swedish) words and the facts that must hold for them to be said.
    "own district": (
        ("your own district", "din egen stadsdel"),
        lambda f: f.rule is Rule.OWN_DISTRICT,
    ),
    "no offer": (("No offer", "Inget erbjudande"), lambda f: not f.offered),
    "not asked": (
        ("not asked for seats", "inte valt att få plats"),
        lambda f: f.why_not_away is Blocked.NOT_ASKED and not f.offered,
    ),
    "host": (("Skärholmen",), lambda f: f.rule is Rule.CROSS_DISTRICT),
    "projected": (
        ("projected wait", "beräknade väntetid"),
        lambda f: f.cross_test is CrossTest.PROJECTED,
    ),
}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_facts())
def test_no_rendered_reason_claims_what_its_facts_contradict(facts):
    for lang in LANGUAGES:
        text = render(facts, lang)
        assert numbers_in(text, facts, lang) == Counter(facts.numbers().values()), text
        assert "among the first" not in text and "bland de första" not in text
        for words, holds in CLAIMS.values():
            said = any(w in text for w in words)
            assert said == holds(facts) or not said, (text, facts)
        if facts.offered:
            assert day(facts.group_start, lang) in text
        if facts.queue_place is None:
            assert not re.search(r"\b(place|plats) \d", text)


def recommendation(**changes) -> RecommendationFacts:
    values = {
        "programme": "ABC",
        "host": "Bromma",
        "language": "ar",
        "weekday": "tue",
        "slot": "evening",
        "start": date(2026, 12, 29),
        "served": (("Bromma", 2), ("Hässelby-Vällingby", 5), ("Spånga-Tensta", 1)),
        "median_waited_weeks": 36,
        "median_before": 24.0,
        "median_after": 18.6,
        "p90_before": 46.0,
        "p90_after": 45.0,
        "ratio_before": 3.25,
        "ratio_after": 2.5,
    }
    return RecommendationFacts(**{**values, **changes})


DECIMAL = re.compile(r"\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?")


def figures_in(text: str, facts: RecommendationFacts, lang: str) -> list[float]:
    text = text.replace(day(facts.start, lang), " ").replace("P90", "P")
    found = []
    for n in DECIMAL.findall(text):
        grouped = re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f]\d{3})+(?:[.,]\d+)?", n)
        if grouped:  # thousands grouped; a decimal part only after the last group
            n = re.sub(r"[,\u00a0\u202f](?=\d{3}(?:[.,]|$))", "", n)
        found.append(float(n.replace(",", ".")))
    return found


def test_a_recommendation_states_the_same_figures_in_every_language_in_their_notation():
    facts = recommendation()
    texts = {lang: render_recommendation(facts, lang) for lang in LANGUAGES}
    for lang, text in texts.items():
        assert figures_in(text, facts, lang) == facts.numbers(), text
    assert "18,6 veckor" in texts["sv"] and "18.6 weeks" in texts["en"]
    assert "arabiska" in texts["sv"] and "Arabic" in texts["en"]
    assert "certifierad ledare" in texts["sv"] and "l-" not in texts["sv"] + texts["en"]


def test_a_recommendation_for_one_parent_says_parent_in_the_singular():
    facts = recommendation(served=(("Bromma", 1),))
    assert "1 väntande förälder (" in render_recommendation(facts, "sv")
    assert "1 waiting parent (" in render_recommendation(facts, "en")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.integers(1, 40), min_size=1, max_size=4),
    st.integers(0, 300),
    st.lists(
        st.floats(0, 2000, allow_nan=False).map(lambda x: round(x, 1)), min_size=4, max_size=4
    ),
    st.lists(st.floats(1, 50, allow_nan=False).map(lambda x: round(x, 2)), min_size=2, max_size=2),
)
def test_no_recommendation_states_a_figure_its_facts_do_not_hold(counts, waited, weeks, ratios):
    facts = recommendation(
        served=tuple((f"District {'ABCD'[i]}", n) for i, n in enumerate(counts)),
        median_waited_weeks=waited,
        median_before=weeks[0],
        median_after=weeks[1],
        p90_before=weeks[2],
        p90_after=weeks[3],
        ratio_before=ratios[0],
        ratio_after=ratios[1],
    )
    for lang in LANGUAGES:
        text = render_recommendation(facts, lang)
        assert figures_in(text, facts, lang) == facts.numbers(), text
