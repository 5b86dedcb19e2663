"""Keep the gettext catalogues in step with the code: `python -m api.web.messages`.

Extracts every `_()` / `N_()` / `ngettext()` string from api/web/*.py, the management page
routes (api/routes/management*.py), api/templates (Babel with the Jinja2 extractor) and the
simulation report (waitlist/simulation: its modules and its page template) and the notices
(waitlist/services/notice_texts.py), merges them into
waitlist/locale/{sv,en}/LC_MESSAGES/messages.po keeping existing translations, fills
English with the English source text, compiles the .mo files and lists the Swedish strings
still untranslated (exit code 1 if any).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from api.web.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
METHODS = [
    ("api/web/**.py", "python"),
    ("api/routes/management*.py", "python"),
    ("api/templates/**.html", "jinja2"),
    ("waitlist/simulation/*.py", "python"),
    ("waitlist/services/notice_texts.py", "python"),
    ("waitlist/services/term_plan_text.py", "python"),
    ("waitlist/reasons.py", "python"),
    ("solver/recommend/explain.py", "python"),
    ("waitlist/simulation/templates/*.html", "jinja2"),
]
KEYWORDS = {"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)}


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
    return template


def update(template: Catalog) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for lang in LANGUAGES:
        po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        po.parent.mkdir(parents=True, exist_ok=True)
        if po.exists():
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=lang, domain=DOMAIN)
        else:
            catalog = Catalog(locale=lang, domain=DOMAIN, project="waitlist")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        for message in catalog:
            if not message.id:
                continue
            if lang == "en" and not _filled(message.string):
                message.string = message.id
            message.flags.discard("fuzzy")
            if not _filled(message.string):
                missing.setdefault(lang, []).append(str(message.id))
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
    return missing


def _filled(string: object) -> bool:
    if isinstance(string, tuple | list):
        return all(bool(s) for s in string)
    return bool(string)


def main() -> int:
    missing = update(extract())
    for lang, ids in missing.items():
        for msgid in ids:
            print(f"{lang}: untranslated: {msgid}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
