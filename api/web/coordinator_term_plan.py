"""Term planning on the coordinators' pages: the same form and plan as management's (the plan
is city-wide, so two coordinators see the same advice), in the coordinators' layout."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.web import csrf, sources, term_plan_form
from api.web.coordinator import staff_page
from api.web.forms import PostedForm
from api.web.staff_session import coordinator
from waitlist.services.term_planning import TERM_WEEKS

router = APIRouter(prefix="/coordinator", include_in_schema=False)


def _page(request: Request, context: dict, status: int = 200) -> Response:
    context = {
        "actor": coordinator(request),
        "section": "term-plan",
        "programmes": sorted(sources.programmes(request), key=lambda p: p.name),
        **context,
    }
    return staff_page(request, "coordinator/term_plan.html", context, status=status)


@router.get("/term-plan")
def term_plan_page(request: Request) -> Response:
    return _page(request, {"values": {"term_weeks": str(TERM_WEEKS)}, "errors": {}})


@router.post("/term-plan", dependencies=[Depends(csrf.verify)])
def term_plan(request: Request, posted: PostedForm) -> Response:
    values, errors, extra = term_plan_form.plan_from_form(request, coordinator(request), posted)
    context = {"values": values, "errors": errors, **extra}
    return _page(request, context, status=422 if errors else 200)
