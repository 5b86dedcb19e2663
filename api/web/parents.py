"""Parents' pages: choose a programme, apply, follow the application, answer offers."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from api.web import catalogue
from api.web.i18n import gettext_for, language_of
from api.web.render import render
from api.web.sources import programmes_with_slots

router = APIRouter(include_in_schema=False)

MAX_AGE = 18


@router.get("/")
def choose_programme(request: Request) -> Response:
    lang = language_of(request)
    _ = gettext_for(lang)
    raw_age = request.query_params.get("age", "").strip()[:10]
    purpose = request.query_params.get("purpose", "")
    kind = request.query_params.get("kind", "")
    errors: dict[str, str] = {}
    age: int | None = None
    if raw_age:
        if raw_age.isdigit() and int(raw_age) <= MAX_AGE:
            age = int(raw_age)
        else:
            errors["age"] = _("Enter the child's age as a whole number of years from 0 to 18.")
    programmes, slots = programmes_with_slots()
    cards = catalogue.cards(programmes, lang, slots)
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
