"""The gettext catalogues, for the web pages, the notices and the written reports.

Messages are written in English in the code and templates (`_("...")`) and translated in
`waitlist/locale/<lang>/LC_MESSAGES/messages.po` (kept in step with the code by
`python -m api.web.messages`). Every language with a catalogue there is spoken on the parents'
pages and in their notices; staff pages and reports speak Swedish and English
(`STAFF_LANGUAGES`). A message a catalogue leaves untranslated shows in English. The compiled
`.mo` files are committed; when a `.po` is newer than its `.mo` (a catalogue edited but not yet
compiled) it is compiled on load, so a stale `.mo` can never be used.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "sv"
STAFF_LANGUAGES = ("sv", "en")


def _catalogued() -> tuple[str, ...]:
    """Swedish and English first, then every other language with a catalogue, by code."""
    found = {p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")}
    return (*STAFF_LANGUAGES, *sorted(found - set(STAFF_LANGUAGES)))


LANGUAGES = _catalogued()

Gettext = Callable[[str], str]


def _compiled(lang: str) -> bytes:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        return mo.read_bytes()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    data = buffer.getvalue()
    with contextlib.suppress(OSError):  # a read-only install uses the freshly compiled catalogue
        mo.write_bytes(data)
    return data


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return Translations(BytesIO(_compiled(lang)), domain=DOMAIN)


def direction(lang: str) -> str:
    """ "rtl" for a language written right to left (Arabic, Persian), else "ltr" (from CLDR)."""
    return "rtl" if Locale.parse(lang).text_direction == "rtl" else "ltr"


def own_name(lang: str) -> str:
    """The language named in itself, as a language picker shows it: "Svenska", "العربية"."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def gettext_for(lang: str) -> Gettext:
    return translations(lang).gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext name for "mark, translate later"
    """Mark a message for the catalogues where it is defined; it is translated where shown."""
    return message
