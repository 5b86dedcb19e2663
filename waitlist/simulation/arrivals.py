"""Seeded arrivals and planned group supply, generated once and shared by every policy.

Everything here depends only on the calibration and the seed, never on a policy, so every
policy in a run faces the same parents arriving on the same days and the same planned groups.
Each draw family has its own random stream (numpy PCG64 seeded by [seed, stream]).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from waitlist.simulation.calibration import Calibration

STREAM_ARRIVALS = 1
STREAM_SUPPLY = 2

_SLOT_WEEKDAYS = {"morning": "tue", "day": "wed", "evening": "thu", "weekend": "sat"}


@dataclass(frozen=True)
class Arrival:
    """One application as it will arrive; id and lottery fixed before any policy runs."""

    id: str
    week: int  # round index (0 = first warm-up week) before which it arrives
    queue_date: date
    programme: str
    district: str
    child_birth: str
    languages: tuple[str, ...]
    slots: tuple[str, ...]
    cross_district: bool
    max_travel_minutes: int
    lottery: int


@dataclass(frozen=True)
class PlannedGroup:
    id: str
    programme: str
    district: str
    start: date
    weeks: int
    weekday: str
    slot: str
    language: str
    capacity: int
    min_size: int


def round_date(cal: Calibration, week: int) -> date:
    """Date of round `week`; round 0 is the first warm-up week."""
    return cal.start + timedelta(weeks=week - cal.warmup_weeks)


def weekday_for(slot: str) -> str:
    return _SLOT_WEEKDAYS.get(slot, "wed")


def pick(rng: np.random.Generator, weights: dict) -> object:
    keys = sorted(weights, key=str)
    p = np.array([weights[k] for k in keys], dtype=float)
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def yearly_demand(cal: Calibration, district: str, programme: str) -> float:
    """Expected applications a year from one district to one programme."""
    d = next(x for x in cal.districts if x.slug == district)
    need = cal.district_share(cal.need, district)
    rate = cal.applications_per_1000_children * d.children / 1000.0
    return rate * need * cal.programme_mix[programme]


def generate_arrivals(cal: Calibration, seed: int, total_weeks: int) -> list[Arrival]:
    """Poisson arrivals per district x programme x week, each with a queue date in that week."""
    rng = np.random.default_rng([seed, STREAM_ARRIVALS])
    programmes = {p["slug"]: p for p in cal.programmes}
    out: list[Arrival] = []
    n = 0
    for week in range(1, total_weeks):
        monday = round_date(cal, week)
        for d in cal.districts:
            for slug in sorted(programmes):
                prog = programmes[slug]
                count = int(rng.poisson(yearly_demand(cal, d.slug, slug) / 52.0))
                for _ in range(count):
                    n += 1
                    queue_date = monday - timedelta(days=int(rng.integers(1, 8)))
                    age = int(rng.integers(prog["child_age_min"], prog["child_age_max"] + 1))
                    month = int(rng.integers(1, 13))
                    birth_year = queue_date.year - age - (1 if month > queue_date.month else 0)
                    # Every arrival takes the same number of draws whatever the shares, so a
                    # calibration change alters only the parents it is about.
                    main = str(pick(rng, cal.district_share(cal.parent_languages, d.slug)))
                    also_swedish = rng.random() < cal.also_swedish_share
                    langs = [main, "sv"] if main != "sv" and also_swedish else [main]
                    slot = str(pick(rng, cal.slot_preferences))
                    slots = tuple(sorted(cal.group_slots)) if slot == "any" else (slot,)
                    opt_in = bool(rng.random() < cal.district_share(cal.opt_in_share, d.slug))
                    limit = int(pick(rng, cal.max_travel_minutes))  # type: ignore[call-overload]
                    travel = limit if opt_in else 0
                    out.append(
                        Arrival(
                            id=f"a-{n:06d}",
                            week=week,
                            queue_date=queue_date,
                            programme=slug,
                            district=d.slug,
                            child_birth=f"{birth_year:04d}-{month:02d}",
                            languages=tuple(langs),
                            slots=slots,
                            cross_district=opt_in,
                            max_travel_minutes=travel,
                            lottery=int(rng.integers(0, 1_000_000)),
                        )
                    )
    return out


def groups_per_year(cal: Calibration, district: str, programme: str) -> float:
    prog = next(p for p in cal.programmes if p["slug"] == programme)
    if cal.supply_follows == "plan":
        return cal.plan.get(district, {}).get(programme, 0.0)
    # Supply follows population: seats spread by children 0-17, blind to need.
    children_total = sum(d.children for d in cal.districts)
    children = next(d.children for d in cal.districts if d.slug == district)
    city_demand = sum(yearly_demand(cal, d.slug, programme) for d in cal.districts)
    seats = cal.seats_per_application * city_demand * children / children_total
    return seats / prog["capacity"]


def group_language(rng: np.random.Generator, cal: Calibration, district: str, prog: dict) -> str:
    """A planned group's language, among those the programme is run in (Swedish otherwise)."""
    offered = set(prog.get("languages") or ["sv"])
    weights = cal.district_share(cal.group_languages, district)
    usable = {k: v for k, v in weights.items() if k in offered and v > 0}
    return str(pick(rng, usable)) if usable else "sv"


def generate_plan(cal: Calibration, seed: int, total_weeks: int) -> list[PlannedGroup]:
    """Planned groups, evenly spaced over the year per district and programme."""
    rng = np.random.default_rng([seed, STREAM_SUPPLY])
    out: list[PlannedGroup] = []
    horizon = total_weeks + cal.recruit_weeks + 1
    for d in cal.districts:
        for prog in cal.programmes:
            per_year = groups_per_year(cal, d.slug, prog["slug"])
            if per_year <= 0:
                continue
            spacing = 52.0 / per_year
            t = float(rng.uniform(0, spacing))
            k = 0
            while t < horizon:
                k += 1
                slot = str(pick(rng, cal.group_slots))
                out.append(
                    PlannedGroup(
                        id=f"g-{d.slug}-{prog['slug']}-{k}",
                        programme=prog["slug"],
                        district=d.slug,
                        start=round_date(cal, int(t)) + timedelta(days=2),
                        weeks=int(prog.get("weeks") or 8),
                        weekday=weekday_for(slot),
                        slot=slot,
                        language=group_language(rng, cal, d.slug, prog),
                        capacity=int(prog["capacity"]),
                        min_size=int(prog["min_size"]),
                    )
                )
                t += spacing
    return out
