"""A child too young to start yet, over HTTP: the form says a younger child may queue; a child
born last month applying to Komet (3-11) is queued, told from which month they can start (the
API and the status page, in both languages), and gets no offer from a round before then."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.support.api import (
    City,
    api_client,
    application_body,
    bearer,
    build_city,
    login,
)


@pytest.fixture(scope="module")
def city(module_database_url: str) -> Iterator[tuple[City, TestClient]]:
    built = build_city(module_database_url)
    yield built, api_client(built)
    built.engine.dispose()


def _born_last_month() -> str:
    return (date.today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


def test_a_child_born_last_month_is_queued_told_when_and_offered_nothing_before(city):
    built, client = city
    born = _born_last_month()
    response = client.post("/api/v1/applications", json=application_body(child_birth=born))
    assert response.status_code == 201, response.text
    token = response.json()["status_token"]
    me = client.get("/api/v1/applications/me", headers=bearer(token)).json()
    year, month = map(int, born.split("-"))
    assert me["status"] == "waiting"
    assert me["can_start_from"] == date(year + 3, month, 1).isoformat()

    client.cookies.set("lang", "sv")
    page = client.get(f"/status/{token}").text
    assert "Kan börja från" in page and f"{year + 3}" in page
    client.cookies.set("lang", "en")
    page = client.get(f"/status/{token}").text
    assert "Can start from" in page and "younger than 3 years" in page

    # The home district's Komet group has free seats: a round offers one to a six-year-old
    # who applied after, and none to the baby.
    older = client.post("/api/v1/applications", json=application_body()).json()
    staff = bearer(login(client, "coord-home"))
    preview = client.post("/api/v1/rounds/preview", headers=staff).json()
    offered = {o["application"] for o in preview["offers"]}
    assert offered == {f"a-{older['application']['id']}"}, preview["offers"]
    assert built.groups["home"]


def test_the_form_says_a_younger_child_may_queue(city):
    _, client = city
    client.cookies.set("lang", "en")
    assert "A younger child can join the queue now" in client.get("/apply/komet").text
