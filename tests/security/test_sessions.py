"""Sessions against a deployed server behind an https public URL (SQLite and PostgreSQL):
CSRF tokens bound to the session (a tossed cookie is refused), staff tokens revoked on
logout, deactivation and password change, Secure cookies whatever the Host, no-store on
answers carrying a secret, HSTS."""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Iterator
from http.cookies import SimpleCookie

import httpx
import pytest

from api.web import csrf
from tests.support.api import application_body
from tests.support.deployment import PASSWORD, Deployment, deploy, serving
from waitlist.services import staff
from waitlist.storage.tables import Group

PUBLIC_URL = "https://waitlist.example.org"


class Browser:
    """An HTTP client that keeps cookies like a browser on the https site would (it sends the
    Secure ones too: the test talks plain HTTP to the server behind the proxy)."""

    def __init__(self, base: str) -> None:
        self.client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
        self.jar: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def request(self, method: str, path: str, **kwargs: object) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
        if self.jar:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.jar.items())
        self.client.cookies.clear()
        answer = self.client.request(method, path, headers=headers, **kwargs)  # type: ignore[arg-type]
        self.client.cookies.clear()
        for line in answer.headers.get_list("set-cookie"):
            self.set_cookies.append(line)
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.jar.pop(name, None)
                else:
                    self.jar[name] = morsel.value
        return answer

    def form_token(self, path: str) -> str:
        page = self.request("GET", path)
        assert page.status_code == 200, page.text
        found = re.search(rf'name="{csrf.FIELD}" value="([^"]+)"', page.text)
        assert found is not None
        return found.group(1)

    def log_in(self, username: str) -> None:
        token = self.form_token("/coordinator/login")
        answer = self.request(
            "POST",
            "/coordinator/login",
            data={csrf.FIELD: token, "username": username, "password": PASSWORD},
        )
        assert answer.status_code == 303, answer.text


@pytest.fixture(scope="module")
def site(module_database_url: str, tmp_path_factory) -> Iterator[tuple[Deployment, str]]:  # noqa: ANN001
    deployment = deploy(
        tmp_path_factory.mktemp("site"), module_database_url, WAITLIST_PUBLIC_URL=PUBLIC_URL
    )
    with serving(deployment) as base:
        yield deployment, base


def new_account(deployment: Deployment, role: str = "coordinator") -> str:
    username = f"staff-{secrets.token_hex(4)}"
    staff.create_staff(
        deployment.uow(),
        {
            "username": username,
            "role": role,
            "district": "farsta" if role == "coordinator" else None,
            "password": PASSWORD,
        },
    )
    return username


def api_token(base: str, username: str, password: str = PASSWORD) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": password}, timeout=120
    )


