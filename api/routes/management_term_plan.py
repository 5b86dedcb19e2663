"""Term planning on the management pages: next term's budget of groups per programme in,
where to plan them out, worked out in the background (api.web.term_plan_form,
waitlist.services.term_plan_jobs), with the effect per district and programme in words built
from the plan's facts, in the reader's language."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.deps import Id
from api.routes.management_pages import management_page, manager_of
from api.web import csrf, sources
from api.web.forms import PostedForm
from api.web.term_plan_form import TermPlanPages

router = APIRouter(prefix="/management", include_in_schema=False)


def _page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    context = {
        "actor": manager_of(request),
        "section": "term-plan",
        "programmes": sorted(sources.programmes(request), key=lambda p: p.name),
        **context,
    }
    return management_page(request, "management/term_plan.html", context, status=status)


PAGES = TermPlanPages("/management/term-plan", _page)


@router.get("/term-plan")
def term_plan_page(request: Request) -> Response:
    who = manager_of(request)
    return who if isinstance(who, Response) else PAGES.form(request, who)


@router.post("/term-plan", dependencies=[Depends(csrf.verify)])
def term_plan(request: Request, posted: PostedForm) -> Response:
    who = manager_of(request)
    return who if isinstance(who, Response) else PAGES.ask(request, who, posted)


@router.get("/term-plan/{job_id}")
def plan_page(request: Request, job_id: Id) -> Response:
    who = manager_of(request)
    return who if isinstance(who, Response) else PAGES.plan(request, who, job_id)


@router.get("/term-plan/{job_id}/progress")
def plan_progress(request: Request, job_id: Id) -> Response:
    who = manager_of(request)
    return who if isinstance(who, Response) else PAGES.progress(request, who, job_id)
