"""Group-start recommendations over HTTP: asking answers at once (202 with the job while it is
computed in the background, then 200 with the kept plan), a coordinator sees the groups to
start in their district (counts per district, never names), and accepting one creates the
group at once; the next placement round offers its seats."""

from __future__ import annotations

import pytest

from tests.support.api import HOME, api_client, application_body, bearer, build_city, login
from waitlist.bootstrap import rules_from
from waitlist.config import get_settings
from waitlist.services import groups, recommendation_jobs


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
    yield client, leader, city
    city.engine.dispose()


def _worker(city) -> int | None:
    return recommendation_jobs.run_next(city.engine, "worker", rules_from(get_settings()))


def test_a_coordinator_sees_the_group_to_start_and_accepting_it_creates_the_group(city_client):
    client, leader, city = city_client
    home = bearer(login(client, "coord-home"))
    other = bearer(login(client, "coord-other"))

    asked = client.get("/api/v1/recommendations", headers=home)
    assert asked.status_code == 202, asked.text
    assert asked.json()["job"]["state"] == "queued" and asked.json()["data"] == []
    assert _worker(city) == asked.json()["job"]["id"]

    listed = client.get("/api/v1/recommendations", headers=home)
    assert listed.status_code == 200, listed.text
    assert listed.json()["job"]["state"] == "done" and not listed.json()["stale"]
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
    assert body["group"]["leaders"] == [leader] and body["group"]["status"] == "recruiting"
    assert body["group"]["taken"] == 0  # its seats go out with the next round
    assert client.post(path, headers=home).status_code == 409  # no longer recommended

    preview = client.post("/api/v1/rounds/preview", headers=home)
    assert preview.status_code == 201, preview.text
    committed = client.post(f"/api/v1/rounds/{preview.json()['id']}/commit", headers=home)
    assert committed.status_code == 200, committed.text
    groups_offered = [o["group"] for o in committed.json()["offers"]]
    assert groups_offered.count(f"g-{body['group']['id']}") == 7

    stale = client.get("/api/v1/recommendations", headers=home)
    assert stale.status_code == 202 and stale.json()["stale"]
    assert stale.json()["data"] == listed.json()["data"]  # the older plan, marked stale
