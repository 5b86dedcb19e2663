"""Term planning on the management pages (HTTP, SQLite): a budget in, the groups placed where
the queue is and the effect per district in the reader's language; bad input named next to
its field."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.api import CSRF, HOME, api_client, build_city, form_login
from waitlist.services import applications


@pytest.fixture(scope="module")
def desk(tmp_path_factory):
    city = build_city(f"sqlite:///{tmp_path_factory.mktemp('db') / 'waitlist.db'}")
    for i in range(14):  # more than the recruiting group in HOME can take
        applications.apply(
            city.uow(),
            {
                "programme": "komet",
                "district": HOME,
                "languages": ["sv"],
                "slots": ["evening"],
                "child_birth": f"{date.today().year - 6}-{i % 12 + 1:02d}",
            },
        )
    client = api_client(city)
    form_login(client, "/management", "manager")
    client.city = city
    yield client
    city.engine.dispose()


def _plan(client, lang: str, **data: str):
    client.cookies.set("lang", lang)
    token = CSRF.search(client.get("/management/term-plan").text).group(1)
    return client.post("/management/term-plan", data={"csrf_token": token, **data})


def test_the_plan_puts_groups_where_the_queue_is_in_english_and_swedish(desk):
    english = _plan(desk, "en", **{"budget-komet": "1", "term_weeks": "20"})
    assert english.status_code == 200, english.text
    assert "Effect per district, against the usual plan" in english.text
    assert "1 Komet group in Swedish in" in english.text
    swedish = _plan(desk, "sv", **{"budget-komet": "1", "term_weeks": "20"})
    assert swedish.status_code == 200
    assert "1 Komet-grupp på svenska i" in swedish.text or "1 grupp Komet" in swedish.text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"budget-komet": "many", "term_weeks": "20"}, "budget-komet"),
        ({"budget-komet": "", "term_weeks": "20"}, "budget"),
        ({"budget-komet": "2", "term_weeks": "99"}, "term_weeks"),
        ({"budget-komet": "2", "term_weeks": "20", "term_start": "spring"}, "term_start"),
    ],
)
def test_bad_input_is_named_next_to_its_field(desk, data, field):
    response = _plan(desk, "en", **data)
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.text


def test_a_coordinator_plans_the_term_in_the_coordinators_layout(desk):
    client = api_client(desk.city)
    client.cookies.set("lang", "en")
    form_login(client, "/coordinator", "coord-home")
    page = client.get("/coordinator/term-plan")
    assert page.status_code == 200 and 'action="/coordinator/term-plan"' in page.text
    token = CSRF.search(page.text).group(1)
    planned = client.post(
        "/coordinator/term-plan",
        data={"csrf_token": token, "budget-komet": "1", "term_weeks": "20"},
    )
    assert planned.status_code == 200, planned.text
    assert "1 Komet group in Swedish in" in planned.text
