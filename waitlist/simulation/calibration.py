"""Calibration of a generated city: who applies, where groups run, how parents respond.

A calibration file (`"format": "waitlist-calibration/1"`) names a reference city file
(districts with population and children 0-17, travel minutes, programmes) and adds the
behavioural parameters the reference data does not hold. Every parameter, its source or
assumption, is documented in docs/simulation.md. Bad input raises InvalidInput naming the
JSON path of the problem.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from waitlist.domain.errors import InvalidInput
from waitlist.simulation.calibration_checks import (
    field_of,
    number,
    per_district,
    share,
    weights,
)

FORMAT = "waitlist-calibration/1"
DEFAULT_NAME = "calibration_default.json"


@dataclass(frozen=True)
class CityDistrict:
    slug: str
    name: str
    population: int
    children: int


PROMPT_YES_SHARE = 0.5  # assumption: half of those asked again accept a seat nearby


@dataclass(frozen=True)
class LeaderPool:
    """Certified leaders free to run groups beyond a district's plan."""

    district: str
    count: int
    max_groups: int
    languages: tuple[str, ...]
    programmes: tuple[str, ...]


@dataclass(frozen=True)
class Calibration:
    name: str
    start: date
    warmup_weeks: int
    districts: tuple[CityDistrict, ...]
    travel: dict[str, dict[str, int]]
    programmes: tuple[dict[str, Any], ...]  # reference-data programme records (mix > 0 only)
    applications_per_1000_children: float
    need: dict[str, float]
    programme_mix: dict[str, float]
    supply_follows: str  # "population" or "plan"
    seats_per_application: float
    plan: dict[str, dict[str, float]]  # district -> programme -> groups per year
    recruit_weeks: int
    group_languages: dict[str, dict[str, float]]  # district or "default" -> language -> share
    group_slots: dict[str, float]
    parent_languages: dict[str, dict[str, float]]
    also_swedish_share: float
    slot_preferences: dict[str, float]  # "morning"/"day"/"evening"/"weekend"/"any"
    opt_in_share: dict[str, float]  # district or "default"
    max_travel_minutes: dict[int, float]
    accept_in_district: float
    accept_out_of_district: float
    no_response_share: float
    response_days_max: int
    patience_weeks_mean: float
    max_expired_offers: int
    leaders: tuple[LeaderPool, ...]
    source: dict[str, Any]  # the parsed JSON, recorded in reports so a run reproduces
    # Share of parents who did not opt in and say yes when asked again (a policy's opt-in
    # prompt); optional in the file.
    prompt_yes_share: float = PROMPT_YES_SHARE

    def district_share(self, table: dict[str, Any], district: str) -> Any:
        return table.get(district, table["default"])


def load_calibration(path: str | Path | None = None) -> Calibration:
    """Read a calibration file; None loads the default one shipped for the demo city."""
    if path is None:
        text = resources.files("waitlist.data").joinpath(DEFAULT_NAME).read_text("utf-8")
        base: Path | None = None
    else:
        p = Path(path)
        try:
            text = p.read_text("utf-8")
        except OSError as exc:
            raise InvalidInput(
                f"cannot read calibration {p.name}: {exc.strerror}", field="calibration"
            ) from exc
        base = p.parent
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"calibration is not JSON: {exc.msg} at line {exc.lineno}", field="calibration"
        ) from exc
    return parse_calibration(raw, base=base)


def _city(raw: dict[str, Any], base: Path | None) -> dict[str, Any]:
    name = field_of(raw, "city", str)
    candidate = base / name if base is not None else None
    if candidate is not None and candidate.is_file():
        return json.loads(candidate.read_text("utf-8"))
    try:
        return json.loads(resources.files("waitlist.data").joinpath(name).read_text("utf-8"))
    except (FileNotFoundError, OSError) as exc:
        raise InvalidInput(f"city: reference file {name!r} not found", field="city") from exc


_KNOWN = {
    "format", "name", "description", "city", "start", "warmup_weeks", "demand", "programme_mix",
    "supply", "parents", "behaviour", "leaders", "notes",
}  # fmt: skip


