"""Term planning on the management and coordinators' pages (HTTP, SQLite and PostgreSQL): a
budget in, the plan's page at once with its progress ("Check again" without JavaScript), the
plan worked out by a worker, then the groups placed where the queue is and the effect per
district in the reader's language; a coordinator sees their own district's effect; bad input
named next to its field."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.support.api import CSRF, HOME, api_client, build_city, form_login
from waitlist.services import applications, term_plan_jobs

PLAN_PAGE = re.compile(r"/(?:management|coordinator)/term-plan/(\d+)$")


@pytest.fixture(scope="module")
def desk(module_database_url):
    city = build_city(module_database_url)
    for i in range(14):  # more than the recruiting group in HOME can take
        _parent(city, i)
    client = api_client(city)
    form_login(client, "/management", "manager")
    client.city = city
    yield client
    city.engine.dispose()


def _parent(city, i: int = 0) -> None:
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


def _ask(client, lang: str, side: str = "management", **data: str):
    client.cookies.set("lang", lang)
    token = CSRF.search(client.get(f"/{side}/term-plan").text).group(1)
    return client.post(
        f"/{side}/term-plan", data={"csrf_token": token, **data}, follow_redirects=False
    )


def _plan(client, lang: str, side: str = "management", **data: str):
    """Ask, let a worker plan, and open the plan's page."""
    asked = _ask(client, lang, side, **data)
    assert asked.status_code == 303, asked.text
    term_plan_jobs.run_next(client.city.engine, "test-worker")
    return client.get(asked.headers["location"])


def test_the_page_answers_at_once_with_progress_and_a_worker_makes_the_plan(desk):
    _parent(desk.city)  # a new parent: the inputs differ from every earlier test's
    asked = _ask(desk, "en", **{"budget-komet": "2", "term_weeks": "20"})
    assert asked.status_code == 303
    job_id = int(PLAN_PAGE.search(asked.headers["location"]).group(1))
    waiting = desk.get(f"/management/term-plan/{job_id}")
    assert waiting.status_code == 200
    assert "Waiting for a free worker to plan the term." in waiting.text
    assert f'action="/management/term-plan/{job_id}"' in waiting.text  # "Check again"
    assert "Effect per district" not in waiting.text
    progress = desk.get(f"/management/term-plan/{job_id}/progress").json()
    assert (progress["state"], progress["finished"]) == ("queued", False)
    assert term_plan_jobs.run_next(desk.city.engine, "test-worker") == job_id
    done = desk.get(f"/management/term-plan/{job_id}")
    assert "The plan is ready." in done.text and "Check again" not in done.text
    assert "Effect per district, against the usual plan" in done.text
    assert desk.get(f"/management/term-plan/{job_id}/progress").json()["finished"] is True
    # the same form again: the kept plan, nothing left to do for a worker
    again = _ask(desk, "en", **{"budget-komet": "2", "term_weeks": "20"})
    assert again.headers["location"] == asked.headers["location"]
    assert term_plan_jobs.run_next(desk.city.engine, "test-worker") is None
    # a new parent: the plan says it is stale
    _parent(desk.city)
    stale = desk.get(f"/management/term-plan/{job_id}")
    assert "The queues have changed since this plan was made" in stale.text
    missing = desk.get("/management/term-plan/99999")
    assert missing.status_code == 404 and "There is no term plan 99999" in missing.text
    assert desk.get("/management/term-plan/99999/progress").status_code == 404
    assert desk.get("/management/term-plan/0").status_code == 422
    assert desk.get("/management/term-plan/plan").status_code == 422


def test_the_plan_puts_groups_where_the_queue_is_in_english_and_swedish(desk):
    english = _plan(desk, "en", **{"budget-komet": "1", "term_weeks": "20"})
    assert english.status_code == 200, english.text
    assert "Effect per district, against the usual plan" in english.text
    assert "1 Komet group in Swedish in" in english.text
    swedish = _plan(desk, "sv", **{"budget-komet": "1", "term_weeks": "20"})
    assert swedish.status_code == 200
    assert "Planen är klar." in swedish.text
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
    response = _ask(desk, "en", **data)
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.text


