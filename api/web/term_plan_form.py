"""The term-planning form, read and planned the same way for management and coordinators:
the budget per programme, the term's first day and length in; the plan's effect per district
and the groups to plan out, in the reader's language (waitlist.services.term_planning)."""

from __future__ import annotations

from datetime import date

from fastapi import Request
from starlette.datastructures import FormData

from api.security import Principal
from api.web import sources
from api.web.i18n import gettext_for, language_of
from waitlist.domain.errors import DomainError
from waitlist.services.term_plan_text import cell_lines, effect_lines
from waitlist.services.term_planning import plan_next_term


def plan_from_form(
    request: Request, who: Principal, posted: FormData
) -> tuple[dict[str, str], dict[str, str], dict[str, object]]:
    """(values to show again, errors by field, the plan's context when there are none)."""
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
        return values, errors, {}
    try:
        planned = plan_next_term(
            sources.uow_factory(request, who.actor)(readonly=True),
            who,
            budget,
            term_start=start,
            term_weeks=weeks,
        )
    except DomainError as exc:
        field = exc.field if exc.field in ("term_start", "term_weeks") else "budget"
        return values, {field: exc.message}, {}
    extra = {
        "planned": planned,
        "effects": effect_lines(planned, lang),
        "cells": cell_lines(planned, lang),
    }
    return values, {}, extra
