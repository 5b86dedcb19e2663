"""The management page: charts of waiting-time equality, for role management only.

The charts are drawn by plotly.js, served by the app itself from the installed `plotly`
package (the city's network may have no internet). Every chart has a table as its text
alternative. The page shows published (suppressed) aggregates only, never a person.
"""

from __future__ import annotations

import json
from pathlib import Path

import plotly
from fastapi import APIRouter, Depends, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from api.problems import ProblemError
from api.routes.management_data import closed_quarter, closed_quarters, dashboard
from api.security import Principal
from api.web import csrf, sources
from api.web.forms import PostedForm
from api.web.i18n import gettext_for, language_of
from api.web.management_wording import chart_labels, hidden_text, number_formatter
from api.web.render import render
from api.web.staff_session import logged_out, principal_of, settings_of, staff_login
from waitlist.simulation.report import latest_report

router = APIRouter(prefix="/management", include_in_schema=False)
MIN_FLOWS_DRAWN = 3
PLOTLY_JS = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
# plotly.js adds its own <style> rules at run time; scripts stay same-origin only.
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)


def management_page(request: Request, template: str, context: dict, status: int = 200) -> Response:
    context = {"fmt_num": number_formatter(language_of(request)), **context}
    response = render(request, template, context, status=status)
    response.headers["Content-Security-Policy"] = CSP
    return response


def manager_of(request: Request) -> Principal | Response:
    """The logged-in management user, or the response that turns anyone else away: to the
    log-in form without a session, 403 for another role."""
    who = principal_of(request)
    if who is None:
        return RedirectResponse("/management/login", status_code=303)
    if who.role != "management":
        return management_page(request, "management/forbidden.html", {"actor": None}, status=403)
    return who


@router.get("")
def page(request: Request) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    lang = language_of(request)
    _ = gettext_for(lang)
    error = ""
    try:
        period = closed_quarter(request.query_params.get("period"))
    except ProblemError:
        period = closed_quarter(None)
        error = _("Choose a quarter that has ended, like %(example)s.") % {"example": period.label}
    names = {d.slug: d.name for d in sources.districts(request)}
    data = dashboard(request.app.state.engine, settings_of(request), period, names)
    published = [f for f in data["flows"] if f["placements"] is not None]
    data = {
        **data,
        "labels": chart_labels(_, lang, data["target_weeks"], data["small_cell_min"]),
        # One or two published flows make a poor chart: each district's in and out say more.
        "flows_chart": "pairs" if len(published) >= MIN_FLOWS_DRAWN else "districts",
    }
    context = {
        "actor": who,
        "section": "dashboard",
        "data": data,
        "period_start": period.start,
        "period_end": period.end,
        # Escaped so no text in the data can close the script element.
        "data_json": json.dumps(data).replace("<", "\\u003c"),
        "quarters": [q.label for q in closed_quarters()],
        "simulation_report": latest_report() is not None,
        "min_flows": MIN_FLOWS_DRAWN,
        "hidden_text": hidden_text(_, data["small_cell_min"]),
        "error": error,
    }
    return management_page(
        request, "management/dashboard.html", context, status=422 if error else 200
    )


@router.get("/login")
def login_form(request: Request) -> Response:
    return management_page(request, "management/login.html", {"values": {}, "errors": {}})


@router.post("/login", dependencies=[Depends(csrf.verify)])
def login(request: Request, posted: PostedForm) -> Response:
    _ = gettext_for(language_of(request))
    return staff_login(
        request,
        posted,
        "management",
        _("Wrong username or password, or not a management account."),
        "/management",
        lambda context: management_page(request, "management/login.html", context, status=422),
    )


@router.post("/logout", dependencies=[Depends(csrf.verify)])
def logout(request: Request) -> Response:
    return logged_out(request, "/management/login")


@router.get("/assets/plotly.min.js")
def plotly_js() -> Response:
    return FileResponse(
        PLOTLY_JS,
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )
