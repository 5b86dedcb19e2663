"""The access matrix: every endpoint x every role, with parent A's application, offer, group and
round (all in the home district) as the objects asked for.

Roles: parent A, parent B, coordinator of the home district, coordinator of another district,
management, anonymous. A role not allowed must never get a 2xx; a list that every coordinator
may call must not show another district's records; no management response carries a personal
field. Every operation in the OpenAPI schema must be in the matrix, so a new route cannot slip
by unclassified.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.support.api import (
    HOME,
    City,
    api_client,
    application_body,
    build_city,
    every_role,
    group_body,
)

PA, PB, CO, CX, MG, AN = "parent_a", "parent_b", "coord_own", "coord_other", "manager", "anon"
ROLES = (PA, PB, CO, CX, MG, AN)
PARENTS = {PA, PB}
COORDINATORS = {CO, CX}
STAFF = {CO, CX, MG}
EVERYONE = set(ROLES)

# (method, path) -> roles that may get a 2xx. "{own}" operations act on the caller's own
# application (each parent their own), so both parents are allowed there.
MATRIX: dict[tuple[str, str], set[str]] = {
    ("GET", "/health"): EVERYONE,
    ("POST", "/api/v1/auth/login"): EVERYONE,
    ("POST", "/api/v1/auth/logout"): EVERYONE,
    ("GET", "/api/v1/auth/me"): PARENTS | STAFF,
    ("POST", "/api/v1/applications"): EVERYONE,
    ("GET", "/api/v1/applications/me"): PARENTS,
    ("GET", "/api/v1/applications/me/export"): PARENTS,
    ("GET", "/api/v1/applications/me/outlook"): PARENTS,
    ("GET", "/api/v1/applications/me/notices"): PARENTS,
    ("POST", "/api/v1/applications/me/withdraw"): PARENTS,
    ("POST", "/api/v1/applications/me/resume"): PARENTS,
    ("POST", "/api/v1/applications/me/token"): PARENTS,
    ("DELETE", "/api/v1/applications/me"): PARENTS,
    ("GET", "/api/v1/applications"): COORDINATORS,
    ("GET", "/api/v1/applications/{application_id}"): {CO},
    ("POST", "/api/v1/offers/{offer_id}/accept"): {PA},
    ("POST", "/api/v1/offers/{offer_id}/decline"): {PA},
    ("GET", "/api/v1/offers/{offer_id}"): {PA, CO},
    ("GET", "/api/v1/offers"): COORDINATORS,
    ("POST", "/api/v1/offers/expire"): COORDINATORS,
    ("POST", "/api/v1/offers/{offer_id}/revoke"): {CO},
    ("GET", "/api/v1/groups"): STAFF,
    ("POST", "/api/v1/groups"): {CO},
    ("GET", "/api/v1/groups/{group_id}"): STAFF,
    ("POST", "/api/v1/groups/{group_id}/open"): {CO},
    ("POST", "/api/v1/groups/{group_id}/start"): {CO},
    ("POST", "/api/v1/groups/{group_id}/cancel"): {CO},
    ("POST", "/api/v1/groups/{group_id}/complete"): {CO},
    ("POST", "/api/v1/groups/{group_id}/offers"): {CO},
    ("GET", "/api/v1/queues/{district}/{programme}"): {CO},
    ("GET", "/api/v1/queues/{district}/{programme}/members"): {CO},
    ("GET", "/api/v1/queues/{district}/{programme}/next-group"): {CO},
    ("POST", "/api/v1/rounds/preview"): COORDINATORS,
    ("POST", "/api/v1/rounds/{round_id}/commit"): {CO},
    ("POST", "/api/v1/rounds/{round_id}/discard"): {CO},
    ("POST", "/api/v1/rounds/{round_id}/drop"): {CO},
    ("GET", "/api/v1/rounds"): COORDINATORS,
    ("GET", "/api/v1/rounds/{round_id}"): {CO},
    ("GET", "/api/v1/audit"): COORDINATORS,
    ("GET", "/api/v1/recommendations"): COORDINATORS,
    ("POST", "/api/v1/recommendations/{candidate}/accept"): {CO},
    ("GET", "/api/v1/venues"): STAFF,
    ("POST", "/api/v1/venues"): {CO},
    ("GET", "/api/v1/venues/{venue_id}"): STAFF,
    ("PATCH", "/api/v1/venues/{venue_id}"): {CO},
    ("GET", "/api/v1/leaders"): COORDINATORS,
    ("POST", "/api/v1/leaders"): {CO},
    ("GET", "/api/v1/leaders/{leader_id}"): {CO},
    ("PATCH", "/api/v1/leaders/{leader_id}"): {CO},
}
# Lists every coordinator may call, each scoped to their own district.
SCOPED_LISTS = {
    ("GET", "/api/v1/applications"),
    ("GET", "/api/v1/offers"),
    ("GET", "/api/v1/rounds"),
    ("GET", "/api/v1/audit"),
    ("GET", "/api/v1/leaders"),
}
# Capabilities whose routes are classified by prefix (their own tests go deeper).
PREFIX_RULES = (("/api/v1/management", {MG}),)
PERSONAL_KEYS = {
    "contact",
    "child_birth",
    "token_hash",
    "status_token",
    "application_id",
    "lottery",
    "queue_date",
    "email",
    "phone",
}


_LEADER = {"label": "Anna", "district": HOME, "programmes": ["komet"], "languages": ["sv"]}


@dataclass
class World:
    city: City
    client: TestClient
    headers: dict[str, dict[str, str]]
    ids: dict[str, Any]


@pytest.fixture(scope="module")
def world(module_database_url: str) -> Iterator[World]:
    city = build_city(module_database_url)
    client = api_client(city)
    roles = every_role(city, client)
    headers = roles.headers
    round_ = client.post("/api/v1/rounds/preview", headers=headers[CO]).json()
    venue = client.post(
        "/api/v1/venues",
        json={"district": HOME, "name": "Sal 1", "address": "Gatan 1"},
        headers=headers[CO],
    ).json()
    leader = client.post("/api/v1/leaders", json=_LEADER, headers=headers[CO]).json()
    client.cookies.clear()
    ids = {
        "application_id": roles.application_a,
        "offer_id": roles.offer_a,
        "group_id": city.groups["home"],
        "round_id": round_["id"],
        "district": HOME,
        "programme": "komet",
        "candidate": "c-1",
        "venue_id": venue["id"],
        "leader_id": leader["id"],
    }
    yield World(city=city, client=client, headers=headers, ids=ids)
    city.engine.dispose()


def _operations(client: TestClient) -> list[tuple[str, str]]:
    schema = client.get("/openapi.json").json()
    return sorted(
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    )


def _allowed(method: str, path: str) -> set[str] | None:
    if (method, path) in MATRIX:
        return MATRIX[(method, path)]
    for prefix, roles in PREFIX_RULES:
        if path.startswith(prefix):
            return roles
    return None


def _body(method: str, path: str) -> dict[str, Any] | None:
    if method == "PATCH" and path == "/api/v1/venues/{venue_id}":
        return {"directions": "Buss 4"}
    if method == "PATCH" and path == "/api/v1/leaders/{leader_id}":
        return {"unavailable_weeks": ["2026-W14"]}
    if method != "POST":
        return None
    if path == "/api/v1/leaders":
        return _LEADER
    if path == "/api/v1/venues":
        return {"district": HOME, "name": "Sal 2", "address": "Gatan 2"}
    if path == "/api/v1/auth/login":
        return {"username": "coord-home", "password": "wrong"}
    if path == "/api/v1/applications":
        return None  # sent separately: applying is open to everyone
    if path == "/api/v1/groups":
        return group_body()
    if path.endswith("/offers") and "{group_id}" in path:
        return {"application_id": 999999, "reason": "First in the queue."}
    return None


def _call(world: World, role: str, method: str, path: str) -> Any:
    url = re.sub(r"\{(\w+)\}", lambda m: str(world.ids[m.group(1)]), path)
    world.client.cookies.clear()
    return world.client.request(method, url, headers=world.headers[role], json=_body(method, path))


def _walk(data: Any) -> Iterator[str]:
    """Every key that holds a value, at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            if value not in (None, [], {}, ""):
                yield str(key)
            yield from _walk(value)
    elif isinstance(data, list):
        for item in data:
            yield from _walk(item)


