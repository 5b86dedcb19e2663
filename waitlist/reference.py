"""Reference data shipped with the package: waitlist/data/stockholm.json (see its README.md).

    data = load_reference()
    data.districts, data.travel_minutes, data.programmes, data.languages, data.neighbours

All figures in it are estimates (documented in the README next to the file).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from waitlist.domain.reference import District, Programme
from waitlist.domain.values import ProgrammeKind


@dataclass(frozen=True)
class DistrictInfo:
    district: District
    lat: float | None
    lon: float | None
    population: int | None
    children_0_17: int | None


@dataclass(frozen=True)
class Language:
    code: str
    name_en: str
    name_sv: str


@dataclass(frozen=True)
class ReferenceData:
    districts: tuple[DistrictInfo, ...]
    travel_minutes: dict[str, dict[str, int]]
    neighbours: dict[str, tuple[str, ...]]
    programmes: tuple[Programme, ...]
    languages: tuple[Language, ...]

    def district_slugs(self) -> list[str]:
        return [d.district.slug for d in self.districts]

    def programme(self, slug: str) -> Programme | None:
        return next((p for p in self.programmes if p.slug == slug), None)

    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]


def _programme(raw: dict[str, Any]) -> Programme:
    return Programme(
        slug=raw["slug"],
        name=raw["name"],
        kind=ProgrammeKind(raw["kind"]),
        child_age_min=int(raw["child_age_min"]),
        child_age_max=int(raw["child_age_max"]),
        capacity=int(raw["capacity"]),
        min_size=int(raw["min_size"]),
        languages=tuple(raw.get("languages", ())),
        sessions=raw.get("sessions"),
        weeks=raw.get("weeks"),
    )


def parse_reference(raw: dict[str, Any]) -> ReferenceData:
    districts = tuple(
        DistrictInfo(
            district=District(slug=d["slug"], name=d["name"]),
            lat=d.get("lat"),
            lon=d.get("lon"),
            population=d.get("population"),
            children_0_17=d.get("children_0_17"),
        )
        for d in raw["districts"]
    )
    travel = {o: {d: int(m) for d, m in row.items()} for o, row in raw["travel_minutes"].items()}
    return ReferenceData(
        districts=districts,
        travel_minutes=travel,
        neighbours={k: tuple(v) for k, v in raw.get("neighbours", {}).items()},
        programmes=tuple(_programme(p) for p in raw["programmes"]),
        languages=tuple(
            Language(code=x["code"], name_en=x["name_en"], name_sv=x["name_sv"])
            for x in raw.get("languages", ())
        ),
    )


@lru_cache
def load_reference() -> ReferenceData:
    text = resources.files("waitlist").joinpath("data/stockholm.json").read_text("utf-8")
    return parse_reference(json.loads(text))
