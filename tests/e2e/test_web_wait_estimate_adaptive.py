"""The pages show the adaptively calibrated range: where the ranges of the past year missed
(offers came later than they said), a parent is shown a wider range than the queue's waits at
8 in 10 alone would give; where they held more often than 8 in 10, the range at 8 in 10 itself
(the level widens ranges, it never narrows them). The status page, the apply form and the API
say the same figures."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import update

from tests.support.api import HOME, OTHER, City, application_body, bearer, city_client
from tests.support.wait_history import PastParent, add_past_parents
from waitlist.domain.estimates import COVERAGE
from waitlist.domain.queue import estimate_wait
from waitlist.services import wait_history
from waitlist.services.wait_history import district_level, queue_history
from waitlist.storage.tables import Group
from waitlist.storage.uow import UnitOfWork

DAYS = 560  # a year and a half of parents, one every other day in each district


def _lengthening(n: int) -> int:
    """Home: one to three weeks until a year ago; since then every parent waited longer than
    those before (twenty-six to twenty-eight weeks lately), so the ranges, learnt from the half year
    before, kept ending before the offer came."""
    return 7 * (1 + n % 3) + max(0, 364 - 2 * n) * 180 // 364


def _steady(n: int) -> int:
    """The other district: the same spread of waits (two to eight weeks) all along."""
    return 14 + 7 * (n * 5 % 7)


def _history(built: City) -> None:
    today = date.today()
    parents = []
    for n in range(DAYS // 2):
        for district, group, wait in ((HOME, "home", _lengthening), (OTHER, "other", _steady)):
            days = wait(n)
            joined = today - timedelta(days=2 * n + days + 1)
            parents.append(PastParent(joined, days, group=group, district=district))
    add_past_parents(built, parents)
    with UnitOfWork(built.engine) as uow:  # no free seats: the range is the history's alone
        uow.session.exec(update(Group).values(taken=Group.capacity))  # type: ignore[call-overload]
        uow.commit()


@pytest.fixture(scope="module")
def city(module_database_url: str) -> Iterator[tuple[City, TestClient]]:
    with city_client(module_database_url, _history) as served:
        yield served


def _applied(client: TestClient, district: str) -> tuple[str, dict[str, int]]:
    """A new parent's status token and home standing (its estimate and queue place)."""
    body = application_body(district, cross_district=False, max_travel_minutes=0)
    response = client.post("/api/v1/applications", json=body)
    assert response.status_code == 201, response.text
    token = response.json()["status_token"]
    home = client.get("/api/v1/applications/me", headers=bearer(token)).json()["home"]
    assert home["estimate"]["basis"] == "history", home
    return token, {**home["estimate"], "position": home["position"]}


def _at_the_promise(built: City, district: str, position: int) -> tuple[int, int | None]:
    """The range the same queue's waits give at 8 in 10 itself (the level a district starts
    from, what the pages showed before they adapted)."""
    with UnitOfWork(built.engine) as uow:
        history = replace(queue_history(uow, district, "komet"), level=COVERAGE)
        shown = estimate_wait(
            position=position,
            today=uow.today(),
            seats=(),
            placements_in_window=0,
            history=history,
            languages=("sv",),
        )
    assert shown.basis == "history" and shown.low_weeks is not None
    return shown.low_weeks, shown.high_weeks


def _level(built: City, district: str) -> float:
    with UnitOfWork(built.engine) as uow:
        return district_level(uow, district)


def _page_says(client: TestClient, token: str, low: int, high: int) -> None:
    client.cookies.set("lang", "sv")
    swedish = client.get(f"/status/{token}").text
    assert f"Troligast {low}–{high} veckor; 8 av 10 föräldrar i ditt läge" in swedish
    client.cookies.set("lang", "en")
    english = client.get(f"/status/{token}").text
    assert f"Most likely {low}–{high} weeks; 8 in 10 parents in your place" in english


