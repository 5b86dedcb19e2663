"""What-if simulations from the management page: choose a built-in policy or upload a policy
file, run it as a background job (waitlist.services.simulation_jobs) against the status quo,
follow its progress (live through site.js from the JSON view, or a "check again" button
without JavaScript), and compare with the last runs."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import RedirectResponse, Response

from api.routes.management_pages import management_page, manager_of
from api.security import Principal
from api.web import csrf, sources
from api.web.forms import PostedForm
from api.web.i18n import gettext_for, language_of
from api.web.job_progress import job_answer, no_such_job
from waitlist.domain.errors import DomainError, InvalidInput, NotFound
from waitlist.services import simulation_jobs
from waitlist.services.simulation_jobs import DONE, FAILED, QUEUED, RUNNING, SimulationRun
from waitlist.simulation.policies import page_policies

router = APIRouter(prefix="/management/simulation", include_in_schema=False)
UPLOAD = "upload"
CHOICES = [s.name for s in page_policies()]  # the status quo is every run's yardstick


def what_if_context(request: Request, who: Principal) -> dict:
    """What the what-if form and the table of recent runs need (on the simulation pages)."""
    _ = gettext_for(language_of(request))
    runs = simulation_jobs.recent(sources.uow_factory(request, who.actor)(readonly=True), who)
    return {
        "runs": runs,
        "choices": [(s.name, _(s.label)) for s in page_policies()],
        "sources": [
            ("demo", _("The demo city: a year of generated applications")),
            ("history", _("Your own applications: this database's history")),
        ],
        "values": {"policy": CHOICES[-1], "source": "demo", "weeks": "52", "seed": "2026"},
        "errors": {},
        "state_names": {
            QUEUED: _("Waiting"),
            RUNNING: _("Running"),
            DONE: _("Finished"),
            FAILED: _("Failed"),
        },
        "figure_rows": [
            ("max_min_ratio", _("Max/min ratio of district median waits"), 2),
            ("median_wait_weeks", _("Median wait (weeks)"), 1),
            ("groups_cancelled", _("Groups cancelled (too few)"), 0),
            ("mean_cross_district_travel_minutes", _("Mean cross-district travel (min)"), 1),
            ("placed", _("Placed"), 0),
            ("waiting", _("Still waiting"), 0),
        ],
    }


def progress_text(run: SimulationRun, lang: str) -> str:
    _ = gettext_for(lang)
    if run.state == QUEUED:
        return _("Waiting for a free worker to start the simulation.")
    if run.state == FAILED:
        return _("The simulation failed. Start it again.")
    if run.state == DONE:
        return _("The simulation is finished.")
    if not run.rounds_total:
        return _("Simulating: the shared history before the period.")
    return _("Simulating: round %(done)d of %(total)d.") % {
        "done": run.rounds_done,
        "total": run.rounds_total,
    }


@router.post("/runs", dependencies=[Depends(csrf.verify)])
def start_run(request: Request, posted: PostedForm) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    _ = gettext_for(language_of(request))
    choice = posted.get("policy")
    values = {
        "policy": choice if isinstance(choice, str) else "",
        "source": str(posted.get("source") or "demo")[:16],
        "weeks": str(posted.get("weeks") or "").strip()[:10],
        "seed": str(posted.get("seed") or "").strip()[:12],
    }
    errors: dict[str, str] = {}
    spec = None
    try:
        if values["policy"] == UPLOAD:
            upload = posted.get("policy_file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                errors["policy_file"] = _("Choose the policy file to upload (.json).")
            else:
                data = upload.file.read(simulation_jobs.MAX_UPLOAD_BYTES + 1)
                spec = simulation_jobs.read_upload(data)
        elif values["policy"] in CHOICES:
            spec = simulation_jobs.builtin(values["policy"])
        else:
            errors["policy"] = _("Choose a policy, or upload a policy file.")
    except DomainError as exc:
        errors["policy_file"] = _("The policy file is not valid: %(reason)s") % {
            "reason": exc.message
        }
    weeks = _whole(values["weeks"])
    seed = _whole(values["seed"])
    if weeks is None or not 1 <= weeks <= simulation_jobs.MAX_WEEKS:
        errors["weeks"] = _("Weeks: a whole number from 1 to %(max)d.") % {
            "max": simulation_jobs.MAX_WEEKS
        }
    if seed is None:
        errors["seed"] = _("Seed: a whole number, like 2026.")
    if values["source"] not in simulation_jobs.SOURCES:
        errors["source"] = _("Choose the applications to simulate.")
    job_id = None
    if not errors and spec is not None and weeks is not None and seed is not None:
        try:
            job_id = simulation_jobs.start(
                sources.uow_factory(request, who.actor)(),
                who,
                spec,
                weeks=weeks,
                seed=seed,
                source=values["source"],
            )
        except InvalidInput as exc:
            if exc.field != "source":
                raise
            errors["source"] = _("This database holds no applications to replay yet.")
    if job_id is None:
        context = {**what_if_context(request, who), "values": values, "errors": errors}
        return management_page(
            request,
            "management/simulation_runs.html",
            {"actor": who, "section": "simulation", **context},
            status=422,
        )
    return RedirectResponse(f"/management/simulation/runs/{job_id}", status_code=303)


@router.get("/runs")
def runs_page(request: Request) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    context = {"actor": who, "section": "simulation", **what_if_context(request, who)}
    return management_page(request, "management/simulation_runs.html", context)


@router.get("/runs/{job_id}")
def run_page(request: Request, job_id: int) -> Response:
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    lang = language_of(request)
    try:
        run = simulation_jobs.job(
            sources.uow_factory(request, who.actor)(readonly=True), who, job_id
        )
    except NotFound:
        return management_page(
            request, "management/simulation_runs.html",
            {"actor": who, "section": "simulation", **what_if_context(request, who)},
            status=404,
        )  # fmt: skip
    context = {
        "actor": who,
        "section": "simulation",
        "run": run,
        "progress": progress_text(run, lang),
        **what_if_context(request, who),
    }
    response = management_page(request, "management/simulation_run.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/runs/{job_id}/progress")
def run_progress(request: Request, job_id: int) -> Response:
    """A run's state and progress as JSON, for the page's live view (site.js)."""
    who = manager_of(request)
    if isinstance(who, Response):
        return who
    try:
        run = simulation_jobs.job(
            sources.uow_factory(request, who.actor)(readonly=True), who, job_id
        )
    except NotFound:
        return no_such_job("run")
    text = progress_text(run, language_of(request))
    figures = {"rounds_done": run.rounds_done, "rounds_total": run.rounds_total}
    return job_answer(run.id, run.state, run.finished, text, **figures)


def _whole(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) <= 10 else None
