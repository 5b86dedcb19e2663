"""A coordinator keeps their district's leaders and rooms over HTTP: bad values are refused
naming the field, and another district's coordinator can change none of them."""

from __future__ import annotations

import pytest

from tests.support.api import HOME, api_client, bearer, build_city, login

LEADER = {"label": "Anna", "district": HOME, "programmes": ["komet"], "languages": ["sv", "ar"]}


@pytest.fixture
def client(tmp_path):
    city = build_city(f"sqlite:///{tmp_path / 'waitlist.db'}")
    yield api_client(city)
    city.engine.dispose()


def test_a_coordinator_adds_changes_and_deactivates_a_leader(client):
    home = bearer(login(client, "coord-home"))
    made = client.post("/api/v1/leaders", json=LEADER | {"max_groups": 2}, headers=home)
    assert made.status_code == 201, made.text
    url = f"/api/v1/leaders/{made.json()['id']}"
    changed = client.patch(url, json={"unavailable_weeks": ["2026-w14"]}, headers=home)
    assert changed.json()["unavailable_weeks"] == ["2026-W14"]
    assert client.patch(url, json={"active": False}, headers=home).json()["active"] is False
    [row] = client.get("/api/v1/leaders", headers=home).json()["data"]
    assert (row["label"], row["max_groups"], row["active"]) == ("Anna", 2, False)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (LEADER | {"unavailable_weeks": ["next week"]}, "unavailable_weeks"),
        (LEADER | {"programmes": ["nothing"]}, "programmes"),
        (LEADER | {"max_groups": 0}, "max_groups"),
        (LEADER | {"languages": []}, "languages"),
    ],
)
def test_a_bad_leader_is_refused_naming_the_field(client, body, field):
    response = client.post(
        "/api/v1/leaders", json=body, headers=bearer(login(client, "coord-home"))
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["field"].removeprefix("body.").split(".")[0] == field


def test_another_districts_coordinator_cannot_touch_our_leaders_or_rooms(client):
    home = bearer(login(client, "coord-home"))
    other = bearer(login(client, "coord-other"))
    leader = client.post("/api/v1/leaders", json=LEADER, headers=home).json()["id"]
    room = {"district": HOME, "name": "Sal 1", "address": "Gatan 1", "capacity": 8}
    venue = client.post("/api/v1/venues", json=room, headers=home).json()
    assert (venue["capacity"], venue["weekdays"]) == (8, [])
    for method, url, body in [
        ("PATCH", f"/api/v1/leaders/{leader}", {"active": False}),
        ("GET", f"/api/v1/leaders/{leader}", None),
        ("POST", "/api/v1/leaders", LEADER),
        ("PATCH", f"/api/v1/venues/{venue['id']}", {"slots": ["day"]}),
    ]:
        assert client.request(method, url, json=body, headers=other).status_code == 403, url
    assert client.get("/api/v1/leaders", headers=other).json()["data"] == []
    bad = client.patch(
        f"/api/v1/venues/{venue['id']}", json={"weekdays": ["fri", "x"]}, headers=home
    )
    assert bad.status_code == 422 and "weekdays" in bad.json()["field"]
