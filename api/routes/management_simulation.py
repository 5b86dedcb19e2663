"""The latest what-if simulation report, for role management only (same checks as the
dashboard).

`waitlist simulate -o DIR` writes a self-contained report.html (inline styles, charts as
data: URIs, no script), its Swedish twin report.sv.html, and registers them as the latest. The
page in the reader's language (else the other one: older reports are English only) is served
as written, under a policy that allows nothing but its own inline styles (by hash) and
embedded images: the page can run no script, load nothing from anywhere, and be framed by no
one.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, Response

from api.routes.management_pages import management_page, manager_of
from api.web import i18n
from api.web.render import ONE_YEAR
from waitlist.simulation import report as simulation_report

router = APIRouter(prefix="/management", include_in_schema=False)
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
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


@router.get("/simulation")
def simulation(request: Request) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    path = simulation_report.latest_report(lang=i18n.language_of(request))
    if path is None:
        context = {"actor": who, "section": "simulation", "command": SUGGESTED_COMMAND}
        return management_page(request, "management/simulation.html", context)
    html = path.read_text("utf-8")
    response = HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": report_policy(html),
            "Cache-Control": "no-store",
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )
    asked = i18n.requested_language(request)
    if asked and request.cookies.get(i18n.COOKIE) != asked:  # the choice sticks, as on pages
        response.set_cookie(i18n.COOKIE, asked, max_age=ONE_YEAR, samesite="lax", path="/")
    return response
