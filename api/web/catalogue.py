"""Plain descriptions of the programmes and names of languages, in the page's language.

The programme facts (ages, languages) come from the catalogue; this module only adds the words
a parent reads: what a programme is for and what it is like (waitlist/data/programme_texts.json,
in Swedish and English; the other languages translate its English text in their gettext
catalogues, where `python -m api.web.messages` puts it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from waitlist import reasons
from waitlist.translations import translations

DATA = Path(__file__).resolve().parents[2] / "waitlist" / "data"


@lru_cache(maxsize=1)
def _texts() -> dict:
    return json.loads((DATA / "programme_texts.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _reference() -> dict:
    return json.loads((DATA / "stockholm.json").read_text(encoding="utf-8"))


def _in(text: dict[str, str], lang: str) -> str:
    return text.get(lang) or translations(lang).gettext(text["en"])


def purposes(lang: str) -> list[tuple[str, str]]:
    return [(key, _in(text, lang)) for key, text in _texts()["purposes"].items()]


def purposes_of(slug: str) -> list[str]:
    return list(_texts()["programmes"].get(slug, {}).get("purposes", []))


def description(slug: str, lang: str) -> str:
    text = _texts()["programmes"].get(slug)
    return _in(text, lang) if text else ""


def language_name(code: str, lang: str) -> str:
    """The city's own names in Swedish and English, CLDR's (Babel) in the other languages."""
    for entry in _reference()["languages"]:
        if entry["code"] == code:
            return entry.get(f"name_{lang}") or reasons.language_name(code, lang)
    return code


def language_options(lang: str, codes: list[str] | None = None) -> list[tuple[str, str]]:
    entries = _reference()["languages"]
    chosen = [e["code"] for e in entries if codes is None or e["code"] in codes]
    return [(code, language_name(code, lang)) for code in chosen]


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