def test_a_coordinator_plans_the_term_and_sees_their_own_districts_effect(desk):
    client = api_client(desk.city)
    client.city = desk.city
    client.cookies.set("lang", "en")
    form_login(client, "/coordinator", "coord-home")
    page = client.get("/coordinator/term-plan")
    assert page.status_code == 200 and 'action="/coordinator/term-plan"' in page.text
    planned = _plan(client, "en", "coordinator", **{"budget-komet": "1", "term_weeks": "20"})
    assert planned.status_code == 200, planned.text
    assert "Effect in Farsta, against the usual plan" in planned.text
    assert "1 Komet group in Swedish in" in planned.text
    effects = re.search(r'<ul class="plan-effects">(.*?)</ul>', planned.text, re.S).group(1)
    lines = re.findall(r"<li>(.*?)</li>", effects, re.S)
    assert lines and all(line.startswith("Farsta ") for line in lines)
    # management's page of the same plan names the other district too
    job_id = PLAN_PAGE.search(str(planned.url)).group(1)
    city = desk.get(f"/management/term-plan/{job_id}")
    shown = re.search(r'<ul class="plan-effects">(.*?)</ul>', city.text, re.S).group(1)
    assert any(not line.startswith("Farsta ") for line in re.findall(r"<li>(.*?)</li>", shown))


RECENT = re.compile(r'<section aria-labelledby="recent-title">(.*?)</section>', re.S)


def _recent_rows(page: str) -> list[str]:
    section = RECENT.search(page)
    assert section, "no list of term plans on the page"
    return re.findall(r"<tr>(.*?)</tr>", section.group(1), re.S)[1:]  # past the header


def test_the_plans_asked_for_are_listed_newest_first_with_a_role_never_a_name(desk):
    _parent(desk.city)  # a new parent: these requests are new ones
    coordinator = api_client(desk.city)
    form_login(coordinator, "/coordinator", "coord-home")
    asked = {"budget-komet": "3", "term_weeks": "11"}
    by_coordinator = _ask(coordinator, "en", "coordinator", **asked)
    by_management = _ask(desk, "en", **{"budget-komet": "4", "term_weeks": "12"})
    first = PLAN_PAGE.search(by_coordinator.headers["location"]).group(1)
    second = PLAN_PAGE.search(by_management.headers["location"]).group(1)

    page = desk.get("/management/term-plan")
    assert page.status_code == 200
    newest, older = _recent_rows(page.text)[:2]
    assert f'href="/management/term-plan/{second}"' in newest and "Management" in newest
    assert "12 weeks" in newest and ">4<" in newest and "Waiting for a worker" in newest
    assert f'href="/management/term-plan/{first}"' in older
    assert "A coordinator in Farsta" in older and "11 weeks" in older
    listed = RECENT.search(page.text).group(1)
    assert "coord-home" not in listed and "coordinator:" not in listed  # no member of staff
    # a coordinator's list links to the coordinators' pages, in Swedish too
    coordinator.cookies.set("lang", "sv")
    theirs = coordinator.get("/coordinator/term-plan").text
    assert "Beställda terminsplaner" in theirs and "Ledningen" in _recent_rows(theirs)[0]
    assert f'href="/coordinator/term-plan/{second}"' in _recent_rows(theirs)[0]
    # a plan worked out says so
    term_plan_jobs.run_next(desk.city.engine, "test-worker")
    term_plan_jobs.run_next(desk.city.engine, "test-worker")
    assert all("Ready" in row for row in _recent_rows(desk.get("/management/term-plan").text)[:2])


def test_the_list_of_plans_is_paged(desk, monkeypatch):
    # Two plans of its own: the list has a second page whatever the module asked before.
    _ask(desk, "en", **{"budget-komet": "4", "term_weeks": "17"})
    _ask(desk, "en", **{"budget-komet": "5", "term_weeks": "13"})
    monkeypatch.setattr("api.web.term_plan_form.RECENT_PER_PAGE", 1)
    page = desk.get("/management/term-plan")
    [only] = _recent_rows(page.text)
    assert "13 weeks" in only and 'rel="next"' in page.text and 'rel="prev"' not in page.text
    second = desk.get("/management/term-plan?page=2")
    assert second.status_code == 200 and "13 weeks" not in _recent_rows(second.text)[0]
    assert 'rel="prev"' in second.text
    for wrong in ("999999", "abc"):
        refused = desk.get(f"/management/term-plan?page={wrong}")
        assert refused.status_code == 422
        assert 'href="#recent-title"' in refused.text  # the error summary points at the list
