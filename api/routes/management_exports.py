"""The management page's downloads (CSV and Excel): the page's tables in the reader's
language, for role management only (the same checks as the page). The machine format with
English keys stays at /api/v1/management/report.*."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.problems import ProblemError
from api.routes.management_data import closed_quarter, quarter_report
from api.routes.management_pages import manager_of
from api.web import sources
from api.web.i18n import gettext_for, language_of
from api.web.management_wording import export_wording
from api.web.render import file_download
from api.web.staff_session import settings_of
from waitlist.metrics import readable
from waitlist.metrics.export import XLSX_MEDIA_TYPE

router = APIRouter(prefix="/management", include_in_schema=False)


@router.get("/report.{ext}")
def download(request: Request, ext: str) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    if ext not in ("csv", "xlsx"):
        return Response(status_code=404)
    try:
        period = closed_quarter(request.query_params.get("period"))
    except ProblemError as exc:
        return Response(exc.detail, status_code=422, media_type="text/plain; charset=utf-8")
    settings = settings_of(request)
    report = quarter_report(request.app.state.engine, settings, period)
    lang = language_of(request)
    words = export_wording(
        gettext_for(lang),
        {d.slug: d.name for d in sources.districts(request)},
        {p.slug: p.name for p in sources.programmes(request)},
        settings.small_cell_min,
    )
    if ext == "csv":
        data, media = readable.to_csv([report], words), "text/csv; charset=utf-8"
    else:
        data, media = readable.to_xlsx([report], words), XLSX_MEDIA_TYPE
    return file_download(data, media, f"waiting-times-{period.label}.{ext}", lang)
