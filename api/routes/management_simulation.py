"""The latest what-if simulation report, for role management only (same checks as the
dashboard).

`waitlist simulate -o DIR` writes a self-contained report.html (inline styles, charts as
data: URIs, no script), its Swedish twin report.sv.html, and registers them as the latest. The
site shows the one in the reader's language (else the other one: older reports are English
only) inside its own layout: header, menu, language switch, `<main>`, the viewport of a phone.
Only the report's body is taken (its own <head>, styles and any script are dropped), its tables
scroll sideways in a focusable region, and the page keeps the management pages' policy (no
inline script, nothing from elsewhere). `report_policy` is the policy for the report file as
written, should it be served alone.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.routes.management_pages import management_page, manager_of
from api.routes.management_what_if import what_if_context
from api.web import i18n
from waitlist.simulation import report as simulation_report

router = APIRouter(prefix="/management", include_in_schema=False)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
_DROP = re.compile(
    r"<head\b.*?</head>|<style\b.*?</style>|<script\b.*?</script>|<title\b.*?</title>"
    r"|<!doctype[^>]*>|</?(?:html|body|head)\b[^>]*>",
    re.DOTALL | re.IGNORECASE,
)
_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.DOTALL | re.IGNORECASE)
NONE = "'none'"
SUGGESTED_COMMAND = "waitlist simulate -o var/simulations/latest-run"


def report_policy(html: str) -> str:
    """The Content-Security-Policy for one report: its own <style> blocks and data: images."""
    digests = (hashlib.sha256(css.encode("utf-8")).digest() for css in _STYLE.findall(html))
    styles = " ".join(f"'sha256-{base64.b64encode(d).decode('ascii')}'" for d in digests)
    return (
        f"default-src 'none'; img-src data:; style-src {styles or NONE}; "
        "frame-ancestors 'none'; form-action 'none'; base-uri 'none'"
    )


def report_body(html: str, region_label: str) -> str:
    """The content of a written report, for the site's layout: its body only, each table in a
    region that scrolls sideways on a phone and can be reached by keyboard."""
    body = _DROP.sub("", html)
    label = escape(region_label, quote=True)
    return _TABLE.sub(
        lambda m: (
            f'<div class="table-wrap" tabindex="0" role="region" aria-label="{label}">'
            f"<table{m.group(1)}>{m.group(2)}</table></div>"
        ),
        body,
    ).strip()


@router.get("/simulation")
def simulation(request: Request) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    path = simulation_report.latest_report(lang=i18n.language_of(request))
    if path is None:
        context = {"actor": who, "section": "simulation", "command": SUGGESTED_COMMAND}
        context |= what_if_context(request, who)
        return management_page(request, "management/simulation.html", context)
    _ = i18n.gettext_for(i18n.language_of(request))
    body = report_body(path.read_text("utf-8"), _("Table of the simulation report"))
    context = {"actor": who, "section": "simulation", "report_body": body}
    context |= what_if_context(request, who)
    response = management_page(request, "management/simulation_report.html", context)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
