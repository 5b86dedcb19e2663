"""Languages of the web pages: Swedish by default, English one click away.

Messages are written in English in the templates and code (`_("...")`) and translated through
the gettext catalogues loaded by `waitlist.translations` (shared with the written reports).

The language comes from `?lang=` (which also sets a cookie, so the choice sticks), then the
cookie, then Swedish.
"""

from __future__ import annotations

from starlette.requests import Request

from waitlist.translations import (
    DEFAULT_LANGUAGE,
    DOMAIN,
    LANGUAGES,
    LOCALE_DIR,
    gettext_for,
    translations,
)

__all__ = [
    "COOKIE",
    "DEFAULT_LANGUAGE",
    "DOMAIN",
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "LOCALE_DIR",
    "gettext_for",
    "language_of",
    "ngettext_for",
    "requested_language",
    "translations",
]

COOKIE = "lang"
LANGUAGE_NAMES = {"sv": "Svenska", "en": "English"}


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


def ngettext_for(lang: str):  # noqa: ANN201
    return translations(lang).ngettext
