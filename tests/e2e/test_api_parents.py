"""A parent's walk through the HTTP API, idempotency keys, mass assignment and problem details."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlmodel import Session, func, select

from tests.support.api import (
    HOME,
    City,
    api_client,
    application_body,
    apply,
    bearer,
    group_body,
    login,
    offer_home_seat,
)
from waitlist.services import applications, offers
from waitlist.storage.idempotency import IdempotencyRecord
from waitlist.storage.tables import Application, Event


@pytest.fixture
def client(city: City) -> TestClient:
    return api_client(city)


def _applications(city: City) -> int:
    with Session(city.engine) as session:
        return int(session.exec(select(func.count()).select_from(Application)).one())


def test_a_parent_applies_gets_an_offer_accepts_it_and_is_enrolled(
    city: City, client: TestClient
) -> None:
    app_id, token = apply(client)
    status = client.get("/api/v1/applications/me", headers=bearer(token)).json()
    assert status["status"] == "waiting"
    assert status["home"]["position"] == 1
    assert status["home"]["estimate"]["basis"]
    outlook = client.get("/api/v1/applications/me/outlook", headers=bearer(token)).json()
    assert outlook["home"] == status["home"]
    reachable = {d["district"] for d in outlook["elsewhere"]}
    assert "skarpnack" in reachable and all(d["travel_minutes"] <= 60 for d in outlook["elsewhere"])
    coordinator = login(client, "coord-home")
    made = offer_home_seat(client, city, app_id, coordinator)
    assert made.status_code == 201, made.text
    status = client.get("/api/v1/applications/me", headers=bearer(token)).json()
    assert status["pending_offer"]["respond_by"] == made.json()["respond_by"]
    assert status["pending_offer"]["reason"] == "First in the queue."
    accepted = client.post(f"/api/v1/offers/{made.json()['id']}/accept", headers=bearer(token))
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    status = client.get("/api/v1/applications/me", headers=bearer(token)).json()
    assert status["application"]["status"] == "enrolled"


def test_declining_keeps_the_queue_date_and_the_reason_is_recorded(
    city: City, client: TestClient
) -> None:
    app_id, token = apply(client)
    before = client.get("/api/v1/applications/me", headers=bearer(token)).json()
    # A seat in another district comes from a round (the service a round commits through):
    # a coordinator cannot reach another district's application directly.
    offer = offers.make_offer(city.uow(), app_id, city.groups["other"]).model_dump()
    declined = client.post(
        f"/api/v1/offers/{offer['id']}/decline", json={"reason": "distance"}, headers=bearer(token)
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["decline_reason"] == "distance"
    after = client.get("/api/v1/applications/me", headers=bearer(token)).json()
    assert after["application"]["queue_date"] == before["application"]["queue_date"]
    assert after["status"] == "waiting"


def test_erasing_removes_personal_data_and_revokes_the_token(
    city: City, client: TestClient
) -> None:
    app_id, token = apply(client)
    exported = client.get("/api/v1/applications/me/export", headers=bearer(token))
    assert exported.json()["application"]["contact"] == "parent@example.org"
    erased = client.delete("/api/v1/applications/me", headers=bearer(token))
    assert erased.status_code == 200
    assert erased.json()["erased"] is True and erased.json()["child_birth"] is None
    again = client.get("/api/v1/applications/me", headers=bearer(token))
    assert again.status_code == 401
    assert again.headers["content-type"].startswith("application/problem+json")
    with Session(city.engine) as session:
        row = session.get(Application, app_id)
        assert row is not None and row.contact is None and row.token_hash is None


def test_a_replaced_token_stops_the_old_one(client: TestClient) -> None:
    _, token = apply(client)
    fresh = client.post("/api/v1/applications/me/token", headers=bearer(token))
    assert fresh.status_code == 200
    new_token = fresh.json()["status_token"]
    assert client.get("/api/v1/applications/me", headers=bearer(token)).status_code == 401
    assert client.get("/api/v1/applications/me", headers=bearer(new_token)).status_code == 200


def test_the_same_idempotency_key_and_body_gives_the_same_response_and_one_application(
    city: City, client: TestClient
) -> None:
    headers = {"Idempotency-Key": "apply-0001"}
    first = client.post("/api/v1/applications", json=application_body(), headers=headers)
    second = client.post("/api/v1/applications", json=application_body(), headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.content == second.content
    assert second.headers.get("idempotent-replayed") == "true"
    assert _applications(city) == 1
    # The replayed token works: the parent who lost the first answer can go on.
    token = second.json()["status_token"]
    assert client.get("/api/v1/applications/me", headers=bearer(token)).status_code == 200


def test_the_same_idempotency_key_with_another_body_is_refused(
    city: City, client: TestClient
) -> None:
    headers = {"Idempotency-Key": "apply-0002"}
    client.post("/api/v1/applications", json=application_body(), headers=headers)
    other = client.post(
        "/api/v1/applications", json=application_body(languages=["sv", "ar"]), headers=headers
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert other.json()["field"] == "Idempotency-Key"
    assert _applications(city) == 1


@pytest.mark.slow  # threads racing
def test_concurrent_duplicates_make_one_application_and_the_others_get_409(
    city: City, client: TestClient
) -> None:
    headers = {"Idempotency-Key": "apply-0003"}

    def send(_: int) -> int:
        return client.post(
            "/api/v1/applications", json=application_body(), headers=headers
        ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        codes = list(pool.map(send, range(8)))
    assert _applications(city) == 1
    assert set(codes) <= {201, 409}
    assert codes.count(201) >= 1


def test_a_stored_refusal_is_replayed_too(city: City, client: TestClient) -> None:
    headers = {"Idempotency-Key": "apply-0004"}
    body = application_body(district="nowhere")
    first = client.post("/api/v1/applications", json=body, headers=headers)
    second = client.post("/api/v1/applications", json=body, headers=headers)
    assert first.status_code == second.status_code == 404
    assert first.json()["field"] == "district"
    assert first.content == second.content


def test_an_attempt_whose_key_was_taken_over_makes_nothing_and_is_told_to_retry(
    city: City, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow first attempt outlived its lease and a retry took the key over: the first one's
    application is rolled back with it, so only the retry's can exist."""
    use_case = applications.apply

    def taken_over_first(*args: Any, **kwargs: Any) -> applications.Applied:
        with Session(city.engine) as session:  # what a retry after the lease does
            session.execute(update(IdempotencyRecord).values(claim="the-retry"))
            session.commit()
        return use_case(*args, **kwargs)

    monkeypatch.setattr(applications, "apply", taken_over_first)
    late = client.post(
        "/api/v1/applications", json=application_body(), headers={"Idempotency-Key": "apply-5"}
    )
    assert late.status_code == 409, late.text
    assert late.json()["code"] == "idempotency_in_progress"
    assert _applications(city) == 0
    with Session(city.engine) as session:
        record = session.exec(select(IdempotencyRecord)).one()
    assert (record.state, record.claim) == ("pending", "the-retry")


