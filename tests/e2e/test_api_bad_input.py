"""Bad input the request models let through reaches the library, which names the field: a
problem+json 4xx, never a 500, and nothing stored. PostgreSQL refuses a NUL in text outright,
so these run on both databases."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from tests.support.api import City, api_client, application_body, bearer, group_body, login
from waitlist.storage.tables import Application, Event, Group


def _counts(city: City) -> tuple[int, ...]:
    with Session(city.engine) as session:
        return tuple(
            int(session.exec(select(func.count()).select_from(t)).one())
            for t in (Application, Group, Event)
        )


def test_text_with_control_characters_is_a_422_naming_the_field(city: City) -> None:
    client: TestClient = api_client(city)
    coordinator = bearer(login(client, "coord-home"))
    before = _counts(city)
    start = (date.today() + timedelta(days=30)).isoformat()
    group = group_body(start=start, capacity=10, min_size=2)
    cases = [
        ("/api/v1/applications", application_body(contact="a\x00b"), {}, "contact"),
        ("/api/v1/applications", application_body(contact="a@b.se\nBcc: c@d.se"), {}, "contact"),
        ("/api/v1/applications", application_body(district="far\x00sta"), {}, "district"),
        ("/api/v1/applications", application_body(programme="kom\x00et"), {}, "programme"),
        ("/api/v1/groups", group | {"language": "s\x00v"}, coordinator, "language"),
    ]
    for path, body, headers, field in cases:
        response = client.post(path, json=body, headers=headers)
        assert response.status_code == 422, (field, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert response.json()["field"].removeprefix("body.") == field
    assert _counts(city) == before


def test_a_username_with_a_nul_is_refused_not_a_server_error(city: City) -> None:
    client = api_client(city)
    response = client.post(
        "/api/v1/auth/login", json={"username": "coord-home\x00", "password": "whatever"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "body.username"
    assert response.headers["content-type"].startswith("application/problem+json")
