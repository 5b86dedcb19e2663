"""The wait a parent is shown once the queue has a history: a calibrated range, said plainly on
the status page in Swedish and English, with the same figures in the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.support.api import City, application_body, bearer, city_client
from tests.support.wait_history import PastParent, add_past_parents

PAST_PARENTS = 120  # one every three days over the last year
WAIT_DAYS = 21  # each was offered a seat three weeks after joining


def _history(built: City) -> None:
    """A year of the home Komet queue: parents joined every three days and were offered a
    seat three weeks later, which they took."""
    today = date.today()
    joined = [today - timedelta(days=3 * n + WAIT_DAYS + 1) for n in range(PAST_PARENTS)]
    add_past_parents(built, [PastParent(day, WAIT_DAYS) for day in joined])


@pytest.fixture(scope="module")
def city(module_database_url: str) -> Iterator[tuple[City, TestClient]]:
    with city_client(module_database_url, _history) as served:
        yield served


def test_the_status_page_says_the_calibrated_range_and_how_often_it_holds(city):
    _, client = city
    response = client.post(
        "/api/v1/applications", json=application_body(cross_district=False, max_travel_minutes=0)
    )
    assert response.status_code == 201, response.text
    token = response.json()["status_token"]
    estimate = client.get("/api/v1/applications/me", headers=bearer(token)).json()["home"][
        "estimate"
    ]
    assert estimate["basis"] == "history" and estimate["coverage"] == 0.8
    low, high = estimate["low_weeks"], estimate["high_weeks"]
    # Every past parent waited three weeks: no range can miss that by much.
    assert 0 <= low <= estimate["likely_weeks"] <= high <= 4

    client.cookies.set("lang", "sv")
    swedish = client.get(f"/status/{token}").text
    assert (
        f"Troligast {low}–{high} veckor; 8 av 10 föräldrar i ditt läge fick vänta inom det "
        "spannet" in swedish
    )
    client.cookies.set("lang", "en")
    english = client.get(f"/status/{token}").text
    assert (
        f"Most likely {low}–{high} weeks; 8 in 10 parents in your place waited within this range"
        in english
    )
