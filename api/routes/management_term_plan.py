"""Term planning on the management pages: next term's budget of groups per programme in,
where to plan them out (waitlist.services.term_planning), with the effect per district and
programme in words built from the plan's facts, in the reader's language."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.routes.management_pages import management_page, manager_of
from api.security import Principal
from api.web import csrf, sources, term_plan_form
from api.web.forms import PostedForm
from waitlist.services.term_planning import TERM_WEEKS

router = APIRouter(prefix="/management", include_in_schema=False)


def _page(
    request: Request, who: Principal, values: dict, errors: dict, status: int = 200, **extra: object
) -> Response:
    programmes = sorted(sources.programmes(request), key=lambda p: p.name)
    context = {
        "actor": who,
        "section": "term-plan",
        "programmes": programmes,
        "values": values,
        "errors": errors,
        **extra,
    }
    return management_page(request, "management/term_plan.html", context, status=status)


@router.get("/term-plan")
def term_plan_page(request: Request) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    return _page(request, who, {"term_weeks": str(TERM_WEEKS)}, {})


@router.post("/term-plan", dependencies=[Depends(csrf.verify)])
def term_plan(request: Request, posted: PostedForm) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    values, errors, extra = term_plan_form.plan_from_form(request, who, posted)
    return _page(request, who, values, errors, status=422 if errors else 200, **extra)
