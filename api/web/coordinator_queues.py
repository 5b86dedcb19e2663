"""Finding and listing on the coordinator's pages: an application by its number, a queue's
members in order (filters and order as plain GET parameters, nothing personal), every pending
offer page by page, and the district's queue as CSV or Excel in the reader's language.

The rules of who may see what are the services' (waitlist.services.queue_members, views):
an application number from another district is "not found", as one that does not exist.
"""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.web import paging, queue_words, sources
from api.web.coordinator import staff_page
from api.web.forms import Form
from api.web.i18n import gettext_for, language_of
from api.web.render import file_download
from api.web.staff_session import coordinator
from waitlist.domain.errors import NotFound
from waitlist.services import lookups, queue_members, table_files, views
from waitlist.services.queue_members import AgeFit, MemberQuery, Sort
from waitlist.storage.tables import OfferPublic

router = APIRouter(prefix="/coordinator", include_in_schema=False)
OFFERS_PER_PAGE = paging.PER_PAGE
MEMBERS_PER_PAGE = paging.PER_PAGE


@router.get("/find")
def find(request: Request) -> Response:
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    form = Form(request.query_params, _)  # type: ignore[arg-type]
    number = form.integer("number", low=1, high=lookups.MAX_ID, required=False)
    context = {"actor": actor, "section": "find", "values": form.values, "errors": form.errors}
    if number is None:
        return staff_page(
            request, "coordinator/find.html", context, status=422 if form.errors else 200
        )
    try:
        found = queue_members.find_application(
            sources.uow_factory(request, actor.actor)(readonly=True), actor, number
        )
    except NotFound:
        form.fail(
            "number", _("No application with number %(num)d in your district.") % {"num": number}
        )
        return staff_page(request, "coordinator/find.html", context, status=404)
    group = None
    if found.pending_offer is not None:
        group = views.get_group(
            sources.uow_factory(request, actor.actor)(readonly=True), found.pending_offer.group_id
        )
    return staff_page(
        request,
        "coordinator/find.html",
        context
        | {
            "number": number,
            "found": found,
            "group": group,
            "names": sources.district_names(request),
            "programme_names": {p.slug: p.name for p in sources.programmes(request)},
            "words": queue_words.Words(gettext_for(language_of(request)), language_of(request)),
        },
    )


def _query(form: Form, request: Request) -> MemberQuery:
    _ = form._
    lang = language_of(request)
    language = form.choice(
        "language", [c for c, _n in sources.language_options(lang)], required=False
    )
    slot = form.choice("slot", queue_words.SLOTS, required=False)
    cross = form.choice("cross_district", ("yes", "no"), required=False)
    fit = form.choice("age_fit", [a.value for a in AgeFit], required=False)
    sort = form.choice("sort", [s.value for s in Sort], required=False)
    return MemberQuery(
        language=language or None,
        slot=slot or None,
        cross_district={"yes": True, "no": False}.get(cross),
        age_fit=fit or None,
        sort=sort or Sort.POSITION.value,
    )


@router.get("/queues/{programme}")
def queue_page(request: Request, programme: str) -> Response:
    actor = coordinator(request)
    lang = language_of(request)
    _ = gettext_for(lang)
    prog = sources.programme(request, programme)
    if prog is None:
        return staff_page(request, "error.html", {"actor": actor}, status=404)
    form = Form(request.query_params, _)  # type: ignore[arg-type]
    query = _query(form, request)
    number = paging.page_number(form)
    found = queue_members.MemberPage([], 0)
    if not set(form.errors) - {"page"}:  # a wrong page still says how many there are
        found = queue_members.members_page(
            sources.uow_factory(request, actor.actor)(readonly=True),
            actor,
            programme,
            query,
            limit=MEMBERS_PER_PAGE,
            offset=paging.offset(number, MEMBERS_PER_PAGE),
        )
    pages = paging.Pages.of(
        form, request, number, found.total, len(found.members), MEMBERS_PER_PAGE
    )
    return staff_page(
        request,
        "coordinator/queue.html",
        {
            "actor": actor,
            "section": "overview",
            "programme": prog,
            "members": found.members if form.ok else [],
            "total": found.total,
            "pages": pages,
            "values": form.values,
            "errors": form.errors,
            "filtered": any(
                form.values.get(k) for k in ("language", "slot", "cross_district", "age_fit")
            ),
            "language_options": [
                (c, n) for c, n in sources.language_options(lang) if c in prog.languages
            ],
            "words": queue_words.Words(_, lang),
        },
        status=200 if form.ok else 422,
    )


@router.get("/offers")
def offers_page(request: Request) -> Response:
    actor = coordinator(request)
    _ = gettext_for(language_of(request))
    form = Form(request.query_params, _)  # type: ignore[arg-type]
    number = paging.page_number(form)
    make = sources.uow_factory(request, actor.actor)
    rows: list[OfferPublic] = []
    total = 0
    if not set(form.errors) - {"page"}:
        rows, total = views.list_offers(
            make(readonly=True),
            actor,
            status="pending",
            limit=OFFERS_PER_PAGE,
            offset=paging.offset(number, OFFERS_PER_PAGE),
        )
    pages = paging.Pages.of(form, request, number, total, len(rows), OFFERS_PER_PAGE)
    with make(readonly=True) as uow:
        today = uow.today()
    in_groups = {g: views.get_group(make(readonly=True), g) for g in {o.group_id for o in rows}}
    return staff_page(
        request,
        "coordinator/offers.html",
        {
            "actor": actor,
            "section": "overview",
            "offers": rows if form.ok else [],
            "total": total,
            "pages": pages,
            "today": today,
            "groups": in_groups,
            "names": sources.district_names(request),
            "programme_names": {p.slug: p.name for p in sources.programmes(request)},
            "errors": form.errors,
        },
        status=200 if form.ok else 422,
    )


@router.get("/export.{ext}")
def export(request: Request, ext: str) -> Response:
    actor = coordinator(request)
    if ext not in ("csv", "xlsx"):
        return Response(status_code=404)
    lang = language_of(request)
    words = queue_words.Words(gettext_for(lang), lang)
    rows = queue_members.district_queue(
        sources.uow_factory(request, actor.actor)(readonly=True), actor
    )
    table = words.export_table(
        rows, sources.district_names(request), {p.slug: p.name for p in sources.programmes(request)}
    )
    if ext == "csv":
        data, media = table_files.to_csv(*table), "text/csv; charset=utf-8"
    else:
        data, media = table_files.to_xlsx(words.sheet_title, *table), table_files.XLSX_MEDIA_TYPE
    name = f"queue-{actor.district}-{date.today().isoformat()}.{ext}"
    return file_download(data, media, name, lang)
