"""Importing the district's existing queue from a spreadsheet on the coordinator's pages:
check it first (a dry run), then import; every row with a problem is listed with its row
number, column and reason (waitlist.services.imports, as `waitlist import applications`)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from api.web import csrf, sources
from api.web.coordinator import staff_page
from api.web.forms import PostedForm
from api.web.i18n import gettext_for, language_of
from api.web.staff_session import coordinator
from waitlist.domain.errors import DomainError
from waitlist.services import imports
from waitlist.services.import_files import MAX_BYTES, read_table

router = APIRouter(prefix="/coordinator", include_in_schema=False)


def _page(request: Request, context: dict, status: int = 200) -> Response:
    actor = coordinator(request)
    values = {"actor": actor, "section": "import", "errors": {}, "report": None, "mode": ""}
    return staff_page(request, "coordinator/import.html", values | context, status=status)


@router.get("/import")
def import_form(request: Request) -> Response:
    return _page(request, {})


@router.post("/import", dependencies=[Depends(csrf.verify)])
def import_upload(request: Request, posted: PostedForm) -> Response:
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    upload = posted.get("file")
    mode = "import" if posted.get("mode") == "import" else "check"
    strict = posted.get("strict") == "yes"
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors = {"file": _("Choose the spreadsheet to import (.csv or .xlsx).")}
        return _page(request, {"errors": errors, "mode": mode}, status=422)
    try:
        rows = read_table(upload.filename, upload.file.read(MAX_BYTES + 1))
        report = imports.import_applications(
            sources.uow_factory(request, actor.actor)(),
            actor.district or "",
            rows,
            dry_run=mode != "import",
            strict=strict,
        )
    except DomainError as exc:
        errors = {"file": _("The file cannot be read: %(reason)s") % {"reason": exc.message}}
        return _page(request, {"errors": errors, "mode": mode}, status=422)
    return _page(request, {"report": report, "mode": mode, "strict": strict})
