"""Coordinators' venues page: the rooms their district's groups meet in (list, create, edit).

Every change goes through waitlist.services.venues, which checks the coordinator's district.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.web import csrf, wording
from api.web.district_rows import RowPage
from api.web.forms import Form, PostedForm
from api.web.i18n import gettext_for, language_of
from api.web.sources import uow_factory
from api.web.staff_session import coordinator
from waitlist.domain.errors import NotFound
from waitlist.domain.values import Slot, Weekday
from waitlist.services import venues

router = APIRouter(prefix="/coordinator/venues", include_in_schema=False)
FIELDS = (("name", 120, True), ("address", 200, True), ("accessibility", 500, False),
          ("directions", 500, False))  # fmt: skip


def _context(request: Request, actor: Any, editing: Any) -> dict[str, Any]:
    rows = venues.list_venues(uow_factory(request, actor.actor)(readonly=True), actor.district)
    _ = gettext_for(language_of(request))
    return {
        "venues": rows.data,
        "values": _shown(editing),
        "weekday_options": list(wording.weekday_names(_).items()),
        "slot_options": list(wording.slot_names(_).items()),
    }


def _shown(editing: Any) -> dict[str, Any]:
    if editing is None:
        return {}
    return editing.model_dump() | {"capacity": "" if editing.capacity is None else editing.capacity}


@router.get("")
def venues_page(request: Request) -> Response:
    _ = gettext_for(language_of(request))
    return ROWS.listing(request, _("The venue was added."), _("The venue was saved."))


def _editing(request: Request, actor: Any, venue_id: int) -> Any:
    """The district's venue, or None (another district's or none at all)."""
    try:
        venue = venues.get_venue(uow_factory(request, actor.actor)(readonly=True), venue_id)
    except NotFound:
        return None
    return venue if venue.district == actor.district else None


@router.get("/{venue_id}")
def edit_page(request: Request, venue_id: int) -> Response:
    actor = coordinator(request)
    return ROWS.edit(request, actor, _editing(request, actor, venue_id))


def _read(form: Form) -> dict[str, Any]:
    data: dict[str, Any] = {
        name: form.text(name, required=needed, max_length=most) for name, most, needed in FIELDS
    }
    # What the room can host: empty means no limit (any size, weekday, slot).
    data["capacity"] = form.integer("capacity", low=1, high=1000, required=False)
    data["weekdays"] = form.choices("weekdays", list(Weekday))
    data["slots"] = form.choices("slots", list(Slot))
    return data


def _messages(_: Any) -> dict[tuple[str, str], str]:
    return {
        ("name", "*"): _("Give the room a name."),
        ("address", "*"): _("Give the address."),
        ("capacity", "*"): _("Enter a whole number from 1 to 1000, or leave it empty."),
    }


ROWS = RowPage("venues", "name", _messages, _context)


@router.post("", dependencies=[Depends(csrf.verify)])
def create(request: Request, posted: PostedForm) -> Response:
    form = Form(posted, gettext_for(language_of(request)))
    return ROWS.create(request, coordinator(request), form, _read(form), venues.create_venue)


@router.post("/{venue_id}", dependencies=[Depends(csrf.verify)])
def save(request: Request, venue_id: int, posted: PostedForm) -> Response:
    actor = coordinator(request)
    editing = _editing(request, actor, venue_id)
    if editing is None:
        return RedirectResponse("/coordinator/venues", status_code=303)
    form = Form(posted, gettext_for(language_of(request)))
    data = _read(form) | {"active": form.data.get("active") != "no"}
    return ROWS.save(request, actor, form, data, venues.update_venue, editing)