def test_where_past_ranges_missed_parents_are_shown_a_wider_range(city):
    built, client = city
    assert _level(built, HOME) > COVERAGE
    token, shown = _applied(client, HOME)
    low, high = _at_the_promise(built, HOME, shown["position"])
    assert high is not None and shown["high_weeks"] is not None
    assert shown["low_weeks"] <= low and high <= shown["high_weeks"]
    assert shown["high_weeks"] - shown["low_weeks"] > high - low
    assert shown["coverage"] == 0.8  # what the page promises stays 8 in 10
    _page_says(client, token, shown["low_weeks"], shown["high_weeks"])


def test_where_past_ranges_held_more_often_than_8_in_10_parents_are_shown_the_range_at_8_in_10(
    city,
):
    built, client = city
    assert _level(built, OTHER) < COVERAGE
    token, shown = _applied(client, OTHER)
    low, high = _at_the_promise(built, OTHER, shown["position"])
    assert (shown["low_weeks"], shown["high_weeks"]) == (low, high)  # not narrower
    assert shown["coverage"] == 0.8
    assert high is not None
    _page_says(client, token, low, high)


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
HOME_ROW = re.compile(
    r'<tr><th scope="row">[^<]*<span class="muted">.*?</th><td[^>]*>.*?</td><td>(.*?)</td></tr>',
    re.S,
)


def test_the_apply_form_shows_the_range_the_status_page_will(city):
    _, client = city
    token = CSRF.search(client.get("/apply/komet").text)
    assert token
    client.cookies.set("lang", "en")
    form = {"csrf_token": token.group(1), "district": HOME, "languages": ["sv"], "action": "reach"}
    page = client.post("/apply/komet", data=form)
    assert page.status_code == 200, page.text
    row = HOME_ROW.search(page.text)
    assert row, "no wait shown for the home district"
    weeks = [int(n) for n in re.findall(r"\d+", html.unescape(row.group(1)))]
    _, shown = _applied(client, HOME)  # the next parent in the queue, as the form said
    assert weeks == [shown["low_weeks"], shown["high_weeks"]]


def test_levels_replayed_ahead_leave_no_replay_to_the_first_page_of_the_day(
    city, monkeypatch: pytest.MonkeyPatch
):
    built, client = city
    replays: list[str] = []
    replay = wait_history.replay_level

    def counted(district, queues, today):  # type: ignore[no-untyped-def]
        replays.append(district)
        return replay(district, queues, today)

    monkeypatch.setattr(wait_history, "replay_level", counted)
    monkeypatch.setattr(wait_history, "_LEVELS", {})  # a new day: no level kept yet
    token, _ = _applied(client, HOME)
    assert replays == [HOME]  # without the replay ahead, the page paid it

    monkeypatch.setattr(wait_history, "_LEVELS", {})
    assert wait_history.warm_levels(UnitOfWork(built.engine)) == sorted([HOME, OTHER])
    assert replays == [HOME, HOME, OTHER]
    client.cookies.set("lang", "en")
    assert "8 in 10 parents in your place" in client.get(f"/status/{token}").text
    _applied(client, OTHER)
    assert replays == [HOME, HOME, OTHER]  # the pages found today's levels ready


def test_a_serving_app_replays_the_levels_when_it_starts(city, monkeypatch: pytest.MonkeyPatch):
    from api import jobs
    from api.main import create_app
    from tests.support.api import settings_for

    built, _ = city
    started = threading.Event()

    def warm(uow: UnitOfWork) -> list[str]:
        assert uow.engine is built.engine and uow.readonly
        started.set()
        return []

    @asynccontextmanager
    async def no_jobs(*args: object) -> AsyncIterator[None]:
        yield  # the job children are not what this test is about

    monkeypatch.setattr(wait_history, "warm_levels", warm)
    monkeypatch.setattr(jobs, "running", no_jobs)
    app = create_app(settings_for(built.url, jobs_interval_seconds=60), built.engine)
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert started.wait(timeout=600)  # a bound on a hang, not a measure