def me(base: str, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return httpx.get(f"{base}/api/v1/auth/me", headers=headers, timeout=120).status_code


def group_status(deployment: Deployment, group_id: int) -> str:
    with deployment.uow() as uow:
        group = uow.session.get(Group, group_id)
        assert group is not None
        return str(group.status)


# --- CSRF bound to the session ----------------------------------------------------------------


def test_a_csrf_token_planted_as_a_cookie_is_refused_and_the_group_stays(site):
    deployment, base = site
    attacker = Browser(base)
    tossed = attacker.form_token("/coordinator/login")  # a token the server really signed
    victim = Browser(base)
    victim.log_in("coord-farsta")
    victim.jar[csrf.COOKIE] = tossed  # cookie tossing: the attacker's token as the victim's
    cancel = f"/coordinator/groups/{deployment.group_id}/cancel"
    refused = victim.request("POST", cancel, data={csrf.FIELD: tossed})
    assert refused.status_code == 403
    assert group_status(deployment, deployment.group_id) != "cancelled"
    # The victim's own form token (bound to the victim's session) still works.
    own = victim.form_token("/coordinator/groups")
    done = victim.request("POST", cancel, data={csrf.FIELD: own})
    assert done.status_code == 303, done.text
    assert group_status(deployment, deployment.group_id) == "cancelled"


def test_an_anonymous_form_token_from_another_browser_is_refused(site):
    _deployment, base = site
    attacker, parent = Browser(base), Browser(base)
    tossed = attacker.form_token("/coordinator/login")
    parent.form_token("/coordinator/login")  # the parent's browser has its own id
    parent.jar[csrf.COOKIE] = tossed
    answer = parent.request(
        "POST", "/coordinator/login", data={csrf.FIELD: tossed, "username": "x", "password": "y"}
    )
    assert answer.status_code == 403


# --- revocation -------------------------------------------------------------------------------


def test_logging_out_revokes_the_token_and_the_session_cookie(site):
    deployment, base = site
    username = new_account(deployment)
    token = api_token(base, username).json()["access_token"]
    assert me(base, token) == 200
    out = httpx.post(
        f"{base}/api/v1/auth/logout", headers={"Authorization": f"Bearer {token}"}, timeout=120
    )
    assert out.status_code == 200
    assert me(base, token) == 401

    browser = Browser(base)
    browser.log_in(username)
    session = dict(browser.jar)
    assert browser.request("GET", "/coordinator").status_code == 200
    logout = browser.request(
        "POST", "/coordinator/logout", data={csrf.FIELD: browser.form_token("/coordinator")}
    )
    assert logout.status_code == 303
    browser.jar = session  # the old cookie, replayed
    assert browser.request("GET", "/coordinator").status_code == 303


def test_deactivating_an_account_revokes_its_tokens_at_once(site):
    deployment, base = site
    username = new_account(deployment, "management")
    token = api_token(base, username).json()["access_token"]
    assert me(base, token) == 200
    staff.deactivate_staff(deployment.uow(), username)
    assert me(base, token) == 401
    assert api_token(base, username).status_code == 401


def test_a_new_password_revokes_the_tokens_given_before(site):
    deployment, base = site
    username = new_account(deployment)
    token = api_token(base, username).json()["access_token"]
    staff.change_password(deployment.uow(), username, "a brand new password")
    assert me(base, token) == 401
    assert api_token(base, username).status_code == 401
    fresh = api_token(base, username, "a brand new password")
    assert fresh.status_code == 200
    assert me(base, fresh.json()["access_token"]) == 200


# --- cookies and headers behind https ---------------------------------------------------------


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "waitlist.example.org"])
def test_session_and_csrf_cookies_are_secure_whatever_the_host(site, host):
    _deployment, base = site
    browser = Browser(base)
    login = browser.request("GET", "/coordinator/login", headers={"Host": host})
    api = httpx.post(
        f"{base}/api/v1/auth/login",
        json={"username": "coord-farsta", "password": PASSWORD},
        headers={"Host": host},
        timeout=120,
    )
    cookies = login.headers.get_list("set-cookie") + api.headers.get_list("set-cookie")
    names = {line.split("=", 1)[0] for line in cookies}
    assert {csrf.COOKIE, csrf.BROWSER_COOKIE, "waitlist_session"} <= names
    assert all("secure" in line.lower() for line in cookies), cookies
    assert all("httponly" in line.lower() for line in cookies), cookies


def test_answers_carrying_a_secret_are_not_stored_and_carry_hsts(site):
    _deployment, base = site
    login = api_token(base, "coord-farsta")
    body = application_body("farsta", cross_district=False, max_travel_minutes=0)
    key = {"Idempotency-Key": uuid.uuid4().hex}
    applied = httpx.post(f"{base}/api/v1/applications", json=body, headers=key, timeout=120)
    replay = httpx.post(f"{base}/api/v1/applications", json=body, headers=key, timeout=120)
    assert applied.status_code == replay.status_code == 201, applied.text
    assert replay.headers.get("Idempotent-Replayed") == "true"
    status_page = httpx.get(f"{base}/status/{applied.json()['status_token']}", timeout=120)
    assert status_page.status_code == 200
    for answer in (login, applied, replay, status_page):
        assert answer.headers.get("Cache-Control") == "no-store", answer.request.url
        assert answer.headers.get("Strict-Transport-Security", "").startswith("max-age=")
    assert "Strict-Transport-Security" in httpx.get(f"{base}/health", timeout=120).headers