def parse_calibration(raw: Any, *, base: Path | None = None) -> Calibration:
    """Validate a parsed calibration JSON object; every problem names its JSON path."""
    if not isinstance(raw, dict):
        raise InvalidInput("calibration: must be a JSON object", field="calibration")
    if raw.get("format") != FORMAT:
        raise InvalidInput(f"format: must be {FORMAT!r}", field="format")
    for key in raw:
        if key not in _KNOWN:
            raise InvalidInput(f"{key}: unknown key", field=key)
    city = _city(raw, base)
    districts = tuple(
        CityDistrict(d["slug"], d["name"], int(d["population"]), int(d["children_0_17"]))
        for d in city["districts"]
    )
    slugs = {d.slug for d in districts}
    try:
        start = date.fromisoformat(field_of(raw, "start", str))
    except ValueError as exc:
        raise InvalidInput("start: must be a date like 2026-01-05", field="start") from exc
    programmes_by_slug = {p["slug"]: p for p in city["programmes"]}
    mix = weights(field_of(raw, "programme_mix", dict), "programme_mix", set(programmes_by_slug))
    total = sum(mix.values())
    mix = {k: v / total for k, v in mix.items() if v > 0}

    demand = field_of(raw, "demand", dict)
    need = per_district(field_of(demand, "need", dict, "demand"), "demand.need", slugs, number)

    supply = field_of(raw, "supply", dict)
    follows = field_of(supply, "follows", str, "supply")
    if follows not in ("population", "plan"):
        raise InvalidInput("supply.follows: must be 'population' or 'plan'", field="supply.follows")
    plan: dict[str, dict[str, float]] = {}
    if follows == "plan":
        for d, row in field_of(supply, "plan", dict, "supply").items():
            if d not in slugs:
                raise InvalidInput(f"supply.plan.{d}: unknown district", field=f"supply.plan.{d}")
            plan[d] = weights(row, f"supply.plan.{d}", set(mix))
    languages = {c["code"] for c in city["languages"]}
    slots = {"morning", "day", "evening", "weekend"}

    parents = field_of(raw, "parents", dict)
    travel_weights = weights(
        field_of(parents, "max_travel_minutes", dict, "parents"), "parents.max_travel_minutes"
    )
    try:
        max_travel = {int(k): v for k, v in travel_weights.items()}
    except ValueError as exc:
        raise InvalidInput(
            "parents.max_travel_minutes: keys must be whole minutes",
            field="parents.max_travel_minutes",
        ) from exc

    behaviour = field_of(raw, "behaviour", dict)
    leaders = []
    for i, pool in enumerate(field_of(raw, "leaders", list)):
        where = f"leaders[{i}]"
        district = field_of(pool, "district", str, where)
        targets = sorted(slugs) if district == "*" else [district]
        if district != "*" and district not in slugs:
            raise InvalidInput(f"{where}.district: unknown district", field=f"{where}.district")
        progs = tuple(pool.get("programmes", sorted(mix)))
        for prog in progs:
            if prog not in programmes_by_slug:
                raise InvalidInput(
                    f"{where}.programmes: unknown {prog!r}", field=f"{where}.programmes"
                )
        for target in targets:
            leaders.append(
                LeaderPool(
                    district=target,
                    count=int(number(field_of(pool, "count", int, where), f"{where}.count")),
                    max_groups=int(number(field_of(pool, "max_groups", int, where), where)),
                    languages=tuple(field_of(pool, "languages", list, where)),
                    programmes=progs,
                )
            )
    return Calibration(
        name=str(raw.get("name", "calibration")),
        start=start,
        warmup_weeks=int(number(field_of(raw, "warmup_weeks", int), "warmup_weeks")),
        districts=districts,
        travel={o: dict(row) for o, row in city["travel_minutes"].items()},
        programmes=tuple(programmes_by_slug[s] for s in sorted(mix)),
        applications_per_1000_children=number(
            field_of(demand, "applications_per_1000_children_per_year", (int, float), "demand"),
            "demand.applications_per_1000_children_per_year",
        ),
        need=need,
        programme_mix=mix,
        supply_follows=follows,
        seats_per_application=number(
            supply.get("seats_per_application", 1.0), "supply.seats_per_application"
        ),
        plan=plan,
        recruit_weeks=int(number(field_of(supply, "recruit_weeks", int, "supply"), "supply")),
        group_languages=per_district(
            field_of(supply, "group_languages", dict, "supply"),
            "supply.group_languages",
            slugs,
            lambda v, w: weights(v, w, languages),
        ),
        group_slots=weights(field_of(supply, "slots", dict, "supply"), "supply.slots", slots),
        parent_languages=per_district(
            field_of(parents, "languages", dict, "parents"),
            "parents.languages",
            slugs,
            lambda v, w: weights(v, w, languages),
        ),
        also_swedish_share=share(
            field_of(parents, "also_swedish_share", (int, float), "parents"),
            "parents.also_swedish_share",
        ),
        slot_preferences=weights(
            field_of(parents, "slots", dict, "parents"), "parents.slots", slots | {"any"}
        ),
        opt_in_share=per_district(
            field_of(parents, "opt_in_share", dict, "parents"), "parents.opt_in_share", slugs, share
        ),
        max_travel_minutes=max_travel,
        accept_in_district=share(
            field_of(behaviour, "accept_in_district", (int, float), "behaviour"),
            "behaviour.accept_in_district",
        ),
        accept_out_of_district=share(
            field_of(behaviour, "accept_out_of_district", (int, float), "behaviour"),
            "behaviour.accept_out_of_district",
        ),
        no_response_share=share(
            field_of(behaviour, "no_response_share", (int, float), "behaviour"),
            "behaviour.no_response_share",
        ),
        response_days_max=int(
            number(field_of(behaviour, "response_days_max", int, "behaviour"), "behaviour")
        ),
        patience_weeks_mean=number(
            field_of(behaviour, "patience_weeks_mean", (int, float), "behaviour"),
            "behaviour.patience_weeks_mean",
            allow_zero=False,
        ),
        max_expired_offers=int(
            number(field_of(behaviour, "max_expired_offers", int, "behaviour"), "behaviour")
        ),
        leaders=tuple(leaders),
        prompt_yes_share=share(
            behaviour.get("prompt_yes_share", PROMPT_YES_SHARE), "behaviour.prompt_yes_share"
        ),
        source=raw,
    )
