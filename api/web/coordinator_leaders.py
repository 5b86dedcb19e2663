"""Coordinators' leaders page: their district's group leaders (list, add, edit, deactivate).

Every change goes through waitlist.services.leaders, which checks the coordinator's district;
the recommender reads the leaders from there (who can lead what, when, how many groups).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.web import csrf, sources
from api.web.district_rows import RowPage
from api.web.forms import Form, PostedForm
from api.web.i18n import gettext_for, language_of
from api.web.sources import uow_factory
from api.web.staff_session import coordinator
from waitlist.domain.errors import DomainError
from waitlist.services import leaders

router = APIRouter(prefix="/coordinator/leaders", include_in_schema=False)


def _context(request: Request, actor: Any, editing: Any) -> dict[str, Any]:
    rows = leaders.list_leaders(uow_factory(request, actor.actor)(readonly=True), actor)
    programmes = sources.programmes(request)
    values = {"max_groups": "1", "programmes": [], "languages": ["sv"]}
    if editing is not None:
        values = editing.model_dump() | {
            "max_groups": str(editing.max_groups),
            "unavailable_weeks": ", ".join(editing.unavailable_weeks),
        }
    return {
        "leaders": rows.data,
        "values": values,
        "programme_options": [(p.slug, p.name) for p in programmes],
        "programme_names": {p.slug: p.name for p in programmes},
        "language_options": sources.language_options(language_of(request)),
    }


@router.get("")
def leaders_page(request: Request) -> Response:
    _ = gettext_for(language_of(request))
    return ROWS.listing(request, _("The leader was added."), _("The leader was saved."))


def _editing(request: Request, actor: Any, leader_id: int) -> Any:
    """The district's leader, or None (another district's or none at all)."""
    try:
        return leaders.get_leader(
            uow_factory(request, actor.actor)(readonly=True), actor, leader_id
        )
    except DomainError:
        return None


@router.get("/{leader_id}")
def edit_page(request: Request, leader_id: int) -> Response:
    actor = coordinator(request)
    return ROWS.edit(request, actor, _editing(request, actor, leader_id))


def _read(request: Request, form: Form) -> dict[str, Any]:
    weeks = form.text("unavailable_weeks", required=False, max_length=2000)
    return {
        "label": form.text("label", max_length=64),
        "programmes": form.choices(
            "programmes", [p.slug for p in sources.programmes(request)], at_least=1
        ),
        "languages": form.choices(
            "languages",
            [code for code, _ in sources.language_options(language_of(request))],
            at_least=1,
        ),
        "max_groups": form.integer("max_groups", low=1, high=20),
        "unavailable_weeks": [w for w in weeks.replace(";", ",").split(",") if w.strip()],
    }


def _messages(_: Any) -> dict[tuple[str, str], str]:
    return {
        ("unavailable_weeks", "*"): _(
            "Write each week as year and week number, like 2026-W14, separated by commas."
        ),
        ("programmes", "*"): _("Choose at least one programme the leader is certified for."),
        ("languages", "*"): _("Choose at least one language the leader leads groups in."),
        ("max_groups", "*"): _("Enter a whole number from 1 to 20."),
    }


def _form(request: Request, posted: Any) -> tuple[Form, dict[str, Any]]:
    _ = gettext_for(language_of(request))
    missing = {
        "label": _("Give the leader's name."),
        "programmes": _("Choose at least one programme the leader is certified for."),
        "languages": _("Choose at least one language the leader leads groups in."),
    }
    form = Form(posted, _, missing)
    return form, _read(request, form)


ROWS = RowPage("leaders", "label", _messages, _context)


@router.post("", dependencies=[Depends(csrf.verify)])
def create(request: Request, posted: PostedForm) -> Response:
    form, data = _form(request, posted)
    return ROWS.create(request, coordinator(request), form, data, leaders.create_leader)


@router.post("/{leader_id}", dependencies=[Depends(csrf.verify)])
def save(request: Request, leader_id: int, posted: PostedForm) -> Response:
    actor = coordinator(request)
    editing = _editing(request, actor, leader_id)
    if editing is None:
        return RedirectResponse("/coordinator/leaders", status_code=303)
    form, data = _form(request, posted)
    data["active"] = form.data.get("active") != "no"
    return ROWS.save(request, actor, form, data, leaders.update_leader, editing)
