"""Term planning, the same for management and coordinators: the form (the budget per
programme, the term's first day and length) asks for a plan and goes to its page at once; a
worker plans in the background (waitlist.services.term_plan_jobs). The plan's page shows the
progress (live through site.js from its JSON view, or a "Check again" button without
JavaScript), then the plan's effect per district and the groups to plan, in the reader's
language. A coordinator sees the effect in their own district. Below the form, the plans
asked for before, newest first, 20 a page (`?page=N`): when, who asked (a role, never a
name), the state, and a link to each.

`TermPlanPages(base, render, who)` gives each side's routes their answers; `render(request,
context, status)` draws the side's page with the shared body (term_plan_body.html).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from api.security import Principal
from api.web import paging, sources
from api.web.forms import Form
from api.web.i18n import gettext_for, language_of
from api.web.job_progress import job_answer, no_such_job
from waitlist.domain.errors import DomainError, NotFound
from waitlist.services import term_plan_jobs
from waitlist.services.job_claims import DONE, FAILED, QUEUED
from waitlist.services.term_plan_text import cell_lines, effect_lines
from waitlist.services.term_planning import TERM_WEEKS
from waitlist.storage.columns import utcnow

Render = Callable[[Request, dict[str, Any], int], Response]
RECENT_PER_PAGE = 20


def read_form(
    request: Request, posted: FormData
) -> tuple[dict[str, str], dict[str, str], dict[str, int], date | None, int | None]:
    """(values to show again, errors by field, budget, first day or None, weeks)."""
    _ = gettext_for(language_of(request))
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    budget: dict[str, int] = {}
    for p in sources.programmes(request):
        raw = str(posted.get(f"budget-{p.slug}") or "").strip()[:6]
        values[f"budget-{p.slug}"] = raw
        if raw and not (raw.isascii() and raw.isdigit()):
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
    raw_weeks = values["term_weeks"]
    weeks = int(raw_weeks) if raw_weeks.isascii() and raw_weeks.isdigit() else None
    if weeks is None:
        errors["term_weeks"] = _("Weeks in the term: a whole number from 1 to 52.")
    if not errors and not any(budget.values()):
        errors["budget"] = _("Give at least one programme one group or more.")
    return values, errors, budget, start, weeks


def progress_text(run: term_plan_jobs.TermPlanRun, lang: str) -> str:
    _ = gettext_for(lang)
    if run.state == QUEUED:
        return _("Waiting for a free worker to plan the term.")
    if run.state == FAILED:
        return _("The plan could not be made. Plan the term again.")
    if run.state == DONE:
        return _("The plan is ready.")
    seconds = int((utcnow() - run.claimed_at).total_seconds()) if run.claimed_at else 0
    if not run.steps:
        return _("Planning: reading the queues (%(seconds)d s so far).") % {"seconds": seconds}
    what = (
        _("placing the groups where the need is")
        if run.step <= 1
        else _("the usual plan, to compare with")
    )
    return _("Planning: step %(step)d of %(steps)d, %(what)s (%(seconds)d s so far).") % {
        "step": run.step,
        "steps": run.steps,
        "what": what,
        "seconds": seconds,
    }


@dataclass(frozen=True)
class TermPlanPages:
    base: str  # "/management/term-plan"
    render: Render

    def form(self, request: Request, who: Principal) -> Response:
        """The form, and the plans asked for before, newest first, a page at a time."""
        _ = gettext_for(language_of(request))
        query = Form(request.query_params, _)  # type: ignore[arg-type]
        number = paging.page_number(query)
        asked: list[term_plan_jobs.AskedPlan] = []
        total = 0
        if query.ok:
            asked, total = term_plan_jobs.recent(
                sources.uow_factory(request, who.actor)(readonly=True),
                who,
                limit=RECENT_PER_PAGE,
                offset=paging.offset(number, RECENT_PER_PAGE),
            )
        pages = paging.Pages.of(query, request, number, total, len(asked), RECENT_PER_PAGE)
        context = {
            "values": {"term_weeks": str(TERM_WEEKS)},
            "errors": query.errors,
            "recent": asked if query.ok else [],
            "recent_total": total,
            "pages": pages,
            "district_names": sources.district_names(request),
        }
        return self.render(request, context, 200 if query.ok else 422)

    def ask(self, request: Request, who: Principal, posted: FormData) -> Response:
        """Check the form and go to the plan's page (queued, or kept from an earlier ask)."""
        values, errors, budget, start, weeks = read_form(request, posted)
        if not errors and weeks is not None:
            try:
                job_id = term_plan_jobs.ask(
                    sources.uow_factory(request, who.actor),
                    who,
                    budget,
                    term_start=start,
                    term_weeks=weeks,
                )
                return RedirectResponse(f"{self.base}/{job_id}", status_code=303)
            except DomainError as exc:
                field = exc.field if exc.field in ("term_start", "term_weeks") else "budget"
                errors = {field: exc.message}
        return self.render(request, {"values": values, "errors": errors}, 422)

    def plan(self, request: Request, who: Principal, job_id: int) -> Response:
        lang = language_of(request)
        _ = gettext_for(lang)
        try:
            seen = term_plan_jobs.view(
                sources.uow_factory(request, who.actor)(readonly=True), who, job_id
            )
        except NotFound:
            errors = {"plan": _("There is no term plan %(num)d. Plan the term again.") % {
                "num": job_id
            }}  # fmt: skip
            return self.render(
                request, {"values": {"term_weeks": str(TERM_WEEKS)}, "errors": errors}, 404
            )
        run = seen.run
        values = {f"budget-{k}": str(v) for k, v in run.budget.items()}
        values |= {"term_start": run.term_start.isoformat(), "term_weeks": str(run.term_weeks)}
        context: dict[str, Any] = {
            "values": values,
            "errors": {},
            "run": run,
            "progress": progress_text(run, lang),
            "progress_url": f"{self.base}/{run.id}/progress",
            "stale": seen.stale,
            "planned_at": seen.planned_at,
            "own_district": seen.district,
        }
        if seen.planned is not None:
            context |= {
                "planned": seen.planned,
                "effects": effect_lines(seen.planned, lang, seen.district),
                "cells": cell_lines(seen.planned, lang, seen.district),
            }
        response = self.render(request, context, 200)
        response.headers["Cache-Control"] = "no-store"
        return response

    def progress(self, request: Request, who: Principal, job_id: int) -> Response:
        """A plan's state and progress as JSON, for the page's live view (site.js)."""
        try:
            run = term_plan_jobs.progress(
                sources.uow_factory(request, who.actor)(readonly=True), who, job_id
            )
        except NotFound:
            return no_such_job("plan")
        text = progress_text(run, language_of(request))
        return job_answer(run.id, run.state, run.finished, text, step=run.step, steps=run.steps)
