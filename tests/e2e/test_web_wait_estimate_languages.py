"""A parent who speaks none of the languages the queue's groups are run in is told the wait of
parents like them, not of the parents who fit the queue's groups."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.support.api import HOME, City, application_body, bearer, city_client
from tests.support.wait_history import PastParent, add_past_parents

PAST_PARENTS = 240  # one every day and a half over the last year
SWEDISH_WAIT_DAYS = 21  # Swedish speakers: offered a seat at home three weeks after joining
SOMALI_WAIT_DAYS = 70  # every fourth parent speaks only Somali: ten weeks, in another district


def _history(built: City) -> None:
    today = date.today()
    parents = []
    for n in range(PAST_PARENTS):
        somali = n % 4 == 0
        wait = SOMALI_WAIT_DAYS if somali else SWEDISH_WAIT_DAYS
        joined = today - timedelta(days=n * 3 // 2 + wait + 1)
        if somali:
            parents.append(PastParent(joined, wait, ("so",), "other"))
        else:
            parents.append(PastParent(joined, wait))
    add_past_parents(built, parents)


@pytest.fixture(scope="module")
def city(module_database_url: str) -> Iterator[tuple[City, TestClient]]:
    with city_client(module_database_url, _history) as served:
        yield served


def _estimate(client: TestClient, languages: list[str]) -> dict[str, int]:
    body = application_body(cross_district=False, max_travel_minutes=0, languages=languages)
    response = client.post("/api/v1/applications", json=body)
    assert response.status_code == 201, response.text
    token = response.json()["status_token"]
    me = client.get("/api/v1/applications/me", headers=bearer(token)).json()
    estimate: dict[str, int] = me["home"]["estimate"]
    assert estimate["basis"] == "history" and estimate["coverage"] == 0.8
    return estimate


def test_each_parent_is_told_the_wait_of_parents_who_speak_as_they_do(city):
    _, client = city
    somali = _estimate(client, ["so"])
    swedish = _estimate(client, ["sv", "so"])
    # Parents like them, seen in any week of their wait, were offered a seat up to ten weeks
    # later; the parents who speak Swedish within three.
    assert 0 <= somali["low_weeks"] <= somali["likely_weeks"] <= somali["high_weeks"]
    assert 8 <= somali["high_weeks"] <= 11
    assert 0 <= swedish["low_weeks"] <= swedish["likely_weeks"] <= swedish["high_weeks"] <= 4


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HOME_ROW = re.compile(
    r'<tr><th scope="row">[^<]*<span class="muted">.*?</th><td[^>]*>.*?</td><td>(.*?)</td></tr>',
    re.S,
)


def _apply_page_weeks(client: TestClient, languages: list[str]) -> list[int]:
    """The weeks in the home district's wait on the apply form, for the languages ticked."""
    token = CSRF.search(client.get("/apply/komet").text)
    assert token
    client.cookies.set("lang", "en")
    form = {"csrf_token": token.group(1), "district": HOME, "languages": languages}
    page = client.post("/apply/komet", data={**form, "action": "reach"})
    assert page.status_code == 200, page.text
    row = HOME_ROW.search(page.text)
    assert row, "no wait shown for the home district"
    return [int(n) for n in re.findall(r"\d+", html.unescape(row.group(1)))]


def test_the_apply_form_tells_each_parent_the_wait_of_parents_who_speak_as_they_do(city):
    """Before applying, the wait shown follows the languages ticked, as the status page will."""
    _, client = city
    somali = _apply_page_weeks(client, ["so"])
    swedish = _apply_page_weeks(client, ["sv"])
    assert len(somali) == 2 and 8 <= somali[1] <= 11, somali
    assert len(swedish) == 2 and swedish[1] <= 4, swedish
