"""Term planning on the coordinators' pages: the same form and plans as management's (a plan
is city-wide, so two coordinators asking the same share it), in the coordinators' layout,
showing the effect in the coordinator's own district (api.web.term_plan_form)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import Id
from api.web import csrf, sources
from api.web.coordinator import staff_page
from api.web.forms import PostedForm
from api.web.staff_session import coordinator
from api.web.term_plan_form import TermPlanPages

router = APIRouter(prefix="/coordinator", include_in_schema=False)


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    context = {
        "actor": coordinator(request),
        "section": "term-plan",
        "programmes": sorted(sources.programmes(request), key=lambda p: p.name),
        **context,
    }
    return staff_page(request, "coordinator/term_plan.html", context, status=status)


PAGES = TermPlanPages("/coordinator/term-plan", _page)


@router.get("/term-plan")
def term_plan_page(request: Request) -> Response:
    return PAGES.form(request, coordinator(request))


@router.post("/term-plan", dependencies=[Depends(csrf.verify)])
def term_plan(request: Request, posted: PostedForm) -> Response:
    return PAGES.ask(request, coordinator(request), posted)


@router.get("/term-plan/{job_id}")
def plan_page(request: Request, job_id: Id) -> Response:
    return PAGES.plan(request, coordinator(request), job_id)


@router.get("/term-plan/{job_id}/progress")
def plan_progress(request: Request, job_id: Id) -> Response:
    return PAGES.progress(request, coordinator(request), job_id)
