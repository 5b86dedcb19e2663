"""Bad input in every form: a message next to the field, the form keeps what was typed, and
nothing is stored. Forms without a valid CSRF token are refused."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from tests.support.browser import DEMO_PASSWORD, LiveServer

pytestmark = pytest.mark.browser

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
SCRIPT = "<script>alert(1)</script>"


def _token(client: httpx.Client, path: str) -> str:
    match = TOKEN.search(client.get(path).text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def _field_errors(page: str) -> dict[str, str]:
    found = re.findall(r'<p class="field-error" id="error-([a-z_]+)">(.*?)</p>', page, re.S)
    return {name: re.sub(r"<[^>]+>", "", text).strip() for name, text in found}


APPLY_CASES = {
    "empty": ({}, {"district", "child_birth", "languages", "cross_district"}),
    "too long": (
        {"child_birth": "2019-05" * 10, "contact": "x" * 300 + "@example.se"},
        {"child_birth", "contact"},
    ),
    "month that does not exist": ({"child_birth": "2019-13"}, {"child_birth"}),
    "born in the future": ({"child_birth": "2099-01"}, {"child_birth"}),
    "child too old": ({"child_birth": "2005-01"}, {"child_birth"}),
    "script tags": ({"child_birth": SCRIPT, "contact": SCRIPT}, {"child_birth", "contact"}),
    "unknown district": ({"district": "atlantis"}, {"district"}),
    "language the programme is not run in": ({"languages": ["pl"]}, {"languages"}),
}
GOOD = {
    "district": "farsta",
    "child_birth": "2019-05",
    "languages": ["sv", "ar"],
    "slots": ["evening"],
    "cross_district": "yes",
    "max_travel_minutes": "30",
    "contact": "",
}


@pytest.mark.parametrize("case", list(APPLY_CASES), ids=list(APPLY_CASES))
def test_bad_input_to_the_apply_form_is_named_kept_and_not_stored(client, live_server, case):
    changes, fields = APPLY_CASES[case]
    data = {} if case == "empty" else {**GOOD, **changes}
    before = live_server.count("application")
    response = client.post(
        "/apply/komet", data={"csrf_token": _token(client, "/apply/komet"), **data}
    )
    assert response.status_code == 422
    assert set(_field_errors(response.text)) == fields
    assert 'class="error-summary"' in response.text
    for name in fields:  # the summary links to each field
        assert f'href="#field-{name}"' in response.text
    for name, value in data.items():
        if isinstance(value, str) and value and name != "max_travel_minutes":
            if name in ("district",):
                continue
            assert f'value="{html.escape(value, quote=True)}"' in response.text, name
    if "languages" not in fields:
        for code in data.get("languages", []):
            assert re.search(rf'id="field-languages-{code}"[^>]*checked', response.text)
    assert SCRIPT not in response.text
    assert live_server.count("application") == before


def test_the_programme_chooser_names_a_bad_age(client):
    response = client.get("/", params={"age": SCRIPT})
    assert response.status_code == 422
    assert set(_field_errors(response.text)) == {"age"}
    assert html.escape(SCRIPT, quote=True) in response.text and SCRIPT not in response.text


def test_a_form_without_a_valid_csrf_token_is_refused_and_nothing_is_stored(client, live_server):
    before = live_server.count("application")
    data = {**GOOD}
    assert client.post("/apply/komet", data=data).status_code == 403
    token = _token(client, "/apply/komet")
    with httpx.Client(base_url=live_server.url, timeout=120) as other:
        foreign = _token(other, "/apply/komet")  # valid elsewhere, not for this browser
    assert client.post("/apply/komet", data={**data, "csrf_token": foreign}).status_code == 403
    forged = token.split(".")[0] + ".0000"
    client.cookies.set("csrf", forged)
    assert client.post("/apply/komet", data={**data, "csrf_token": forged}).status_code == 403
    assert live_server.count("application") == before


@contextmanager
def _coordinator(live_server: LiveServer) -> Iterator[httpx.Client]:
    http = httpx.Client(base_url=live_server.url, cookies={"lang": "en"}, timeout=120)
    token = _token(http, "/coordinator/login")
    response = http.post(
        "/coordinator/login",
        data={"csrf_token": token, "username": "coordinator-farsta", "password": DEMO_PASSWORD},
    )
    assert response.status_code == 303
    try:
        yield http
    finally:
        http.close()


def test_bad_log_in_is_named_and_the_password_is_not_echoed(client):
    token = _token(client, "/coordinator/login")
    response = client.post(
        "/coordinator/login",
        data={"csrf_token": token, "username": SCRIPT, "password": "secret-guess"},
    )
    assert response.status_code == 422
    assert set(_field_errors(response.text)) == {"username"}
    assert "secret-guess" not in response.text and SCRIPT not in response.text
    empty = client.post("/coordinator/login", data={"csrf_token": token})
    assert set(_field_errors(empty.text)) == {"username", "password"}


GROUP_GOOD = {
    "programme": "komet",
    "start": "2031-03-04",
    "weekday": "tue",
    "slot": "evening",
    "language": "sv",
    "capacity": "12",
    "min_size": "6",
}
GROUP_CASES = {
    # An empty weekday is the first meeting's: not an error.
    "empty": (dict.fromkeys(GROUP_GOOD, ""), set(GROUP_GOOD) - {"weekday"}),
    "date that does not exist": ({"start": "2031-02-30"}, {"start"}),
    "script tags": ({"start": SCRIPT, "capacity": SCRIPT}, {"start", "capacity"}),
    "too long": ({"capacity": "1" * 50}, {"capacity"}),
    "minimum above seats": ({"capacity": "5", "min_size": "6"}, {"min_size"}),
}


@pytest.mark.parametrize("case", list(GROUP_CASES), ids=list(GROUP_CASES))
def test_bad_input_to_the_group_form_is_named_kept_and_not_stored(live_server, case):
    changes, fields = GROUP_CASES[case]
    with _coordinator(live_server) as http:
        before = live_server.count("programme_group")
        data = {**GROUP_GOOD, **changes}
        token = _token(http, "/coordinator/groups")
        response = http.post("/coordinator/groups", data={"csrf_token": token, **data})
        assert response.status_code == 422
        assert set(_field_errors(response.text)) == fields
        for name in ("start", "capacity", "min_size"):
            if data[name] and len(data[name]) <= 40:
                assert f'value="{html.escape(data[name], quote=True)}"' in response.text
        assert SCRIPT not in response.text
        assert live_server.count("programme_group") == before


def test_the_group_form_refuses_a_missing_csrf_token(live_server):
    with _coordinator(live_server) as http:
        before = live_server.count("programme_group")
        assert http.post("/coordinator/groups", data=GROUP_GOOD).status_code == 403
        assert live_server.count("programme_group") == before


def test_too_many_forms_from_one_client_are_slowed_down_with_a_page(tmp_path):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from api import web
    from waitlist.config import Settings
    from waitlist.services import setup
    from waitlist.storage.db import create_schema, make_engine
    from waitlist.storage.uow import UnitOfWork

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'w.db'}", rate_limit_ip_per_minute=3)
    app = FastAPI()
    app.state.settings, app.state.engine = settings, make_engine(settings.database_url)
    create_schema(app.state.engine)
    setup.load_reference_data(UnitOfWork(app.state.engine))
    web.install(app)
    with TestClient(app, base_url="http://127.0.0.1") as http:
        token = _token(http, "/apply/komet")  # type: ignore[arg-type]
        codes = [
            http.post("/apply/komet", data={"csrf_token": token}).status_code for _ in range(4)
        ]
    assert codes == [422, 422, 422, 429]
