"""Keep the gettext catalogues in step with the code: `python -m api.web.messages`.

Extracts every `_()` / `N_()` / `ngettext()` string from api/web/*.py, the management page
routes (api/routes/management*.py), api/templates (Babel with the Jinja2 extractor), the
simulation report (waitlist/simulation: its modules and its page template), the notices and
calendar files (waitlist/services/notice_texts.py, calendar_file.py) and the English texts of
the programme descriptions (waitlist/data/programme_texts.json), merges them into
waitlist/locale/<lang>/LC_MESSAGES/messages.po for every language there, keeping existing
translations, fills English with the English source text, compiles the .mo files and lists the
strings still untranslated (exit code 1 if any): every string in Swedish and English, the
parents' strings (`PARENT_SOURCES`) in the other languages, whose staff pages stay in Swedish
and English.

    python -m api.web.messages             # extract, merge, compile, list what is missing
    python -m api.web.messages --status    # per language: parents' strings translated/missing
    python -m api.web.messages --add so    # start a catalogue for a new language, then merge
"""

from __future__ import annotations

import argparse
import copy
import json
import sys
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from api.web.i18n import DOMAIN, LOCALE_DIR, STAFF_LANGUAGES, own_name
from waitlist.translations import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("api/web/**.py", "python"),
    ("api/routes/management*.py", "python"),
    ("api/templates/**.html", "jinja2"),
    ("waitlist/simulation/*.py", "python"),
    ("waitlist/services/notice_texts.py", "python"),
    ("waitlist/services/calendar_file.py", "python"),
    ("waitlist/services/term_plan_text.py", "python"),
    ("waitlist/reasons.py", "python"),
    ("solver/recommend/explain.py", "python"),
    ("waitlist/simulation/templates/*.html", "jinja2"),
]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}
PROGRAMME_TEXTS = "waitlist/data/programme_texts.json"

# What parents read: their pages, the words those pages and their notices are built from, the
# notices (mail, SMS), the calendar file and the reasons of offers. A message used in any of
# these must be translated in every language; the rest (staff pages, reports) only in sv/en.
PARENT_SOURCES = (
    "api/templates/base.html",
    "api/templates/macros.html",
    "api/templates/error.html",
    "api/templates/parents/",
    "api/web/parents.py",
    "api/web/status.py",
    "api/web/forms.py",
    "api/web/errors.py",
    "api/web/wording.py",
    "waitlist/services/notice_texts.py",
    "waitlist/services/calendar_file.py",
    "waitlist/reasons.py",
    PROGRAMME_TEXTS,
)
# The mark in the header of a catalogue whose translations no native speaker has checked yet;
# remove the line once one has.
REVIEW_MARK = "NEEDS REVIEW: translated without a native speaker; have one check it."


def _programme_texts() -> list[dict[str, str]]:
    data = json.loads((ROOT / PROGRAMME_TEXTS).read_text(encoding="utf-8"))
    return [*data["purposes"].values(), *data["programmes"].values()]


def extract() -> Catalog:
    template = Catalog(domain=DOMAIN, project="waitlist")
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT,
        method_map=METHODS,
        options_map={
            "api/templates/**.html": {"trimmed": "true"},
            "waitlist/simulation/templates/*.html": {"trimmed": "true"},
        },
        keywords=KEYWORDS,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    for text in _programme_texts():
        template.add(text["en"], None, [(PROGRAMME_TEXTS, 1)])
    return template


def is_for_parents(message: Message) -> bool:
    return any(path.startswith(PARENT_SOURCES) for path, _line in message.locations)


def _read(lang: str) -> Catalog | None:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po.exists():
        return None
    with po.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def _write(lang: str, catalog: Catalog) -> None:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    po.parent.mkdir(parents=True, exist_ok=True)
    with po.open("wb") as handle:
        write_po(
            handle,
            catalog,
            width=100,
            omit_header=False,
            sort_output=True,
            include_lineno=False,
        )
    with po.with_suffix(".mo").open("wb") as handle:
        write_mo(handle, catalog)


def needed(lang: str, message: Message) -> bool:
    """Whether `message` must be translated in `lang`."""
    return bool(message.id) and (lang in STAFF_LANGUAGES or is_for_parents(message))


def update(template: Catalog, languages: tuple[str, ...] = LANGUAGES) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    fixed = {text["en"]: text for text in _programme_texts()}
    for lang in languages:
        catalog = _read(lang)
        if catalog is None:  # (an empty catalogue is falsy: test for None)
            catalog = Catalog(locale=lang, domain=DOMAIN, project="waitlist")
        # (a copy: Catalog.update shares the template's new messages with the catalogue)
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            if isinstance(message.id, str) and lang in fixed.get(message.id, {}):
                message.string = fixed[message.id][lang]  # sv and en live in the JSON file
            if lang == "en" and not filled(message.string):
                message.string = message.id
            message.flags.discard("fuzzy")
            if needed(lang, message) and not filled(message.string):
                missing.setdefault(lang, []).append(str(message.id))
        _write(lang, catalog)
    return missing


def filled(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(bool(s) for s in string)
    return bool(string)


def status() -> list[str]:
    """One line per language: the parents' messages translated and missing, and whether the
    catalogue still waits for a native speaker's review."""
    lines = []
    for lang in LANGUAGES:
        catalog = _read(lang)
        if catalog is None:
            continue
        parents = [m for m in catalog if m.id and is_for_parents(m)]
        done = sum(1 for m in parents if filled(m.string))
        review = REVIEW_MARK in (catalog.header_comment or "")
        lines.append(
            f"{lang}  {own_name(lang)}: parents' messages {done} translated, "
            f"{len(parents) - done} missing"
            + ("; needs a native speaker's review" if review else "")
        )
    return lines


def add(lang: str) -> None:
    """Start the catalogue of a new language, marked as needing a native speaker's review;
    the plural forms come from CLDR (Babel)."""
    try:
        Locale.parse(lang)
    except (ValueError, UnknownLocaleError):
        raise SystemExit(f"error: {lang!r} is not a language code Babel knows") from None
    if _read(lang) is not None:
        raise SystemExit(f"error: waitlist/locale/{lang} exists already")
    catalog = Catalog(locale=lang, domain=DOMAIN, project="waitlist")
    catalog.header_comment = f"# {own_name(lang)} translations for waitlist.\n# {REVIEW_MARK}"
    _write(lang, catalog)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m api.web.messages",
        description="Extract the messages, merge them into every catalogue and compile them.",
    )
    parser.add_argument(
        "--status", action="store_true", help="only list each language's parents' messages"
    )
    parser.add_argument(
        "--add", metavar="LANG", help="start the catalogue of a new language (e.g. so), then merge"
    )
    args = parser.parse_args(argv)
    if args.status:
        print("\n".join(status()))
        return 0
    languages = LANGUAGES
    if args.add:
        add(args.add)
        print(
            f"Started waitlist/locale/{args.add}/LC_MESSAGES/{DOMAIN}.po; translate it, run again."
        )
        languages = (*languages, args.add)
    missing = update(extract(), languages)
    for lang, ids in missing.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
