"""Placement rounds and group-start recommendations on the coordinator's pages.

Rounds: preview (a table of proposed offers with their reasons and effect), then commit or
discard. A commit over changed inputs is refused by the service (StalePreview) and the page
says so; nothing is sent then. Recommendations (waitlist.services.recommendation_jobs): the
page shows the result kept for the current queues and groups, or the background job computing
it (its progress updated live by site.js from `/recommendations/jobs/{id}`, or by a "check
again" button without JavaScript) and the latest older result marked as such. Accepting one
creates the group with its leader; its seats are offered by the next placement round."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.web import csrf, desk, sources
from api.web.coordinator import staff_page
from api.web.forms import PostedForm
from api.web.i18n import gettext_for, language_of
from api.web.job_progress import no_such_job, progress_json, progress_text
from api.web.staff_session import coordinator
from waitlist.domain.errors import DomainError
from waitlist.services import recommendation_jobs, round_edits, rounds
from waitlist.services import recommendations as group_recommendations

router = APIRouter(prefix="/coordinator", include_in_schema=False)


@router.get("/round")
def round_start(request: Request) -> Response:
    actor = coordinator(request)
    return staff_page(request, "coordinator/round.html", {"actor": actor, "section": "round"})


@router.post("/round", dependencies=[Depends(csrf.verify)])
def round_preview(request: Request) -> Response:
    actor = coordinator(request)
    preview = rounds.preview_round(
        sources.uow_factory(request, actor.actor)(), district=actor.district
    )
    return RedirectResponse(f"/coordinator/round/{preview.id}", status_code=303)


def _round_page(
    request: Request, round_id: int, *, errors: dict | None = None, status: int = 200
) -> Response:
    actor = coordinator(request)
    lang = language_of(request)
    _ = gettext_for(lang)
    preview = desk.round_of(request, actor, round_id)
    if preview is None:
        return RedirectResponse("/coordinator/round", status_code=303)
    done = request.query_params.get("done", "")
    notices = {
        "committed": _(
            "The round is committed and the parents have been told. Offers made: %(num)d."
        )
        % {"num": len(preview.offers)},
        "discarded": _("The preview was discarded. No offer was made."),
    }
    metrics = (preview.result or {}).get("metrics", {})
    return staff_page(
        request,
        "coordinator/round.html",
        {
            "actor": actor,
            "section": "round",
            "preview": preview,
            "proposed": desk.proposed_offers(request, actor, preview, lang),
            "unplaced": desk.unplaced(preview, lang),
            "overall": metrics.get("overall", {}),
            "by_district": metrics.get("by_district", {}),
            "names": sources.district_names(request),
            "programme_names": {p.slug: p.name for p in sources.programmes(request)},
            "errors": errors or {},
            "notice": notices.get(done, ""),
            "left_out": round_edits.left_out(preview),
        },
        status=status,
    )


@router.get("/round/{round_id}")
def round_view(request: Request, round_id: int) -> Response:
    return _round_page(request, round_id)


def _decide(request: Request, round_id: int, action, done: str) -> Response:  # noqa: ANN001
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    if desk.round_of(request, actor, round_id) is None:
        return RedirectResponse("/coordinator/round", status_code=303)
    try:
        action(sources.uow_factory(request, actor.actor)(), round_id)
    except DomainError as exc:
        messages = {
            "stale_preview": _(
                "The queues or groups changed after this preview was made (an offer was "
                "answered, a seat taken or a group changed). Nothing was sent. Run a new "
                "preview to see the round as things are now."
            ),
            "illegal_transition": _("This preview was already committed or discarded."),
        }
        text = messages.get(exc.code, exc.message)
        return _round_page(request, round_id, errors={"round": text}, status=409)
    return RedirectResponse(f"/coordinator/round/{round_id}?done={done}", status_code=303)


@router.post("/round/{round_id}/commit", dependencies=[Depends(csrf.verify)])
def round_commit(request: Request, round_id: int) -> Response:
    return _decide(request, round_id, rounds.commit_round, "committed")


@router.post("/round/{round_id}/discard", dependencies=[Depends(csrf.verify)])
def round_discard(request: Request, round_id: int) -> Response:
    return _decide(request, round_id, rounds.discard_round, "discarded")


@router.post("/round/{round_id}/drop", dependencies=[Depends(csrf.verify)])
def round_drop(request: Request, round_id: int, posted: PostedForm) -> Response:
    """Take one proposed offer out: the round is worked out again without that parent."""
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    raw = posted.get("application")
    number = int(raw) if isinstance(raw, str) and raw.isascii() and raw.isdigit() else 0
    try:
        again = round_edits.drop_offer(
            sources.uow_factory(request, actor.actor)(), actor, round_id, number
        )
    except DomainError as exc:
        messages = {
            "not_found": _("That offer is not part of this preview."),
            "illegal_transition": _("This preview was already committed or discarded."),
        }
        errors = {"round": messages.get(exc.code, exc.message)}
        if desk.round_of(request, actor, round_id) is None:
            return RedirectResponse("/coordinator/round", status_code=303)
        return _round_page(request, round_id, errors=errors, status=409)
    return RedirectResponse(f"/coordinator/round/{again.id}", status_code=303)


@router.get("/recommendations")
def recommendations(request: Request) -> Response:
    return _recommendations_page(request)


def _recommendations_page(
    request: Request, *, errors: dict | None = None, status: int = 200
) -> Response:
    actor = coordinator(request)
    lang = language_of(request)
    asked = recommendation_jobs.ask(
        sources.uow_factory(request, actor.actor), district=actor.district
    )
    found = asked.recommendations
    return staff_page(
        request,
        "coordinator/recommendations.html",
        {
            "actor": actor,
            "section": "recommendations",
            "job": asked.job,
            "current": found is not None and not asked.stale,
            "stale": asked.stale,
            "computed_at": asked.computed_at,
            "progress": progress_text(asked.job, gettext_for(lang), lang),
            "starts": found.starts if found else [],
            "reason_of": lambda s: (
                (s.recommendation.reason_sv if lang == "sv" else "") or s.recommendation.reason
            ),
            "names": sources.district_names(request),
            "programme_names": {p.slug: p.name for p in sources.programmes(request)},
            "errors": errors or {},
        },
        status=status,
    )


@router.get("/recommendations/jobs/{job_id}")
def recommendation_job(request: Request, job_id: int) -> Response:
    """A recommendation job's state and progress as JSON, for the page's live view."""
    actor = coordinator(request)
    lang = language_of(request)
    job = recommendation_jobs.progress(
        sources.uow_factory(request, actor.actor)(readonly=True), job_id
    )
    if job is None:
        return no_such_job("job")
    return progress_json(job, gettext_for(lang), lang)


@router.post("/recommendations/accept", dependencies=[Depends(csrf.verify)])
def accept_recommendation(request: Request, posted: PostedForm) -> Response:
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    candidate = posted.get("candidate")
    candidate = candidate[:200] if isinstance(candidate, str) else ""
    try:
        done = group_recommendations.accept_recommendation(
            sources.uow_factory(request, actor.actor)(), actor, candidate
        )
    except DomainError as exc:
        messages = {
            "stale_preview": _(
                "That recommendation no longer stands: the queues or groups changed. The "
                "recommendations for them are shown below once computed."
            ),
            "forbidden": _("You can only start groups in your own district."),
        }
        errors = {"recommendations": messages.get(exc.code, exc.message)}
        return _recommendations_page(request, errors=errors, status=409)
    return RedirectResponse(
        f"/coordinator/groups?done=recommended&group={done.group.id}", status_code=303
    )
