"""Parents' pages: choose a programme, apply, follow the application, answer offers."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from api.web import catalogue, csrf, limits, resubmit, sources, wording
from api.web.errors import not_found
from api.web.forms import Form, PostedForm, field_error
from api.web.i18n import gettext_for, language_of
from api.web.render import render
from waitlist.domain.errors import DomainError
from waitlist.services import applications
from waitlist.services.outlook import outlook

router = APIRouter(include_in_schema=False)
PARENT_FORM = [Depends(csrf.verify), Depends(limits.parent_form)]

MAX_AGE = 18


@router.get("/")
def choose_programme(request: Request) -> Response:
    lang = language_of(request)
    _ = gettext_for(lang)
    raw_age = request.query_params.get("age", "").strip()[:40]
    purpose = request.query_params.get("purpose", "")
    kind = request.query_params.get("kind", "")
    errors: dict[str, str] = {}
    age: int | None = None
    if raw_age:
        if raw_age.isdigit() and int(raw_age) <= MAX_AGE:
            age = int(raw_age)
        else:
            errors["age"] = _("Enter the child's age as a whole number of years from 0 to 18.")
    cards = catalogue.cards(sources.programmes(request), lang, sources.slots_by_programme(request))
    if age is not None:
        cards = [c for c in cards if c.age_min <= age <= c.age_max]
    if purpose in dict(catalogue.purposes(lang)):
        cards = [c for c in cards if purpose in c.purposes]
    if kind:
        cards = [c for c in cards if c.kind == kind]
    return render(
        request,
        "parents/choose.html",
        {
            "cards": cards,
            "errors": errors,
            "age": raw_age,
            "purpose": purpose,
            "kind": kind,
            "purposes": catalogue.purposes(lang),
            "filtered": bool(raw_age or purpose or kind),
        },
        status=422 if errors else 200,
    )


TRAVEL_OPTIONS = (15, 20, 30, 45, 60)
DEFAULT_TRAVEL = 30


def _outlook(request: Request, programme: str, values: dict) -> list:
    """The waits the form shows: for the languages and times ticked, once any language is."""
    district = str(values.get("district") or "")
    if not district:
        return []
    languages = [str(v) for v in values.get("languages") or []]
    slots = [str(v) for v in values.get("slots") or []]
    uow = sources.uow_factory(request)(readonly=True)
    try:
        return outlook(uow, programme, district, 60, languages or None, slots)
    except DomainError:
        return []


def _apply_page(request: Request, prog, values: dict, errors: dict, status: int = 200) -> Response:
    lang = language_of(request)
    _ = gettext_for(lang)
    travel = values.get("max_travel_minutes") or DEFAULT_TRAVEL
    rows = _outlook(request, prog.slug, values)
    return render(
        request,
        "parents/apply.html",
        {
            "prog": prog,
            "description": catalogue.description(prog.slug, lang),
            "values": values,
            "errors": errors,
            "districts": [(d.slug, d.name) for d in sources.districts(request)],
            "language_options": catalogue.language_options(lang, list(prog.languages)),
            "slot_options": list(wording.slot_names(_).items()),
            "travel_options": [(str(t), _("%(min)d minutes") % {"min": t}) for t in TRAVEL_OPTIONS],
            "travel_limit": int(travel) if str(travel).isdigit() else DEFAULT_TRAVEL,
            "home": rows[0] if rows else None,
            "nearby": rows[1:],
            "wait_basis": lambda e: wording.wait_basis(_, e, lang),
            # The language switch posts this form back, keeping what was typed.
            "switch_form": "apply-form",
            "switch_action": f"/apply/{prog.slug}",
        },
        status=status,
    )


@router.get("/apply/{slug}")
def apply_form(request: Request, slug: str) -> Response:
    prog = sources.programme(request, slug)
    if prog is None:
        return not_found(request)
    q = request.query_params
    values = {
        "district": q.get("district", "")[:64],
        "child_birth": "",  # personal: never read from (or put into) a URL
        "languages": q.getlist("languages"),
        "slots": q.getlist("slots"),
        "cross_district": q.get("cross_district", "no")[:3],
        "max_travel_minutes": q.get("max_travel_minutes", str(DEFAULT_TRAVEL))[:3],
        "contact": "",
    }
    return _apply_page(request, prog, values, {})


APPLY_MESSAGES_EN = {
    ("child_birth", "not_eligible"): "too_old",
    ("child_birth", "invalid_input"): "birth",
    ("district", "*"): "district",
    ("languages", "*"): "languages",
    ("max_travel_minutes", "*"): "travel",
}


def _apply_messages(_, prog) -> dict[tuple[str, str], str]:  # noqa: ANN001
    texts = {
        "too_old": _("Your child is older than %(name)s is for (%(low)d–%(high)d years).")
        % {"name": prog.name, "low": prog.child_age_min, "high": prog.child_age_max},
        "birth": _("Enter a real year and month that is not in the future, like 2019-05."),
        "district": _("Choose your district from the list."),
        "languages": _("Choose at least one of the languages the programme is run in."),
        "travel": _("Choose how long you can travel, or answer no to other districts."),
    }
    return {key: texts[name] for key, name in APPLY_MESSAGES_EN.items()}


def _missing(_, _prog) -> dict[str, str]:  # noqa: ANN001
    """What to say when a field is left empty: each message names its field."""
    return {
        "district": _("Choose your district."),
        "child_birth": _("Enter your child's birth year and month, like 2019-05."),
        "languages": _("Choose at least one language you can take part in."),
        "cross_district": _("Answer whether we can offer you a place in another district."),
        "max_travel_minutes": _("Choose the longest travel time, or answer no to other districts."),
    }


# The apply form's buttons besides "Join the queue": both post the form back (nothing typed
# goes into a URL) and show it again, with the districts in reach or in the other language.
REDISPLAY = ("reach", "language")


@router.post("/apply/{slug}", dependencies=PARENT_FORM)
def apply_submit(request: Request, slug: str, posted: PostedForm) -> Response:
    prog = sources.programme(request, slug)
    if prog is None:
        return not_found(request)
    _ = gettext_for(language_of(request))
    form = Form(posted, _, _missing(_, prog))
    district = form.choice("district", [d.slug for d in sources.districts(request)])
    child_birth = form.year_month("child_birth")
    languages = form.choices("languages", prog.languages, at_least=1)
    slots = form.choices("slots", wording.SLOTS)
    cross = form.choice("cross_district", ["yes", "no"]) == "yes"
    travel = form.choice("max_travel_minutes", [str(t) for t in TRAVEL_OPTIONS], required=cross)
    contact = form.contact("contact")
    action = posted.get("action")
    if action in REDISPLAY:
        # Errors are shown again (in the new language) only if they were shown before.
        errors = form.errors if posted.get("checked") == "1" else {}
        return _apply_page(request, prog, form.values, errors, status=422 if errors else 200)
    if form.ok:
        command = {
            "programme": prog.slug,
            "district": district,
            "child_birth": child_birth,
            "languages": languages,
            "slots": slots,
            "cross_district": cross,
            "max_travel_minutes": int(travel) if cross and travel else 0,
            "contact": contact or None,
            "notice_language": language_of(request),
        }
        earlier = resubmit.earlier_token(request, command)
        if earlier is not None:
            return RedirectResponse(f"/status/{earlier}?new=again", status_code=303)
        try:
            applied = applications.apply(sources.uow_factory(request)(), command)
        except DomainError as exc:
            field_error(form, exc, _apply_messages(_, prog), "district")
        else:
            response = RedirectResponse(f"/status/{applied.token}?new=applied", status_code=303)
            resubmit.remember(request, response, command, applied.token)
            return response
    return _apply_page(request, prog, form.values, form.errors, status=422)
