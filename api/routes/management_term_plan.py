"""Term planning on the management pages: next term's budget of groups per programme in,
where to plan them out (waitlist.services.term_planning), with the effect per district and
programme in words built from the plan's facts, in the reader's language."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from api.routes.management_pages import management_page, manager_of
from api.security import Principal
from api.web import csrf, sources
from api.web.forms import PostedForm
from api.web.i18n import gettext_for, language_of
from waitlist.domain.errors import DomainError
from waitlist.services.term_plan_text import cell_lines, effect_lines
from waitlist.services.term_planning import TERM_WEEKS, plan_next_term

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
def term_plan_form(request: Request) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    return _page(request, who, {"term_weeks": str(TERM_WEEKS)}, {})


@router.post("/term-plan", dependencies=[Depends(csrf.verify)])
def term_plan(request: Request, posted: PostedForm) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    lang = language_of(request)
    _ = gettext_for(lang)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    budget: dict[str, int] = {}
    for p in sources.programmes(request):
        raw = str(posted.get(f"budget-{p.slug}") or "").strip()[:6]
        values[f"budget-{p.slug}"] = raw
        if raw and not raw.isdigit():
            errors[f"budget-{p.slug}"] = _("%(programme)s: a whole number of groups, like 4.") % {
                "programme": p.name
            }
        elif raw:
            budget[p.slug] = int(raw)
    values["term_start"] = str(posted.get("term_start") or "").strip()[:10]
    values["term_weeks"] = str(posted.get("term_weeks") or "").strip()[:3]
    start = None
    if values["term_start"]:
        try:
            start = date.fromisoformat(values["term_start"])
        except ValueError:
            errors["term_start"] = _("First day of the term: a date like 2027-01-11.")
    weeks = int(values["term_weeks"]) if values["term_weeks"].isdigit() else None
    if weeks is None:
        errors["term_weeks"] = _("Weeks in the term: a whole number from 1 to 52.")
    if not errors and not any(budget.values()):
        errors["budget"] = _("Give at least one programme one group or more.")
    if errors or weeks is None:
        return _page(request, who, values, errors, status=422)
    try:
        planned = plan_next_term(
            sources.uow_factory(request, who.actor)(readonly=True),
            who,
            budget,
            term_start=start,
            term_weeks=weeks,
        )
    except DomainError as exc:
        field = {"term_start": "term_start", "term_weeks": "term_weeks"}.get(
            exc.field or "", "budget"
        )
        return _page(request, who, values, {field: exc.message}, status=422)
    return _page(
        request,
        who,
        values,
        {},
        planned=planned,
        effects=effect_lines(planned, lang),
        cells=cell_lines(planned, lang),
    )
