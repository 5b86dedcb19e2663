"""Coordinators' page of notices that could not be delivered (dead letters), district only."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.web import csrf, sources
from api.web.coordinator import staff_page
from api.web.i18n import gettext_for, language_of
from api.web.staff_session import coordinator
from waitlist.domain.errors import DomainError
from waitlist.services import dead_letters

router = APIRouter(prefix="/coordinator", include_in_schema=False)


def kind_names(_) -> dict[str, str]:  # noqa: ANN001
    return {
        "applied": _("Application received, with the personal link"),
        "offer_made": _("Offer made"),
        "deadline_near": _("Answer deadline near"),
        "offer_expired": _("Offer expired"),
        "offer_revoked": _("Offer withdrawn"),
        "group_cancelled": _("Group cancelled"),
        "group_starting": _("Group starts soon"),
    }


@router.get("/notices")
def notices_page(request: Request) -> Response:
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    make = sources.uow_factory(request, actor.actor)
    done = request.query_params.get("done", "")[:12]
    notice = _("Notice %(id)s will be sent again.") % {"id": done} if done.isdigit() else ""
    return staff_page(
        request,
        "coordinator/notices.html",
        {
            "actor": actor,
            "section": "notices",
            "letters": dead_letters.dead_letters(make(readonly=True), actor),
            "kinds": kind_names(_),
            "notice": notice,
        },
    )


@router.post("/notices/{outbox_id}/retry", dependencies=[Depends(csrf.verify)])
def retry(request: Request, outbox_id: int) -> Response:
    actor = coordinator(request)
    try:
        make = sources.uow_factory(request, actor.actor)
        dead_letters.retry_dead_letter(make(), actor, outbox_id)
    except DomainError:
        return RedirectResponse("/coordinator/notices", status_code=303)
    return RedirectResponse(f"/coordinator/notices?done={outbox_id}", status_code=303)
