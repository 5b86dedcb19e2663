"""Small scenarios for the group-start recommender's tests: a hand-made south-Stockholm corner
and a hypothesis strategy for random tiny cities."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import strategies as st

from solver.types import (
    Application,
    CandidateGroup,
    District,
    Group,
    Leader,
    Policy,
    Programme,
    Room,
    Scenario,
)

AS_OF = date(2026, 3, 2)
DISTRICTS = (
    District("farsta", "Farsta"),
    District("skarpnack", "Skarpnäck"),
    District("alvsjo", "Älvsjö"),
)
TRAVEL = {
    "farsta": {"skarpnack": 14, "alvsjo": 22},
    "skarpnack": {"farsta": 14, "alvsjo": 30},
    "alvsjo": {"farsta": 22, "skarpnack": 30},
}
KOMET = Programme("komet", "Komet", "parent_group", 3, 11, 12, 6, ("sv", "ar"))
ABC = Programme("abc", "ABC", "parent_group", 3, 12, 4, 2, ("sv", "ar"))


def parent(
    n: int,
    district: str,
    *,
    weeks: int = 10,
    languages: tuple[str, ...] = ("sv",),
    slots: tuple[str, ...] = ("evening",),
    cross: bool = False,
    travel: int = 0,
    programme: str = "komet",
    birth: str = "2019-05",
) -> Application:
    return Application(
        id=f"a-{n:03d}",
        programme=programme,
        district=district,
        queue_date=AS_OF - timedelta(weeks=weeks),
        lottery=1000 + n,
        child_birth=birth,
        languages=languages,
        slots=slots,
        cross_district=cross,
        max_travel_minutes=travel,
    )


def candidate(
    cid: str,
    district: str,
    *,
    language: str = "sv",
    slot: str = "evening",
    programme: str = "komet",
    capacity: int = 12,
    min_size: int = 6,
    weeks_ahead: int = 4,
) -> CandidateGroup:
    return CandidateGroup(
        id=cid,
        programme=programme,
        district=district,
        start=AS_OF + timedelta(weeks=weeks_ahead, days=1),
        weekday="tue",
        slot=slot,
        language=language,
        capacity=capacity,
        min_size=min_size,
    )


def small_candidate(draw, n: int, district: str = "farsta", weeks_ahead: int = 4) -> CandidateGroup:
    """Candidate `c-n` of either programme in `district`, of one to three seats with a
    minimum size that fits."""
    capacity = draw(st.integers(1, 3))
    return candidate(
        f"c-{n}",
        district,
        programme=draw(st.sampled_from(["komet", "abc"])),
        capacity=capacity,
        min_size=draw(st.integers(1, capacity)),
        weeks_ahead=weeks_ahead,
    )


def scenario(apps=(), candidates=(), leaders=(), programmes=(KOMET,)) -> Scenario:
    return Scenario(
        as_of=AS_OF,
        policy=Policy(),
        districts=DISTRICTS,
        travel_minutes=TRAVEL,
        programmes=tuple(programmes),
        applications=tuple(apps),
        leaders=tuple(leaders),
        candidate_groups=tuple(candidates),
    )


SLUGS = [d.slug for d in DISTRICTS]


@st.composite
def tiny_cities(draw, max_apps: int = 8, max_candidates: int = 4) -> Scenario:
    """Random tiny cities: few parents, candidates and leaders, tight sizes, mixed reach."""
    programmes = (ABC, Programme("komet", "Komet", "parent_group", 3, 11, 3, 2, ("sv", "ar")))
    n_apps = draw(st.integers(0, max_apps))
    apps = []
    for n in range(n_apps):
        cross = draw(st.booleans())
        apps.append(
            parent(
                n,
                draw(st.sampled_from(SLUGS)),
                weeks=draw(st.integers(0, 40)),
                languages=draw(st.sampled_from([("sv",), ("ar",), ("ar", "sv"), ("sv",)])),
                slots=draw(st.sampled_from([("evening",), ("day", "evening"), ()])),
                cross=cross,
                travel=draw(st.sampled_from([10, 15, 25, 40])) if cross else 0,
                programme=draw(st.sampled_from(["abc", "komet", "komet"])),
                birth=draw(
                    st.sampled_from(["2019-05", "2022-03", "2019-05", "2014-02", "2010-01"])
                ),
            )
        )
    cands = []
    for n in range(draw(st.integers(0, max_candidates))):
        capacity = draw(st.integers(1, 4))
        cands.append(
            candidate(
                f"c-{n}",
                draw(st.sampled_from(SLUGS)),
                language=draw(st.sampled_from(["sv", "sv", "ar"])),
                slot=draw(st.sampled_from(["evening", "evening", "day"])),
                programme=draw(st.sampled_from(["abc", "komet", "komet"])),
                capacity=capacity,
                min_size=draw(st.integers(1, min(capacity, 3))),
                weeks_ahead=draw(st.integers(1, 6)),
            )
        )
    leaders = []
    # Most candidates get a leader who could lead them (leaders may still be over-asked).
    for n, cand in enumerate(cands):
        if draw(st.integers(0, 9)) < 7:
            leaders.append(
                Leader(
                    id=f"l-c{n}",
                    district=cand.district,
                    programmes=(cand.programme,),
                    max_groups=draw(st.integers(0, 1)) if n % 2 else 1,
                    languages=("ar", "sv"),
                )
            )
    for n in range(draw(st.integers(0, 2))):
        leaders.append(
            Leader(
                id=f"l-{n}",
                district=draw(st.sampled_from(SLUGS)),
                programmes=tuple(draw(st.sets(st.sampled_from(["abc", "komet"]), min_size=1))),
                max_groups=draw(st.integers(0, 2)),
                languages=tuple(sorted(draw(st.sets(st.sampled_from(["sv", "ar"]), min_size=1)))),
            )
        )
    return scenario(apps, cands, leaders, programmes)


@st.composite
def pooled_queues(draw) -> Scenario:
    """Several Komet parents per district queue, all eligible for the same groups, waiting
    different times (so each queue's members weigh differently), most opted in to travel;
    two or three small candidates in different districts and one or two leaders. The heaviest
    members of a queue can often be seated by more than one candidate."""
    komet = Programme("komet", "Komet", "parent_group", 3, 11, 4, 2, ("sv", "ar"))
    apps = [
        parent(
            n,
            draw(st.sampled_from(["farsta", "farsta", "skarpnack"])),
            weeks=draw(st.sampled_from([1, 4, 9, 16, 30])),
            cross=(cross := draw(st.integers(0, 3)) > 0),
            travel=draw(st.sampled_from([15, 25])) if cross else 0,
        )
        for n in range(draw(st.integers(3, 6)))
    ]
    cands = [
        candidate(
            f"c-{n}",
            district,
            capacity=(capacity := draw(st.integers(2, 4))),
            min_size=draw(st.integers(1, capacity)),
            weeks_ahead=draw(st.integers(4, 6)),
        )
        for n, district in enumerate(draw(st.sampled_from(POOLED_SITES)))
    ]
    leaders = [
        Leader(f"l-{n}", district, ("komet",), draw(st.integers(1, 2)), ("sv",))
        for n, district in enumerate(draw(st.sampled_from(POOLED_LEADERS)))
    ]
    return scenario(apps, cands, leaders, programmes=(komet,))


POOLED_SITES = (("farsta", "skarpnack"), ("farsta", "farsta", "skarpnack"), ("farsta", "alvsjo"))
POOLED_LEADERS = (("farsta",), ("farsta", "skarpnack"), ("skarpnack", "alvsjo"))


ROOMS = tuple(
    Room(f"r-{d.slug}-{n}", d.slug, f"{d.name} family centre, room {n}")
    for d in DISTRICTS
    for n in (1, 2)
)


@st.composite
def roomed_cities(draw, max_apps: int = 6, max_candidates: int = 3) -> Scenario:
    """Tiny cities whose candidates mostly name a room (most often the district's first), with
    programmes of one to four weekly sessions, and sometimes a running group holding a room."""
    city = draw(tiny_cities(max_apps=max_apps, max_candidates=max_candidates))
    programmes = tuple(replace(p, sessions=draw(st.integers(1, 4))) for p in city.programmes)
    cands = tuple(
        replace(
            c, room=draw(st.sampled_from([None, *[f"r-{c.district}-1"] * 3, f"r-{c.district}-2"]))
        )
        for c in city.candidate_groups
    )
    groups = ()
    if draw(st.booleans()):
        groups = (running_in_first_room(draw, "komet", min_size=2, slots=("evening", "day")),)
    return replace(city, programmes=programmes, candidate_groups=cands, groups=groups, rooms=ROOMS)


def mixed_parents(draw, fewest: int, most: int) -> list[Application]:
    """Parents of both programmes waiting from one to thirty weeks, most in Farsta, every one
    willing to travel 25 minutes."""
    return [
        parent(
            n,
            draw(st.sampled_from(["farsta", "farsta", "skarpnack"])),
            weeks=draw(st.sampled_from([1, 4, 9, 16, 30])),
            cross=True,
            travel=25,
            programme=draw(st.sampled_from(["komet", "abc"])),
        )
        for n in range(draw(st.integers(fewest, most)))
    ]


@st.composite
def shared_rooms(draw) -> Scenario:
    """Two or three candidates, most in Farsta's first room on Tuesday evenings, starting within
    a few weeks of each other; programmes of one to four sessions; parents who could fill more
    than one of them; leaders for both programmes, free for two groups each."""
    programmes = (
        Programme(
            "komet", "Komet", "parent_group", 3, 11, 3, 2, ("sv",), sessions=draw(st.integers(2, 4))
        ),
        Programme(
            "abc", "ABC", "parent_group", 3, 12, 3, 1, ("sv",), sessions=draw(st.integers(1, 4))
        ),
    )
    apps = mixed_parents(draw, 3, 6)
    cands = []
    for n in range(draw(st.integers(2, 3))):
        district = draw(st.sampled_from(["farsta", "farsta", "farsta", "skarpnack"]))
        rooms = [f"r-{district}-1"] * 3 + [f"r-{district}-2", None]
        base = small_candidate(draw, n, district, weeks_ahead=draw(st.integers(4, 6)))
        cands.append(replace(base, room=draw(st.sampled_from(rooms))))
    leaders = [
        Leader(f"l-{p}-{d}", d, (p,), 2, ("sv",))
        for p in ("komet", "abc")
        for d in ("farsta", "skarpnack")
    ]
    groups = (running_in_first_room(draw),) if draw(st.booleans()) else ()
    return replace(scenario(apps, cands, leaders, programmes), groups=groups, rooms=ROOMS)


@st.composite
def pooled_rooms(draw) -> Scenario:
    """One to three Farsta candidates, each listed in both of Farsta's rooms on Tuesday evenings
    (the rooms interchangeable), starting within a few weeks of each other; programmes of one to
    four sessions; sometimes a copy missing or a running group in the first room."""
    programmes = (
        replace(KOMET, capacity=3, min_size=2, sessions=draw(st.integers(1, 4))),
        replace(ABC, capacity=3, min_size=1, sessions=draw(st.integers(1, 4))),
    )
    apps = mixed_parents(draw, 2, 5)
    cands = []
    for n in range(draw(st.integers(1, 3))):
        base = small_candidate(draw, n, weeks_ahead=draw(st.integers(4, 6)))
        for room in (1, 2):
            cands.append(replace(base, id=f"{base.id}-{room}", room=f"r-farsta-{room}"))
    if draw(st.integers(0, 4)) == 0:
        cands.pop(draw(st.integers(0, len(cands) - 1)))
    leaders = [
        Leader(f"l-{p}", "farsta", (p,), draw(st.integers(1, 3)), ("sv",)) for p in ("komet", "abc")
    ]
    groups = (running_in_first_room(draw),) if draw(st.integers(0, 4)) == 0 else ()
    return replace(scenario(apps, cands, leaders, programmes), groups=groups, rooms=ROOMS)


def running_in_first_room(
    draw, programme: str = "abc", min_size: int = 1, slots: tuple[str, ...] = ("evening",)
) -> Group:
    """A full, running group (ABC unless said) in Farsta's first room on Tuesdays (evenings
    unless other slots are said), started up to six weeks after the scenario date: it holds
    the room for its sessions."""
    start = AS_OF + timedelta(weeks=draw(st.integers(0, 6)), days=1)
    return Group(
        id="g-1",
        programme=programme,
        district="farsta",
        start=start,
        weekday="tue",
        slot=draw(st.sampled_from(slots)),
        language="sv",
        capacity=3,
        min_size=min_size,
        taken=3,
        status="running",
        room="r-farsta-1",
    )
