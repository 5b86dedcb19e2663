"""Languages of the web pages: Swedish by default, English one click away.

Messages are written in English in the templates and code (`_("...")`) and translated through
gettext catalogues in `waitlist/locale/{sv,en}/LC_MESSAGES/messages.po`. The compiled `.mo`
files are committed; when a `.po` is newer than its `.mo` (a catalogue edited but not yet
compiled) it is compiled on load, so a stale `.mo` can never be served.

The language comes from `?lang=` (which also sets a cookie, so the choice sticks), then the
cookie, then Swedish.
"""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from starlette.requests import Request

LOCALE_DIR = Path(__file__).resolve().parents[2] / "waitlist" / "locale"
DOMAIN = "messages"
LANGUAGES = ("sv", "en")
DEFAULT_LANGUAGE = "sv"
COOKIE = "lang"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


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
    try:
        mo.write_bytes(data)
    except OSError:  # a read-only install still serves the freshly compiled catalogue
        pass
    return data


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> Translations:
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return Translations(BytesIO(_compiled(lang)), domain=DOMAIN)


def requested_language(request: Request) -> str | None:
    """The language asked for in the query string, if it is one we speak."""
    value = request.query_params.get("lang")
    return value if value in LANGUAGES else None


def language_of(request: Request) -> str:
    asked = requested_language(request)
    if asked:
        return asked
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie in LANGUAGES else DEFAULT_LANGUAGE


def gettext_for(lang: str):  # noqa: ANN201 - a plain callable for templates
    return translations(lang).gettext


def ngettext_for(lang: str):  # noqa: ANN201
    return translations(lang).ngettext
