"""Group-start recommendations over HTTP: a coordinator sees the groups to start in their
district (counts per district, never names) and accepting one offers its seats at once."""

from __future__ import annotations

import pytest
from api_support import HOME, api_client, application_body, bearer, build_city, login

from waitlist.services import groups


@pytest.fixture
def city_client(tmp_path):
    city = build_city(f"sqlite:///{tmp_path / 'waitlist.db'}")
    leader = groups.create_leader(
        city.uow(),
        {
            "label": "Leader",
            "district": HOME,
            "programmes": ["komet"],
            "languages": ["sv"],
            "max_groups": 1,
        },
    ).id
    client = api_client(city)
    for _ in range(7):
        # Daytime parents: the recruiting evening groups of the city do not fit them.
        body = application_body(HOME, slots=["day"], cross_district=False, max_travel_minutes=0)
        assert client.post("/api/v1/applications", json=body).status_code == 201
    yield client, leader
    city.engine.dispose()


def test_a_coordinator_sees_the_group_to_start_and_accepting_it_offers_its_seats(city_client):
    client, leader = city_client
    home = bearer(login(client, "coord-home"))
    other = bearer(login(client, "coord-other"))

    listed = client.get("/api/v1/recommendations", headers=home)
    assert listed.status_code == 200, listed.text
    [rec] = listed.json()["data"]
    assert rec["serves"] == {HOME: 7} and rec["parents"] == 7
    assert rec["candidate"]["district"] == HOME and rec["candidate"]["slot"] == "day"
    assert "applications" not in rec  # counts only
    assert client.get("/api/v1/recommendations", headers=other).json()["data"] == []

    path = f"/api/v1/recommendations/{rec['candidate']['id']}/accept"
    assert client.post(path, headers=other).status_code == 403
    accepted = client.post(path, headers=home)
    assert accepted.status_code == 201, accepted.text
    body = accepted.json()
    assert body["group"]["leaders"] == [leader] and body["group"]["taken"] == 7
    assert body["round"]["status"] == "committed" and len(body["round"]["offers"]) == 7
    assert client.post(path, headers=home).status_code == 409  # no longer recommended
