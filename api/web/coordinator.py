"""Coordinators' pages: log-in, their district's queues and offers, groups and their fill.

Placement rounds and group-start recommendations are in coordinator_rounds.py.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.web import csrf, desk, group_words, sources, wording
from api.web.forms import Form, PostedForm, field_error
from api.web.i18n import gettext_for, language_of
from api.web.render import render
from api.web.staff_session import coordinator, logged_out, staff_login
from waitlist.domain.errors import DomainError
from waitlist.services import access, groups, queue_needs, venues

router = APIRouter(prefix="/coordinator", include_in_schema=False)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def staff_page(request: Request, template: str, context: dict, status: int = 200) -> Response:
    actor = context.get("actor")
    names = sources.district_names(request)
    context = {"district_name": names.get(actor.district, "") if actor else "", **context}
    return render(request, template, context, status=status)


@router.get("/login")
def login_form(request: Request) -> Response:
    return staff_page(request, "coordinator/login.html", {"values": {}, "errors": {}})


@router.post("/login", dependencies=[Depends(csrf.verify)])
def login(request: Request, posted: PostedForm) -> Response:
    _ = gettext_for(language_of(request))
    target = request.query_params.get("next", "")
    if not target.startswith("/coordinator") or "//" in target:
        target = "/coordinator"
    return staff_login(
        request,
        posted,
        "coordinator",
        _("Wrong username or password, or not a coordinator account."),
        target,
        lambda context: staff_page(request, "coordinator/login.html", context, status=422),
    )


@router.post("/logout", dependencies=[Depends(csrf.verify)])
def logout(request: Request) -> Response:
    return logged_out(request, "/coordinator/login")


@router.get("")
def dashboard(request: Request) -> Response:
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    pending, expiring = desk.pending_offers(request, actor)
    open_groups = desk.open_groups(request, actor)
    return staff_page(
        request,
        "coordinator/dashboard.html",
        {
            "actor": actor,
            "section": "overview",
            "queues": desk.queue_rows(request, actor),
            "groups": open_groups,
            "pending": pending,
            "expiring": expiring,
            "group_status": lambda s: wording.group_status(_, s),
            "programme_names": {p.slug: p.name for p in sources.programmes(request)},
        },
    )


def _groups_page(
    request: Request, actor, *, values=None, errors=None, notice="", status=200
) -> Response:  # noqa: ANN001
    _ = gettext_for(language_of(request))
    lang = language_of(request)
    programmes = sources.programmes(request)
    open_groups = desk.open_groups(request, actor)
    rooms = venues.list_venues(sources.uow_factory(request)(readonly=True), actor.district).data
    make = sources.uow_factory(request, actor.actor)
    needs = queue_needs.queue_needs(make(readonly=True), actor, actor.district or "")
    return staff_page(
        request,
        "coordinator/groups.html",
        {
            "actor": actor,
            "section": "groups",
            "groups": open_groups,
            "start_refusal": lambda g: group_words.start_refusal(_, g),
            "example_start": (sources.uow_factory(request)().today() + timedelta(weeks=2)),
            "values": values or _suggested(request, programmes, needs),
            "needs": needs,
            "errors": errors or {},
            "notice": notice,
            "programme_options": [(p.slug, p.name) for p in programmes],
            "weekday_options": list(wording.weekday_names(_).items()),
            "slot_options": list(wording.slot_names(_).items()),
            "language_options": sources.language_options(lang),
            "group_status": lambda s: wording.group_status(_, s),
            "programme_names": {p.slug: p.name for p in programmes},
            "venue_options": [(str(v.id), v.name) for v in rooms if v.active],
            "venue_names": {v.id: v.name for v in rooms},
        },
        status=status,
    )


def _suggested(
    request: Request, programmes: list[SimpleNamespace], needs: list[queue_needs.QueueNeed]
) -> dict[str, str]:
    """The create form's first values: a programme's suggested time and language when the
    coordinator came from its row of the queue table (`?from_queue=<programme>`)."""
    values = {"capacity": "12", "min_size": "6"}
    slug = request.query_params.get("from_queue", "")
    need = next((n for n in needs if n.programme == slug and n.slot), None)
    prog = next((p for p in programmes if p.slug == slug), None)
    if need is not None and prog is not None:
        values |= {
            "programme": slug,
            "slot": need.slot or "",
            "language": need.language,
            "capacity": str(prog.capacity),
            "min_size": str(prog.min_size),
        }
    return values


@router.get("/groups")
def groups_page(request: Request) -> Response:
    actor = coordinator(request)
    return _groups_page(request, actor, notice=_done_notice(request))


def _done_notice(request: Request) -> str:
    _ = gettext_for(language_of(request))
    done = request.query_params.get("done", "")
    group = request.query_params.get("group", "")[:12]
    texts = {
        "created": _("Group %(id)s was created and is open for recruiting."),
        "started": _("Group %(id)s has started."),
        "opened": _("Group %(id)s is open for recruiting."),
        "recommended": _(
            "Group %(id)s was created with the recommended leader. Its seats will be offered "
            "to the waiting parents in the next placement round."
        ),
        "cancelled": _(
            "Group %(id)s was cancelled. Its parents are back in the queue with their original "
            "queue dates and have been told."
        ),
    }
    return texts[done] % {"id": group} if done in texts and group.isdigit() else ""


@router.post("/groups", dependencies=[Depends(csrf.verify)])
def create_group(request: Request, posted: PostedForm) -> Response:
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    form = Form(posted, _)
    programme = form.choice("programme", [p.slug for p in sources.programmes(request)])
    start = form.date("start")
    weekday = form.choice("weekday", WEEKDAYS, required=False)  # empty: the start date's
    slot = form.choice("slot", wording.SLOTS)
    language = form.choice("language", [c for c, _n in sources.language_options("en")])
    capacity = form.integer("capacity", low=1, high=100)
    min_size = form.integer("min_size", low=1, high=100)
    rooms = venues.list_venues(sources.uow_factory(request)(readonly=True), actor.district).data
    venue = form.choice("venue_id", [str(v.id) for v in rooms if v.active], required=False)
    time_start = form.text("time_start", required=False, max_length=5)
    time_end = form.text("time_end", required=False, max_length=5)
    meetings = form.integer("meetings", low=1, high=60, required=False)
    leader = form.text("leader_first_name", required=False, max_length=40)
    if form.ok:
        command = {
            "programme": programme,
            "district": actor.district,
            "start": start,
            "weekday": weekday or None,
            "slot": slot,
            "language": language,
            "capacity": capacity,
            "min_size": min_size,
            "venue_id": int(venue) if venue else None,
            "time_start": time_start or None,
            "time_end": time_end or None,
            "meetings": meetings,
            "leader_first_name": leader or None,
        }
        try:
            access.require_coordinator_of(actor, actor.district or "")
            created = groups.create_group(sources.uow_factory(request, actor.actor)(), command)
        except DomainError as exc:
            names = {p.slug: p.name for p in sources.programmes(request)}
            messages = group_words.create_messages(_, exc, start, names.get(programme, ""))
            field_error(form, exc, messages, "programme")
        else:
            return RedirectResponse(
                f"/coordinator/groups?done=created&group={created.id}", status_code=303
            )
    return _groups_page(request, actor, values=form.values, errors=form.errors, status=422)


def _change(request: Request, group_id: int, action, done: str) -> Response:  # noqa: ANN001
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    make = sources.uow_factory(request, actor.actor)
    refusals = {
        "started": _(
            "Group #%(id)d cannot start: it needs at least its minimum number of enrolled "
            "parents (pending offers do not count), and only a planned or recruiting group "
            "can start."
        ),
        "cancelled": _("Group #%(id)d cannot be cancelled any more (it is running or over)."),
        "opened": _("Group #%(id)d cannot be opened for recruiting."),
    }
    try:
        action(make(), group_id, actor=actor)
    except DomainError as exc:
        text = refusals[done] % {"id": group_id} if exc.code == "illegal_transition" else None
        if done == "started" and "min" in exc.limits:
            text = _(
                "Group #%(id)d cannot start yet. Accepted a place so far: %(enrolled)d. At least "
                "%(min)d are needed to start."
            ) % {"id": group_id, **exc.limits}
        errors = {"group": text or exc.message}
        return _groups_page(request, actor, errors=errors, status=409)
    return RedirectResponse(f"/coordinator/groups?done={done}&group={group_id}", status_code=303)


@router.post("/groups/{group_id}/start", dependencies=[Depends(csrf.verify)])
def start_group(request: Request, group_id: int) -> Response:
    return _change(request, group_id, groups.start_group, "started")


@router.post("/groups/{group_id}/open", dependencies=[Depends(csrf.verify)])
def open_group(request: Request, group_id: int) -> Response:
    return _change(request, group_id, groups.open_group, "opened")


@router.get("/groups/{group_id}/cancel")
def cancel_confirm(request: Request, group_id: int) -> Response:
    actor = coordinator(request)
    group = next((g for g in desk.open_groups(request, actor) if g.id == group_id), None)
    if group is None:
        return RedirectResponse("/coordinator/groups", status_code=303)
    return staff_page(
        request, "coordinator/cancel.html", {"actor": actor, "section": "groups", "group": group}
    )


@router.post("/groups/{group_id}/cancel", dependencies=[Depends(csrf.verify)])
def cancel_group(request: Request, group_id: int, posted: PostedForm) -> Response:
    reason = posted.get("reason")
    reason = reason[:200] if isinstance(reason, str) else ""
    return _change(
        request,
        group_id,
        lambda uow, gid, actor: groups.cancel_group(uow, gid, reason, actor=actor),
        "cancelled",
    )
