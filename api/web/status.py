"""The parent's status page behind the personal link: standing, offer, answers, own data.

The link's token is resolved by the one parent-identity interface (api.security); every
action then goes through the same access check and use case as the API.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from api.web import csrf, limits, sources, wording
from api.web.errors import not_found
from api.web.forms import Form, PostedForm
from api.web.i18n import gettext_for, language_of
from api.web.render import render
from waitlist.domain.errors import DomainError, NotFound
from waitlist.services import (
    access,
    applications,
    contacts,
    link_notice,
    offers,
    parent_tokens,
    views,
)
from waitlist.services.calendar_file import MEDIA_TYPE, meetings_ics
from waitlist.storage.uow import UnitOfWork

router = APIRouter(include_in_schema=False)
PARENT_FORM = [Depends(csrf.verify), Depends(limits.parent_form)]
TOKEN_PAGE = [Depends(limits.token_page)]
T = TypeVar("T")
DECLINE_REASONS = ("time", "language", "distance", "other")


def _page(
    request: Request,
    token: str,
    *,
    notice: str = "",
    errors: dict[str, str] | None = None,
    status: int = 200,
    contact_value: str = "",
) -> Response:
    _ = gettext_for(language_of(request))
    try:
        view = sources.status_view(request, token)
    except NotFound:
        return not_found(request)
    new = request.query_params.get("new")
    return render(
        request,
        "parents/status.html",
        {
            "view": view,
            "st": view.status.standing,
            "app": view.status.application,
            "token": token,
            "status_url": str(request.url_for("status_page", token=token)),
            "notice": notice
            or (
                _(
                    "You sent the same application a moment ago: this is that application. "
                    "No second one was made."
                )
                if new == "again"
                else ""
            ),
            "errors": errors or {},
            "show_link": new in ("1", "applied", "again"),
            # Right after applying: where the link was also sent (masked), if anywhere.
            "just_applied": new == "applied",
            "sent_to": _sent_to(request, view) if new == "applied" else None,
            # A notice bounced or a number was refused: ask the parent to check it.
            "unreachable": view.status.unreachable,
            "contact_value": contact_value,
            "status_name": wording.application_status(_, view.status.application.status),
            "wait_basis": lambda e: wording.wait_basis(_, e, language_of(request)),
            "decline_reasons": list(zip(DECLINE_REASONS, wording.decline_reasons(_), strict=True)),
        },
        status=status,
    )


def _sent_to(request: Request, view: sources.StatusView) -> str | None:
    make = sources.uow_factory(request, view.actor.actor)
    return link_notice.link_sent_to(make(readonly=True), view.actor)


def _notices(_: Callable[[str], str]) -> dict[str, str]:
    return {
        "accepted": _("Thank you. Your place is booked; you will get a reminder before the start."),
        "declined": _("You said no to the offer. Your place in the queue is kept."),
        "declined_elsewhere": _(
            "You said no to the offer in another district. You keep your place in the queue "
            "with the same queue date, exactly as before."
        ),
        "withdrawn": _("Your application is withdrawn. You are no longer in the queue."),
        "resumed": _("Thank you. You are back in the queue for offers."),
        "contact": _("Thank you. We will send news about your application there."),
    }


@router.get("/status/{token}", name="status_page", dependencies=TOKEN_PAGE)
def status_page(request: Request, token: str) -> Response:
    _ = gettext_for(language_of(request))
    return _page(request, token, notice=_notices(_).get(request.query_params.get("done", ""), ""))


def _act(request: Request, token: str, action: Callable[[access.Actor], object], done: str):  # noqa: ANN202
    _ = gettext_for(language_of(request))
    try:
        actor = sources.parent_actor(request, token)
        action(actor)
    except NotFound:
        return not_found(request)
    except DomainError as exc:
        messages = {
            "illegal_transition": _(
                "That could not be done: the offer or application has changed meanwhile (for "
                "example, the answer deadline passed). The page shows how things stand now."
            ),
            "no_seat_left": _("Sorry, the group filled up before your answer arrived."),
        }
        return _page(
            request, token, errors={"form": messages.get(exc.code, exc.message)}, status=409
        )
    return RedirectResponse(f"/status/{token}?done={done}", status_code=303)


def _parent(request: Request, token: str) -> access.Actor | None:
    """The parent the status link `token` belongs to, or None for no such link."""
    try:
        return sources.parent_actor(request, token)
    except NotFound:
        return None


def _on_own(
    request: Request, use_case: Callable[[UnitOfWork, int], T]
) -> Callable[[access.Actor], T]:
    """`use_case(uow, application id)` on the parent's own application, as the parent."""

    def run(actor: access.Actor) -> T:
        make = sources.uow_factory(request, actor.actor)
        return use_case(make(), actor.application_id)  # type: ignore[arg-type]

    return run


