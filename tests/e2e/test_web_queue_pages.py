"""A queue's members page by page, on the coordinator's page and in the API, on SQLite and
PostgreSQL: each member keeps their place in the whole queue on every page, the filters and the
order stay the same from page to page, and a page number that is not a page is named."""

from __future__ import annotations

import re

import pytest

from api.web import coordinator_queues
from tests.support.api import HOME, PASSWORD, api_client, apply, bearer, login

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
MEMBER = re.compile(r'<tr id="member-(\d+)">\s*<td class="num">(\d+)')
NEXT = re.compile(r'href="([^"]+)" rel="next"')


@pytest.fixture
def queue(city):
    """Five parents waiting for Komet in the coordinator's district, in queue order."""
    client = api_client(city)
    client.cookies.set("lang", "en")
    ids = [apply(client, HOME)[0] for _ in range(5)]
    token = CSRF.search(client.get("/coordinator/login").text).group(1)
    done = client.post(
        "/coordinator/login",
        data={"csrf_token": token, "username": "coord-home", "password": PASSWORD},
    )
    assert done.status_code in (200, 303), done.text
    api_token = login(client, "coord-home")
    client.api_headers = bearer(api_token)
    by_place = {
        m["position"]: m["application_id"]
        for m in client.get(
            f"/api/v1/queues/{HOME}/komet/members", headers=client.api_headers
        ).json()["data"]
    }
    assert sorted(by_place.values()) == sorted(ids)
    client.by_place = by_place
    return client


def _members(page: str) -> list[tuple[int, int]]:
    """(place, application) per row shown."""
    return [(int(place), int(app)) for app, place in MEMBER.findall(page)]


def test_the_queue_page_shows_one_page_at_a_time_places_and_order_kept(queue, monkeypatch):
    monkeypatch.setattr(coordinator_queues, "MEMBERS_PER_PAGE", 2)
    seen: list[tuple[int, int]] = []
    url = "/coordinator/queues/komet?sort=newest&cross_district=yes"
    for number in (1, 2, 3):
        page = queue.get(url)
        assert page.status_code == 200, page.text
        assert f"Page {number} of 3" in page.text
        assert "5 waiting parents match" in page.text  # the whole count, on every page
        # the filters and the order stay chosen on the form and in the link onwards
        assert re.search(r'<option value="newest"\s+selected', page.text)
        seen += _members(page.text)
        following = NEXT.search(page.text)
        if number < 3:
            assert following is not None
            url = "/coordinator/queues/komet" + following.group(1).replace("&amp;", "&")
            assert "sort=newest" in url and "cross_district=yes" in url
        else:
            assert following is None
    # newest first over all three pages, each with their place in the whole queue
    assert seen == [(p, queue.by_place[p]) for p in (5, 4, 3, 2, 1)]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        ("0", "Enter a whole number from 1 to 10000."),
        ("two", "Enter a whole number from 1 to 10000."),
        ("4", "There is no page 4: the list has 3."),
    ],
)
def test_a_page_that_is_not_there_is_named(queue, monkeypatch, page, message):
    monkeypatch.setattr(coordinator_queues, "MEMBERS_PER_PAGE", 2)
    answer = queue.get("/coordinator/queues/komet", params={"page": page})
    assert answer.status_code == 422
    assert message in answer.text and 'href="#members-title"' in answer.text
    assert _members(answer.text) == [] and "5 waiting parents" in answer.text


def test_the_offers_page_names_a_page_that_is_not_there(queue):
    answer = queue.get("/coordinator/offers", params={"page": "7"})
    assert answer.status_code == 422
    assert "There is no page 7: the list has 1." in answer.text


def test_the_api_answers_fifty_members_at_a_time_with_their_places_in_the_queue(queue):
    path = f"/api/v1/queues/{HOME}/komet/members"
    whole = queue.get(path, headers=queue.api_headers).json()
    assert (whole["count"], whole["limit"], whole["offset"]) == (5, 50, 0)
    second = queue.get(
        path, params={"limit": 2, "offset": 2, "sort": "newest"}, headers=queue.api_headers
    ).json()
    assert second["count"] == 5
    assert [(m["position"], m["application_id"]) for m in second["data"]] == [
        (p, queue.by_place[p]) for p in (3, 2)
    ]
    beyond = queue.get(path, params={"offset": 10}, headers=queue.api_headers).json()
    assert beyond["data"] == [] and beyond["count"] == 5


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": 0}, "limit"), ({"limit": 501}, "limit"), ({"offset": -1}, "offset")],
)
def test_the_api_names_a_bad_page(queue, params, field):
    answer = queue.get(
        f"/api/v1/queues/{HOME}/komet/members", params=params, headers=queue.api_headers
    )
    assert answer.status_code == 422
    assert answer.json()["field"].split(".")[-1] == field
