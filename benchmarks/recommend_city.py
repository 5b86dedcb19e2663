"""A generated demo city for group-start recommendations (seeded: same seed, same city).

Stockholm's 14 districts, travel times and 11 programmes from the reference data; waiting parents
whose numbers and waits differ strongly between districts (some queues long, others too short to
start a group alone); leaders with a few certifications each; candidate groups proposed by those
leaders in their own districts.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from datetime import date, timedelta

from solver.scenario.synthetic import reference, reference_districts, reference_programmes
from solver.types import (
    Application,
    CandidateGroup,
    Group,
    Leader,
    Policy,
    Room,
    Scenario,
)

AS_OF = date(2026, 3, 2)
PROGRAMME_MIX = {
    "komet": 24,
    "abc": 14,
    "icdp": 10,
    "connect": 8,
    "ungdomskomet": 8,
    "familjeverkstan": 6,
    "active-parenting": 6,
    "skilda-varldar": 6,
    "stodgrupp-missbruk-psykisk-ohalsa": 5,
    "trappan": 5,
    "rad-och-stodsamtal": 8,
}
LANGUAGE_MIX = {"sv": 64, "ar": 13, "so": 7, "en": 6, "fa": 5, "ti": 5}
SLOT_MIX = {"evening": 50, "day": 30, "morning": 10, "weekend": 10}


def _pick(rng: random.Random, mix: dict[str, int]) -> str:
    return rng.choices(list(mix), weights=list(mix.values()))[0]


def _leaders(
    rng: random.Random, count: int, districts: list[str], speaks: Callable[[], set[str]]
) -> list[Leader]:
    """`count` leaders, each certified for one to three programmes, speaking the languages
    `speaks` draws, in one of `districts`, free for one to three groups at once."""
    found = []
    for n in range(count):
        progs = rng.sample(list(PROGRAMME_MIX), k=rng.choice([1, 2, 2, 3]))
        langs = speaks()
        found.append(
            Leader(
                id=f"l-{n + 1:03d}",
                district=rng.choice(districts),
                programmes=tuple(sorted(progs)),
                max_groups=rng.choice([1, 2, 2, 3]),
                languages=tuple(sorted(langs)),
            )
        )
    return found


def city_scenario(
    seed: int = 1, waiting: int = 3000, candidates: int = 400, leaders: int = 60
) -> Scenario:
    rng = random.Random(seed)
    ref = reference()
    districts, travel = reference_districts(ref)
    programmes = reference_programmes(ref)
    by_slug = {p.slug: p for p in programmes}
    # Demand follows children, but need and waits differ strongly between districts.
    need = {d["slug"]: d["children_0_17"] * rng.uniform(0.4, 1.8) for d in ref["districts"]}
    mean_wait = {d.slug: rng.choice([3, 5, 8, 12, 18, 26, 34]) for d in districts}

    apps = []
    for n in range(waiting):
        district = rng.choices(list(need), weights=list(need.values()))[0]
        prog = by_slug[_pick(rng, PROGRAMME_MIX)]
        first = _pick(rng, LANGUAGE_MIX)
        langs = {first} if first == "sv" else {first, "sv"} if rng.random() < 0.4 else {first}
        langs &= set(prog.languages) or langs
        slots = {_pick(rng, SLOT_MIX)}
        if rng.random() < 0.35:
            slots.add(_pick(rng, SLOT_MIX))
        age = rng.randint(prog.child_age_min, prog.child_age_max)
        birth = AS_OF - timedelta(days=365 * age + rng.randint(60, 300))
        waited = int(rng.expovariate(1 / mean_wait[district]) * 7)
        opted = rng.random() < 0.55
        apps.append(
            Application(
                id=f"a-{n + 1:05d}",
                programme=prog.slug,
                district=district,
                queue_date=AS_OF - timedelta(days=min(waited, 700)),
                lottery=rng.randint(1, 999_999),
                child_birth=f"{birth.year:04d}-{birth.month:02d}",
                languages=tuple(sorted(langs or {"sv"})),
                slots=tuple(sorted(slots)),
                cross_district=opted,
                max_travel_minutes=rng.choice([15, 20, 25, 30, 40]) if opted else 0,
            )
        )

    slugs = [d.slug for d in districts]
    leader_list = _leaders(
        rng,
        leaders,
        slugs,
        lambda: {"sv", *([_pick(rng, LANGUAGE_MIX)] if rng.random() < 0.45 else [])},
    )

    cands = []
    for n in range(candidates):
        leader = rng.choice(leader_list)
        prog = by_slug[rng.choice(leader.programmes)]
        languages = [lang for lang in leader.languages if lang in prog.languages] or ["sv"]
        slot = _pick(rng, SLOT_MIX)
        start = AS_OF + timedelta(weeks=rng.randint(3, 10))
        start -= timedelta(days=start.weekday() - (5 if slot == "weekend" else 1))
        cands.append(
            CandidateGroup(
                id=f"c-{n + 1:03d}",
                programme=prog.slug,
                district=leader.district,
                start=start,
                weekday="sat" if slot == "weekend" else "tue",
                slot=slot,
                language=rng.choice(languages),
                capacity=prog.capacity,
                min_size=prog.min_size,
            )
        )
    return Scenario(
        as_of=AS_OF,
        policy=Policy(),
        districts=districts,
        travel_minutes=travel,
        programmes=programmes,
        applications=tuple(apps),
        leaders=tuple(leader_list),
        candidate_groups=tuple(cands),
    )


WEEKDAYS_OF_SLOT = {
    "morning": ("mon", "tue", "wed", "thu", "fri"),
    "day": ("mon", "tue", "wed", "thu", "fri"),
    "evening": ("mon", "tue", "wed", "thu"),
    "weekend": ("sat", "sun"),
}
VARIED_LANGUAGES = {"sv": 40, "ar": 16, "so": 12, "en": 10, "fa": 8, "ti": 7, "tr": 7}


def _on_weekday(day: date, weekday: str) -> date:
    order = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    return day + timedelta(days=(order.index(weekday) - day.weekday()) % 7)


def varied_city(
    seed: int = 1,
    waiting: int = 3000,
    groups: int = 200,
    leaders: int = 50,
    candidates: int = 400,
    rooms_per_district: int = 3,
) -> Scenario:
    """A city whose demand is spread over slots and languages: the demo city's parents with more
    languages each, leaders speaking several languages, candidates on every weekday of their
    slot in the districts' rooms, and `groups` groups already holding some of those rooms
    (recruiting or running), so that rooms clash with each other and with what runs."""
    base = city_scenario(seed=seed, waiting=waiting, candidates=0, leaders=0)
    rng = random.Random(seed * 7919 + 1)
    by_slug = {p.slug: p for p in base.programmes}
    apps = []
    for app in base.applications:
        prog = by_slug[app.programme]
        langs = {_pick(rng, VARIED_LANGUAGES)}
        if rng.random() < 0.5:
            langs.add(_pick(rng, VARIED_LANGUAGES))
        langs &= set(prog.languages) or langs
        apps.append(dataclasses.replace(app, languages=tuple(sorted(langs or {"sv"}))))
    slugs = [d.slug for d in base.districts]
    rooms = tuple(
        Room(f"r-{d}-{n + 1}", d, f"{d} room {n + 1}")
        for d in slugs
        for n in range(rooms_per_district)
    )
    leader_list = _leaders(
        rng,
        leaders,
        slugs,
        lambda: {"sv"} | {_pick(rng, VARIED_LANGUAGES) for _ in range(rng.choice([1, 2, 3]))},
    )

    def run_in_room(district: str, earliest: int, latest: int) -> dict[str, object]:
        slot = _pick(rng, SLOT_MIX)
        weekday = rng.choice(WEEKDAYS_OF_SLOT[slot])
        start = _on_weekday(AS_OF + timedelta(weeks=rng.randint(earliest, latest)), weekday)
        n_room = rng.randint(1, max(1, rooms_per_district))
        room = f"r-{district}-{n_room}" if rooms_per_district else None
        return {"slot": slot, "weekday": weekday, "start": start, "room": room}

    existing = []
    for n in range(groups):
        district = rng.choice(slugs)
        prog = by_slug[_pick(rng, PROGRAMME_MIX)]
        where = run_in_room(district, -10, 6)
        status = "running" if where["start"] <= AS_OF else "recruiting"  # type: ignore[operator]
        existing.append(
            Group(
                id=f"g-{n + 1:03d}",
                programme=prog.slug,
                district=district,
                language=rng.choice(prog.languages or ("sv",)),
                capacity=prog.capacity,
                min_size=prog.min_size,
                taken=prog.capacity if status == "running" else rng.randint(0, prog.min_size),
                status=status,
                **where,  # type: ignore[arg-type]
            )
        )
    cands = []
    for n in range(candidates):
        leader = rng.choice(leader_list)
        prog = by_slug[rng.choice(leader.programmes)]
        languages = [lang for lang in leader.languages if lang in prog.languages] or ["sv"]
        cands.append(
            CandidateGroup(
                id=f"c-{n + 1:03d}",
                programme=prog.slug,
                district=leader.district,
                language=rng.choice(languages),
                capacity=prog.capacity,
                min_size=prog.min_size,
                **run_in_room(leader.district, 3, 10),  # type: ignore[arg-type]
            )
        )
    programmes = tuple(
        p if p.sessions or p.weeks else dataclasses.replace(p, sessions=10) for p in base.programmes
    )
    return dataclasses.replace(
        base,
        programmes=programmes,
        applications=tuple(apps),
        leaders=tuple(leader_list),
        groups=tuple(existing),
        candidate_groups=tuple(cands),
        rooms=rooms,
    )