def _offer_id(raw: object) -> int:
    if not isinstance(raw, str) or not raw.isdigit() or len(raw) > 12:
        raise NotFound("There is no such offer.", field="offer")
    return int(raw)


@router.post("/status/{token}/accept", dependencies=PARENT_FORM)
def accept(request: Request, token: str, posted: PostedForm) -> Response:
    offer_id = posted.get("offer")

    def run(actor: access.Actor) -> None:
        uow = sources.uow_factory(request, actor.actor)()
        offers.accept_offer(uow, _offer_id(offer_id), actor=actor)

    return _act(request, token, run, "accepted")


@router.post("/status/{token}/decline", dependencies=PARENT_FORM)
def decline(request: Request, token: str, posted: PostedForm) -> Response:
    offer_id, reason = posted.get("offer"), posted.get("reason")
    elsewhere = []

    def run(actor: access.Actor) -> None:
        uow = sources.uow_factory(request, actor.actor)()
        chosen = reason if reason in DECLINE_REASONS else None
        offer = _offer_id(offer_id)
        declined = offers.decline_offer(uow, offer, chosen, actor=actor)  # type: ignore[arg-type]
        elsewhere.append(declined.cross_district)

    response = _act(request, token, run, "declined")
    if elsewhere and elsewhere[0] and response.status_code == 303:
        return RedirectResponse(f"/status/{token}?done=declined_elsewhere", status_code=303)
    return response


@router.post("/status/{token}/contact", dependencies=PARENT_FORM)
def change_contact(request: Request, token: str, posted: PostedForm) -> Response:
    _ = gettext_for(language_of(request))
    form = Form(posted, _)
    contact = form.contact("contact")
    if form.ok and contact:
        return _act(
            request,
            token,
            lambda actor: contacts.change_contact(
                sources.uow_factory(request, actor.actor)(),
                actor.application_id,  # type: ignore[arg-type]
                contact,
                notice_language=language_of(request),  # notices in the language read here
            ),
            "contact",
        )
    errors = form.errors or {"contact": _("Enter an e-mail address or a phone number.")}
    typed = str(form.values.get("contact", ""))
    return _page(request, token, errors=errors, status=422, contact_value=typed)


@router.post("/status/{token}/resume", dependencies=PARENT_FORM)
def resume(request: Request, token: str) -> Response:
    return _act(request, token, _on_own(request, applications.resume), "resumed")


@router.get("/status/{token}/data.json", dependencies=TOKEN_PAGE)
def download(request: Request, token: str) -> Response:
    actor = _parent(request, token)
    if actor is None:
        return not_found(request)
    data = views.export_data(sources.uow_factory(request, actor.actor)(readonly=True), actor)
    return _private_download(JSONResponse(data), "my-application.json")


def _private_download(response: Response, filename: str) -> Response:
    """A file about the parent's own application: saved, never cached, never named to another
    site as the referrer."""
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@router.get("/status/{token}/meetings.ics", name="meetings_ics", dependencies=TOKEN_PAGE)
def meetings(request: Request, token: str) -> Response:
    """The offered or enrolled group's meetings for the parent's calendar."""
    try:
        view = sources.status_view(request, token)
    except NotFound:
        return not_found(request)
    if view.where is None:
        return not_found(request)
    body = meetings_ics(view.where, lang=language_of(request))
    return _private_download(Response(body, media_type=MEDIA_TYPE), "meetings.ics")


@router.get("/status/{token}/{what}", name="confirm_page", dependencies=TOKEN_PAGE)
def confirm(request: Request, token: str, what: str) -> Response:
    if what not in ("withdraw", "erase", "new-link"):
        return not_found(request)
    try:
        view = sources.status_view(request, token)
    except NotFound:
        return not_found(request)
    return render(request, "parents/confirm.html", {"view": view, "token": token, "what": what})


@router.post("/status/{token}/withdraw", dependencies=PARENT_FORM)
def withdraw(request: Request, token: str) -> Response:
    return _act(request, token, _on_own(request, applications.withdraw), "withdrawn")


@router.post("/status/{token}/erase", dependencies=PARENT_FORM)
def erase(request: Request, token: str) -> Response:
    actor = _parent(request, token)
    if actor is None:
        return not_found(request)
    _on_own(request, applications.erase)(actor)
    return render(request, "parents/erased.html", {})


@router.post("/status/{token}/new-link", dependencies=PARENT_FORM)
def new_link(request: Request, token: str) -> Response:
    actor = _parent(request, token)
    if actor is None:
        return not_found(request)
    fresh = _on_own(request, parent_tokens.rotate)(actor)
    return RedirectResponse(f"/status/{fresh.token}?new=1", status_code=303)
