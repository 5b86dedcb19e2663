"""Generated scenarios for benchmarks and tests: the demo city, a nation and beyond.

Deterministic for a seed. The city uses the reference data (14 districts, 11 programmes,
estimated travel minutes); larger sizes scatter districts over regions of a plane and derive
travel minutes the way the reference data does (8 + 2.5 x km), keeping pairs under an hour.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from datetime import date, timedelta
from importlib import resources
from typing import Any

from solver.types import Application, District, Group, Policy, Programme, Scenario

AS_OF = date(2026, 3, 2)
_SLOTS = ("morning", "day", "evening", "weekend")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_MAX_MINUTES = 60


def reference() -> dict[str, Any]:
    text = resources.files("waitlist").joinpath("data/stockholm.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def reference_districts(
    ref: dict[str, Any],
) -> tuple[tuple[District, ...], dict[str, dict[str, int]]]:
    """The reference districts and the travel minutes between two different ones."""
    districts = tuple(District(d["slug"], d["name"]) for d in ref["districts"])
    travel = {
        o: {d: int(m) for d, m in row.items() if d != o} for o, row in ref["travel_minutes"].items()
    }
    return districts, travel


def reference_programmes(ref: dict[str, Any], *, lengths: bool = True) -> tuple[Programme, ...]:
    """The reference programmes; with `lengths`, their sessions and weeks too."""
    return tuple(
        Programme(
            slug=p["slug"],
            name=p["name"],
            kind=p["kind"],
            child_age_min=p["child_age_min"],
            child_age_max=p["child_age_max"],
            capacity=p["capacity"],
            min_size=p["min_size"],
            languages=tuple(p["languages"]),
            sessions=p.get("sessions") if lengths else None,
            weeks=p.get("weeks") if lengths else None,
        )
        for p in ref["programmes"]
    )


def city(waiting: int = 3000, groups: int = 200, seed: int = 2026, **policy: object) -> Scenario:
    districts, travel = reference_districts(reference())
    return _populate(districts, travel, waiting, groups, seed, Policy(**policy))  # type: ignore[arg-type]


def nation(
    districts: int = 290,
    waiting: int = 100_000,
    groups: int = 10_000,
    seed: int = 2026,
    **policy: object,
) -> Scenario:
    rng = random.Random(seed)
    regions = max(1, districts // 15)
    centres = [(rng.uniform(0, 1200), rng.uniform(0, 1500)) for _ in range(regions)]
    points = []
    for i in range(districts):
        cx, cy = centres[i % regions]
        points.append((cx + rng.gauss(0, 12), cy + rng.gauss(0, 12)))
    slugs = [f"d{i:05d}" for i in range(districts)]
    cell = _MAX_MINUTES / 2.5
    grid: dict[tuple[int, int], list[int]] = {}
    for i, (x, y) in enumerate(points):
        grid.setdefault((int(x // cell), int(y // cell)), []).append(i)
    travel: dict[str, dict[str, int]] = {s: {} for s in slugs}
    for (gx, gy), members in grid.items():
        near = [
            j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in grid.get((gx + dx, gy + dy), [])
        ]
        for i in members:
            for j in near:
                if i != j:
                    minutes = round(8 + 2.5 * math.dist(points[i], points[j]))
                    if minutes <= _MAX_MINUTES:
                        travel[slugs[i]][slugs[j]] = minutes
    named = tuple(District(s, f"District {i}") for i, s in enumerate(slugs))
    return _populate(named, travel, waiting, groups, seed, Policy(**policy))  # type: ignore[arg-type]


def _populate(
    districts: tuple[District, ...],
    travel: dict[str, dict[str, int]],
    waiting: int,
    group_count: int,
    seed: int,
    policy: Policy,
) -> Scenario:
    rng = random.Random(seed + 1)
    programmes = reference_programmes(reference(), lengths=False)
    weights = [rng.uniform(0.5, 2.0) for _ in districts]
    supply = list(itertools.accumulate(weights))
    demand = list(
        itertools.accumulate(w * w for w in weights)
    )  # long queues where demand outgrows groups
    groups = []
    for i in range(group_count):
        prog = rng.choice(programmes)
        district = rng.choices(districts, cum_weights=supply)[0]
        capacity = prog.capacity
        groups.append(
            Group(
                id=f"g-{i}",
                programme=prog.slug,
                district=district.slug,
                start=AS_OF + timedelta(weeks=rng.randint(1, 16)),
                weekday=rng.choice(_WEEKDAYS[:5]),
                slot=rng.choices(_SLOTS, (2, 3, 6, 1))[0],
                language=prog.languages[0] if rng.random() < 0.75 else rng.choice(prog.languages),
                capacity=capacity,
                min_size=prog.min_size,
                taken=rng.randint(0, capacity - 1) if capacity > 1 else 0,
                status=rng.choices(("recruiting", "planned", "running"), (6, 3, 1))[0],
            )
        )
    apps = []
    for i in range(waiting):
        prog = rng.choice(programmes)
        district = rng.choices(districts, cum_weights=demand)[0]
        age = rng.randint(prog.child_age_min, prog.child_age_max)
        birth = AS_OF - timedelta(days=int(365.25 * age) + rng.randint(0, 300))
        others = [lang for lang in prog.languages[1:] if rng.random() < 0.2]
        slots = tuple(sorted(rng.sample(_SLOTS, rng.randint(1, 3))))
        apps.append(
            Application(
                id=f"a-{i}",
                programme=prog.slug,
                district=district.slug,
                queue_date=AS_OF - timedelta(days=int(rng.expovariate(1 / 90))),
                lottery=rng.randrange(1_000_000),
                child_birth=f"{birth.year:04d}-{birth.month:02d}",
                languages=(prog.languages[0], *others) if rng.random() < 0.9 else tuple(others),
                slots=slots if rng.random() < 0.8 else (),
                cross_district=rng.random() < 0.6,
                max_travel_minutes=rng.choice((15, 20, 30, 45, 60)),
            )
        )
    return Scenario(
        as_of=AS_OF,
        policy=policy,
        districts=districts,
        travel_minutes=travel,
        programmes=programmes,
        groups=tuple(groups),
        applications=tuple(apps),
    )
