"""Render a page: Jinja2 templates with the request's language, CSRF token and helpers."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.web import catalogue, csrf, i18n, wording
from waitlist import reasons
from waitlist.config import get_settings, secure_cookies
from waitlist.domain.reasons import ReasonFacts

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates"

env = Environment(
    loader=FileSystemLoader(TEMPLATE_DIR),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

ONE_YEAR = 365 * 24 * 3600


def warm_up() -> None:
    """Compile every template and load each language's catalogue and locale data, once at the
    start, so the first visitor of a page waits no longer than the next."""
    for name in env.list_templates(filter_func=lambda name: name.endswith(".html")):
        env.get_template(name)
    for lang in i18n.LANGUAGES:
        i18n.translations(lang)
        format_date(date.today(), format="long", locale=lang)


@pass_context
def _language_name(context: dict[str, Any], code: str) -> str:
    return catalogue.language_name(code, context["lang"])


env.filters["language_name"] = _language_name


def url_with(request: Request, **params: str) -> str:
    """The current page's address with some query parameters replaced."""
    query = dict(request.query_params)
    query.update(params)
    return f"{request.url.path}?{urlencode(query)}"


def page_context(request: Request) -> dict[str, Any]:
    lang = i18n.language_of(request)
    others = [code for code in i18n.languages_of(request) if code != lang]

    def fmt_date(value: date | None, style: str = "long") -> str:
        return "" if value is None else format_date(value, format=style, locale=lang)

    def fmt_time(start: str, end: str) -> str:
        """'18:00', '20:00' -> '18.00–20.00' in Swedish, '18:00–20:00' in English."""
        sep = "." if lang == "sv" else ":"
        return "–".join(t.replace(":", sep) for t in (start, end))

    _ = i18n.gettext_for(lang)
    return {
        "request": request,
        "slot_names": wording.slot_names(_),
        "weekday_names": wording.weekday_names(_),
        "lang": lang,
        "dir": i18n.direction(lang),
        # The language picker: every other language, named in itself.
        "switch_languages": [
            (code, i18n.LANGUAGE_NAMES[code], i18n.direction(code), url_with(request, lang=code))
            for code in others
        ],
        "_": _,
        "ngettext": i18n.ngettext_for(lang),
        "csrf_field": csrf.FIELD,
        "csrf_token": csrf.token_for(request),
        "fmt_date": fmt_date,
        "fmt_time": fmt_time,
        "wait_range": lambda estimate: wording.wait_range(_, estimate, lang),
        "decimal": lambda value, places=1: reasons.decimal(float(value or 0), lang, places),
        "reason_of": lambda facts: (
            reasons.render(ReasonFacts.from_dict(facts), lang) if facts else ""
        ),
    }


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    data = page_context(request)
    data.update(context or {})
    html = env.get_template(template).render(data)
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # status links must not leak
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    settings = getattr(request.app.state, "settings", None) or get_settings()
    secure = secure_cookies(settings, request.url.hostname)
    if request.cookies.get(csrf.COOKIE) != data["csrf_token"]:
        response.set_cookie(
            csrf.COOKIE, data["csrf_token"], httponly=True, secure=secure, samesite="lax", path="/"
        )
    browser = getattr(request.state, "csrf_browser", None)
    if browser and request.cookies.get(csrf.BROWSER_COOKIE) != browser:
        response.set_cookie(
            csrf.BROWSER_COOKIE, browser, httponly=True, secure=secure, samesite="lax", path="/"
        )
    asked = i18n.requested_language(request)
    if asked and request.cookies.get(i18n.COOKIE) != asked:
        response.set_cookie(i18n.COOKIE, asked, max_age=ONE_YEAR, samesite="lax", path="/")
    return response


def file_download(data: bytes, media_type: str, name: str, lang: str) -> Response:
    """A file to save (a table in the reader's language), never kept by a cache."""
    return Response(
        data,
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Language": lang,
            "Cache-Control": "no-store",
        },
    )
