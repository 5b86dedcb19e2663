"""Plain descriptions of the programmes and names of languages, in the page's language.

The programme facts (ages, languages) come from the catalogue; this module only adds the words
a parent reads: what a programme is for and what it is like (waitlist/data/programme_texts.json).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "waitlist" / "data"


@lru_cache(maxsize=1)
def _texts() -> dict:
    return json.loads((DATA / "programme_texts.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _reference() -> dict:
    return json.loads((DATA / "stockholm.json").read_text(encoding="utf-8"))


def purposes(lang: str) -> list[tuple[str, str]]:
    return [(key, text[lang]) for key, text in _texts()["purposes"].items()]


def purposes_of(slug: str) -> list[str]:
    return list(_texts()["programmes"].get(slug, {}).get("purposes", []))


def description(slug: str, lang: str) -> str:
    return _texts()["programmes"].get(slug, {}).get(lang, "")


def language_name(code: str, lang: str) -> str:
    for entry in _reference()["languages"]:
        if entry["code"] == code:
            return entry[f"name_{lang}"]
    return code


def language_options(lang: str, codes: list[str] | None = None) -> list[tuple[str, str]]:
    entries = _reference()["languages"]
    chosen = [e for e in entries if codes is None or e["code"] in codes]
    return [(e["code"], e[f"name_{lang}"]) for e in chosen]


@dataclass(frozen=True)
class ProgrammeCard:
    slug: str
    name: str
    kind: str
    age_min: int
    age_max: int
    languages: tuple[str, ...]
    slots: tuple[str, ...]
    description: str
    purposes: tuple[str, ...]


def cards(programmes: list, lang: str, slots_by_programme: dict[str, list[str]]) -> list:
    """Programme cards for the chooser, from catalogue rows (anything with the catalogue's
    attribute names)."""
    return [
        ProgrammeCard(
            slug=p.slug,
            name=p.name,
            kind=str(p.kind),
            age_min=p.child_age_min,
            age_max=p.child_age_max,
            languages=tuple(p.languages),
            slots=tuple(slots_by_programme.get(p.slug, [])),
            description=description(p.slug, lang),
            purposes=tuple(purposes_of(p.slug)),
        )
        for p in programmes
    ]