def test_accept_with_an_idempotency_key_is_answered_once(city: City, client: TestClient) -> None:
    app_id, token = apply(client)
    coordinator = login(client, "coord-home")
    offer = offer_home_seat(client, city, app_id, coordinator).json()
    headers = bearer(token) | {"Idempotency-Key": "accept-1"}
    first = client.post(f"/api/v1/offers/{offer['id']}/accept", headers=headers)
    second = client.post(f"/api/v1/offers/{offer['id']}/accept", headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    with Session(city.engine) as session:
        accepted = session.exec(
            select(func.count()).select_from(Event).where(Event.action == "accepted")
        ).one()
    assert accepted == 1


@pytest.mark.parametrize(
    "extra",
    [{"taken": 0}, {"status": "enrolled"}, {"queue_date": "2001-01-01"}, {"lottery": 1}],
    ids=lambda e: next(iter(e)),
)
def test_extra_fields_in_an_application_are_refused_and_never_stored(
    city: City, client: TestClient, extra: dict[str, object]
) -> None:
    response = client.post("/api/v1/applications", json=application_body(**extra))
    assert response.status_code == 422
    name = next(iter(extra))
    assert response.json()["field"] == f"body.{name}"
    assert _applications(city) == 0


@pytest.mark.parametrize(
    "path_body",
    [
        ("/api/v1/groups", {"taken": 9, "status": "running"}),
        ("/api/v1/groups/{group}/offers", {"status": "accepted"}),
        ("/api/v1/groups/{group}/cancel", {"lottery": 3}),
    ],
    ids=["create", "offer", "cancel"],
)
def test_extra_fields_in_staff_requests_are_refused(
    city: City, client: TestClient, path_body: tuple[str, dict[str, object]]
) -> None:
    path, extra = path_body
    coordinator = login(client, "coord-home")
    body = group_body(application_id=1)
    if "groups/{group}" in path:
        body = {"application_id": 1, "reason": "r"} if path.endswith("offers") else {}
    response = client.post(
        path.format(group=city.groups["home"]), json=body | extra, headers=bearer(coordinator)
    )
    assert response.status_code == 422, response.text
    assert response.json()["field"].startswith("body.")


def test_validation_errors_are_problem_details_naming_the_field(client: TestClient) -> None:
    response = client.post(
        "/api/v1/applications", json=application_body(child_birth="May 2019", languages=[])
    )
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 422 and problem["title"] and problem["type"]
    fields = {e["field"] for e in problem["errors"]}
    assert {"body.child_birth", "body.languages"} <= fields


def test_a_domain_rule_is_a_problem_naming_the_field(client: TestClient) -> None:
    too_old = application_body(child_birth="2000-01")
    response = client.post("/api/v1/applications", json=too_old)
    assert response.status_code == 422
    assert response.json()["code"] == "not_eligible"
    assert response.json()["field"] == "child_birth"


def test_parent_endpoints_are_rate_limited_per_client(city: City) -> None:
    limited = api_client(city, rate_limit_ip_per_minute=3)
    codes = [limited.get("/api/v1/applications/me").status_code for _ in range(5)]
    assert codes[:3] == [401, 401, 401]
    assert codes[3:] == [429, 429]
    refused = limited.get("/api/v1/applications/me")
    assert refused.json()["code"] == "rate_limited"
    assert int(refused.headers["retry-after"]) >= 1


def test_parent_endpoints_are_rate_limited_per_token(city: City) -> None:
    limited = api_client(city, rate_limit_token_per_minute=2)
    _, token = apply(limited)
    codes = [
        limited.get("/api/v1/applications/me", headers=bearer(token)).status_code for _ in range(4)
    ]
    assert codes == [200, 200, 429, 429]


def test_staff_log_in_with_a_secure_http_only_session_cookie(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login", json={"username": "coord-home", "password": "correct horse battery"}
    )
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "secure" in cookie and "samesite=lax" in cookie
    me = client.get("/api/v1/auth/me")  # the cookie alone identifies the coordinator
    assert me.json() == {
        "kind": "staff",
        "role": "coordinator",
        "district": HOME,
        "application_id": None,
    }


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(
    client: TestClient,
) -> None:
    unknown = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    wrong = client.post("/api/v1/auth/login", json={"username": "coord-home", "password": "x"})
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json()["detail"] == wrong.json()["detail"]


def test_a_forged_or_expired_staff_token_is_refused(client: TestClient) -> None:
    import jwt

    forged = jwt.encode(
        {"sub": "1", "role": "management"},
        "a-wrong-secret-that-is-long-enough-for-hs256",
        algorithm="HS256",
    )
    assert client.get("/api/v1/groups", headers=bearer(forged)).status_code == 401
