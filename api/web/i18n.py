"""Languages of the web pages: Swedish by default, every other language one click away.

Parents' pages speak every language with a catalogue (`LANGUAGES`); the coordinators' and
management pages speak Swedish and English (`STAFF_LANGUAGES`) and show Swedish to a browser
that chose another language on a parent's page.

Messages are written in English in the templates and code (`_("...")`) and translated through
the gettext catalogues loaded by `waitlist.translations` (shared with the written reports).

The language comes from `?lang=` (which also sets a cookie, so the choice sticks), then the
cookie, then Swedish. Arabic and Persian pages are written right to left (`direction`).
"""

from __future__ import annotations

from starlette.requests import Request

from waitlist.translations import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    STAFF_LANGUAGES,
    direction,
    gettext_for,
    own_name,
    translations,
)

__all__ = [
    "COOKIE",
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "STAFF_LANGUAGES",
    "direction",
    "gettext_for",
    "language_of",
    "languages_of",
    "ngettext_for",
    "own_name",
    "requested_language",
    "translations",
]

COOKIE = "lang"
LANGUAGE_NAMES = {code: own_name(code) for code in LANGUAGES}
STAFF_PATHS = ("/coordinator", "/management")


def languages_of(request: Request) -> tuple[str, ...]:
    """The languages the requested page speaks: staff pages Swedish and English only."""
    return STAFF_LANGUAGES if request.url.path.startswith(STAFF_PATHS) else LANGUAGES


def requested_language(request: Request) -> str | None:
    """The language asked for in the query string, if this page speaks it."""
    value = request.query_params.get("lang")
    return value if value in languages_of(request) else None


def language_of(request: Request) -> str:
    asked = requested_language(request)
    if asked:
        return asked
    cookie = request.cookies.get(COOKIE)
    return cookie if cookie in languages_of(request) else DEFAULT_LANGUAGE


def ngettext_for(lang: str):  # noqa: ANN201
    return translations(lang).ngettext
