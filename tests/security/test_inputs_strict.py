"""Strict types on every input, the same rules on every way in.

- dates and months take ASCII digits only (`२०१९-०५` is refused, as `\\d` would have let it);
- a boolean is never a number (`true` as travel minutes) and a number never a boolean;
- a contact is an e-mail address or a phone number for the API, the HTML form and the use case
  alike: markup is refused everywhere, and all three answer the same for every text.

The HTTP refusals are tried against a real uvicorn server (SQLite and PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from sqlmodel import Session, func, select
from starlette.datastructures import FormData

from api.routes.schemas import ApplyRequest
from api.web.forms import Form
from tests.support.api import (
    City,
    Served,
    application_body,
    build_city,
    group_body,
    login,
    served_city,
)
from waitlist.domain.errors import InvalidInput
from waitlist.domain.values import check_contact, parse_year_month
from waitlist.metrics.periods import parse_period
from waitlist.services import applications
from waitlist.storage.tables import Application

DEVANAGARI = "०१२३४५६७८९"
ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
FULLWIDTH = "０１２３４５６７８９"
ANY_DIGIT = st.sampled_from("0123456789" + DEVANAGARI + ARABIC_INDIC + FULLWIDTH)


def _api_takes(**fields: Any) -> bool:
    try:
        ApplyRequest.model_validate(application_body(**fields))
    except ValidationError:
        return False
    return True


def _form(name: str, value: str) -> Form:
    return Form(FormData([(name, value)]), lambda text: text)


def _form_takes_contact(value: str) -> bool:
    form = _form("contact", value)
    form.contact("contact")
    return form.ok


def _service_takes_contact(value: str) -> bool:
    try:
        check_contact(value)  # what applications.apply asks
    except InvalidInput:
        return False
    return True


def _form_takes_year_month(value: str) -> bool:
    form = _form("child_birth", value)
    form.year_month("child_birth")
    return form.ok


@given(st.lists(ANY_DIGIT, min_size=6, max_size=6))
def test_a_birth_month_takes_ascii_digits_only_in_the_api_and_the_form(digits: list[str]) -> None:
    value = "".join(digits[:4]) + "-" + "".join(digits[4:])
    ascii_only = value.isascii()
    real = ascii_only and 1 <= int(value[5:]) <= 12 and 1900 <= int(value[:4]) <= 2200
    assert _api_takes(child_birth=value) is real
    assert _form_takes_year_month(value) is ascii_only  # the form checks the shape only
    if not ascii_only:
        with pytest.raises(InvalidInput):
            parse_year_month(value)


@given(st.lists(ANY_DIGIT, min_size=4, max_size=4), st.sampled_from(["", "-Q3", "-07", "-W10"]))
def test_a_report_period_takes_ascii_digits_only(digits: list[str], rest: str) -> None:
    label = "".join(digits) + rest
    if not label.isascii():
        with pytest.raises(InvalidInput):
            parse_period(label)


CONTACT_TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="ab1+ ()-@.<>\"'&/se", max_size=30),
    st.builds(lambda a, b: f"{a}@{b}.se", st.text(min_size=1, max_size=10), st.text(min_size=1)),
    st.sampled_from(["<script>alert(1)</script>@x.se", "a@b.se", "+46 8 123 45 67", "a<b@c.se"]),
)


@given(CONTACT_TEXT)
def test_the_api_the_form_and_the_use_case_agree_on_every_contact(value: str) -> None:
    value = value.strip()
    if not value or any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        return  # empty means none; control characters are refused on their own everywhere
    api, form, service = _api_takes(contact=value), _form_takes_contact(value), None
    service = _service_takes_contact(value)
    assert api == form == service, (api, form, service)
    if "<" in value or ">" in value:
        assert not api


def test_a_number_is_not_a_boolean_in_the_use_case_either(database_url: str) -> None:
    city = build_city(database_url)
    try:
        for extra, field in (
            ({"max_travel_minutes": True}, "max_travel_minutes"),
            ({"cross_district": 1}, "cross_district"),
            ({"contact": "<b>me</b>@example.org"}, "contact"),
            ({"child_birth": "२०१९-०५"}, "child_birth"),
        ):
            with pytest.raises(InvalidInput) as refused:
                applications.apply(city.uow(), application_body(**extra))
            assert refused.value.field == field
        assert _count(city) == 0
    finally:
        city.engine.dispose()


@pytest.fixture(scope="module")
def served(module_database_url: str) -> Iterator[Served]:
    with served_city(module_database_url) as served:
        yield served


def _count(city: City) -> int:
    with Session(city.engine) as session:
        return int(session.exec(select(func.count()).select_from(Application)).one())


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"child_birth": "२०१९-०५"}, "body.child_birth"),
        ({"child_birth": "٢٠١٩-٠٥"}, "body.child_birth"),
        ({"max_travel_minutes": True}, "body.max_travel_minutes"),
        ({"max_travel_minutes": "45"}, "body.max_travel_minutes"),
        ({"cross_district": 1}, "body.cross_district"),
        ({"cross_district": "true"}, "body.cross_district"),
        ({"contact": "<img src=x onerror=alert(1)>@example.org"}, "body.contact"),
        ({"contact": "<b>0701234567</b>"}, "body.contact"),
    ],
)
def test_the_api_refuses_loose_types_and_markup_and_stores_nothing(
    served: Served, extra: dict[str, object], field: str
) -> None:
    before = _count(served.city)
    response = served.client.post("/api/v1/applications", json=application_body(**extra))
    assert response.status_code == 422, response.text
    assert response.json()["field"] == field
    assert _count(served.city) == before


def test_staff_requests_take_no_boolean_for_a_number(served: Served) -> None:
    headers = {"Authorization": f"Bearer {login(served.client, 'coord-home')}"}
    group = served.city.groups["home"]
    offer = served.client.post(
        f"/api/v1/groups/{group}/offers",
        json={"application_id": True, "reason": "First in the queue."},
        headers=headers,
    )
    assert offer.status_code == 422, offer.text
    assert offer.json()["field"] == "body.application_id"
    created = served.client.post(
        "/api/v1/groups",
        json=group_body(capacity=True, min_size=1),
        headers=headers,
    )
    assert created.status_code == 422, created.text
    assert created.json()["field"] == "body.capacity"
