"""The words and figures of a recommendation job's progress, for the page and its live view
(the same sentence either way, so a refresh without JavaScript shows what the live view did)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.numbers import format_decimal
from fastapi.responses import JSONResponse

from waitlist.services.recommendation_jobs import DONE, FAILED, QUEUED, JobState


def progress_text(job: JobState, _: Callable[[str], str], lang: str) -> str:
    if job.state == QUEUED:
        return _("Waiting for a free worker to start the search.")
    if job.state == FAILED:
        return _("The search failed. Open this page again to start a new one.")
    if job.state == DONE:
        return _("The search is finished.")
    seconds = round(job.elapsed_s or 0)
    if job.progress is None:
        return _("Searching for %(seconds)d s: preparing the candidate groups.") % {
            "seconds": seconds
        }
    return _(
        "Searching for %(seconds)d s. The best plan so far cuts %(best)s weighted "
        "waiting-weeks; no plan can cut more than %(bound)s."
    ) % {
        "seconds": seconds,
        "best": format_decimal(round(job.progress.objective), locale=lang),
        "bound": format_decimal(round(job.progress.bound), locale=lang),
    }


def progress_json(job: JobState, _: Callable[[str], str], lang: str) -> JSONResponse:
    last = job.progress
    return job_answer(
        job.id,
        job.state,
        job.finished,
        progress_text(job, _, lang),
        elapsed_s=job.elapsed_s,
        objective=last.objective if last else None,
        bound=last.bound if last else None,
    )


def job_answer(job_id: int, state: str, finished: bool, text: str, **figures: Any) -> JSONResponse:
    """A background job's state for a page's live view (site.js reads `finished` and `text`;
    the figures are for other readers), never cached."""
    body = {"id": job_id, "state": state, "finished": finished, **figures, "text": text}
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


def no_such_job(what: str) -> JSONResponse:
    """The answer for a job number that is not there (or not the caller's)."""
    return JSONResponse({"detail": f"no such {what}"}, status_code=404)