def test_every_operation_is_in_the_access_matrix(world: World) -> None:
    unclassified = [op for op in _operations(world.client) if _allowed(*op) is None]
    assert unclassified == []


def test_no_role_gets_a_2xx_where_it_is_not_allowed(world: World) -> None:
    leaks = []
    for method, path in _operations(world.client):
        allowed = _allowed(method, path) or set()
        for role in ROLES:
            if role in allowed:
                continue
            response = _call(world, role, method, path)
            if 200 <= response.status_code < 300:
                leaks.append((method, path, role, response.status_code))
            assert response.status_code < 500, (method, path, role, response.text)
    assert leaks == []


def test_district_scoped_lists_show_another_coordinator_nothing_of_ours(world: World) -> None:
    for method, path in SCOPED_LISTS:
        response = _call(world, CX, method, path)
        assert response.status_code == 200, (path, response.text)
        for row in response.json()["data"]:
            assert row.get("district") in (None, "skarpnack"), (path, row)
            assert row.get("application_id") != world.ids["application_id"], (path, row)
            assert row.get("id") != world.ids["application_id"] or path != "/api/v1/applications"


def test_the_allowed_coordinator_reads_what_the_others_cannot(world: World) -> None:
    for path in (
        "/api/v1/applications/{application_id}",
        "/api/v1/offers/{offer_id}",
        "/api/v1/queues/{district}/{programme}",
        "/api/v1/rounds/{round_id}",
    ):
        assert _call(world, CO, "GET", path).status_code == 200, path


def test_parent_b_cannot_see_or_answer_parent_a_offer(world: World) -> None:
    for method, path in (
        ("GET", "/api/v1/offers/{offer_id}"),
        ("POST", "/api/v1/offers/{offer_id}/accept"),
        ("POST", "/api/v1/offers/{offer_id}/decline"),
    ):
        assert _call(world, PB, method, path).status_code == 404


def test_no_management_response_carries_a_personal_field(world: World) -> None:
    for method, path in _operations(world.client):
        if method != "GET":
            continue
        response = _call(world, MG, method, path)
        if response.headers.get("content-type", "").startswith("application/json"):
            keys = set(_walk(response.json()))
            assert not keys & PERSONAL_KEYS, (path, keys & PERSONAL_KEYS)
            text = json.dumps(response.json())
            assert "parent@example.org" not in text, path


def test_anyone_may_apply(world: World) -> None:
    for role in ROLES:
        response = world.client.post(
            "/api/v1/applications", json=application_body(), headers=world.headers[role]
        )
        # A parent or staff token is not needed to apply; it is not refused either.
        assert response.status_code == 201, (role, response.text)
