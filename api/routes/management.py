"""Management: waiting-time equality figures (JSON, CSV, XLSX), for role management only.

Every figure is an aggregate with small cells suppressed (waitlist.metrics); no route here
returns an application, an offer or anything else about one person. The page at
/management is in api/routes/management_pages.py and uses the same data; the latest what-if
simulation report is at /management/simulation (api/routes/management_simulation.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from starlette.responses import Response

from api.deps import CurrentManager, EngineDep, SettingsDep
from api.problems import problem_responses
from api.routes import (
    management_exports,
    management_pages,
    management_simulation,
    management_term_plan,
    management_what_if,
)
from api.routes.management_data import closed_quarter, dashboard, quarter_report
from waitlist.metrics import export
from waitlist.metrics.report import Report

api = APIRouter(prefix="/api/v1/management", tags=["management"])

PeriodQuery = Query(
    default=None,
    description="A closed quarter, e.g. 2026-Q1 (default: the last closed quarter)",
    max_length=16,
)


def _quarter_report(
    _manager: CurrentManager,
    engine: EngineDep,
    settings: SettingsDep,
    period: str | None = PeriodQuery,
) -> Report:
    return quarter_report(engine, settings, closed_quarter(period))


QuarterReport = Annotated[Report, Depends(_quarter_report)]
"""The figures of one closed quarter, for management only (what the three report formats show)."""


class PeriodFigures(BaseModel):
    period: str
    start: str
    end: str
    rows: list[dict[str, Any]]
    equality: list[dict[str, Any]]
    flows: list[dict[str, Any]]


class ManagementReport(BaseModel):
    format: str
    small_cell_min: int | None
    target_weeks: int | None
    periods: list[PeriodFigures]


@api.get(
    "/report",
    response_model=ManagementReport,
    responses=problem_responses(401, 403, 422),
    summary="Waiting-time figures of a quarter per district x programme, small cells hidden",
)
def report(rep: QuarterReport) -> ManagementReport:
    return ManagementReport.model_validate(export.to_json([rep]))


@api.get(
    "/report.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **problem_responses(401, 403, 422)},
    summary="The same figures as CSV (UTF-8 with BOM)",
)
def report_csv(rep: QuarterReport) -> Response:
    return _download(export.to_csv([rep]), "text/csv; charset=utf-8", rep, "csv")


@api.get(
    "/report.xlsx",
    response_class=Response,
    responses={200: {"content": {export.XLSX_MEDIA_TYPE: {}}}, **problem_responses(401, 403, 422)},
    summary="The same figures as an Excel workbook",
)
def report_xlsx(rep: QuarterReport) -> Response:
    return _download(export.to_xlsx([rep]), export.XLSX_MEDIA_TYPE, rep, "xlsx")


@api.get(
    "/dashboard",
    response_model=dict[str, Any],
    responses=problem_responses(401, 403, 422),
    summary="What the management page draws: a quarter by district and the weekly trend",
)
def dashboard_json(
    _manager: CurrentManager,
    engine: EngineDep,
    settings: SettingsDep,
    period: str | None = PeriodQuery,
    weeks: int = Query(default=26, ge=4, le=104),
) -> dict[str, Any]:
    return dashboard(engine, settings, closed_quarter(period), {}, weeks)


def _download(data: bytes, media_type: str, rep: Report, ext: str) -> Response:
    name = f"waiting-times-{rep.period.label}.{ext}"
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


router = APIRouter()
router.include_router(api)
router.include_router(management_pages.router)
router.include_router(management_exports.router)
router.include_router(management_simulation.router)
router.include_router(management_what_if.router)
router.include_router(management_term_plan.router)


@router.get("/favicon.ico", include_in_schema=False)
def favicon() -> Response:
    # Browsers ask for it on every page; without an answer they log a 404 in the console.
    return Response(status_code=204, headers={"Cache-Control": "public, max-age=86400"})
