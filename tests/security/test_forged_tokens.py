"""Forged staff logins: a JWT, a session cookie or a CSRF token signed with any value written
in the source tree (the old built-in key, the demo key, the tests' keys, every other string)
is refused by a server started the way a deployment starts one. The server's own key works,
so the forgeries fail for the right reason."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest

from api.security import SESSION_COOKIE
from api.web import csrf
from tests.support.deployment import deploy, serving, source_tree_values
from waitlist.config import Settings
from waitlist.signing_key import DEMO_KEY, InsecureSecret


def forged_jwt(key: str, staff_id: int) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": str(staff_id),
        "role": "management",
        "district": None,
        "ver": 0,
        "aud": "waitlist-staff",
        "exp": now + timedelta(minutes=10),
        "iat": now,
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, key, algorithm="HS256")


def forged_csrf(key: str, browser: str) -> list[str]:
    """A token in this version's form (bound to the browser id) and in the earlier, unbound
    form, both signed with `key`."""
    nonce = secrets.token_urlsafe(24)
    unbound = hmac.new(key.encode(), nonce.encode(), hashlib.sha256).hexdigest()[:32]
    return [csrf.new_token(key, f"browser:{browser}"), f"{nonce}.{unbound}"]


def accepted(base: str, key: str, staff_id: int) -> list[str]:
    """What a token signed with `key` got through: 'jwt', 'cookie', 'csrf'."""
    through = []
    browser = secrets.token_urlsafe(24)
    with httpx.Client(base_url=base, timeout=60) as client:
        token = forged_jwt(key, staff_id)
        if client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}).is_success:
            through.append("jwt")
        page = client.get("/management", headers={"Cookie": f"{SESSION_COOKIE}={token}"})
        if page.status_code == 200:
            through.append("cookie")
        for forged in forged_csrf(key, browser):
            answer = client.post(
                "/coordinator/login",
                data={csrf.FIELD: forged, "username": "nobody", "password": "x"},
                headers={"Cookie": f"{csrf.COOKIE}={forged}; {csrf.BROWSER_COOKIE}={browser}"},
            )
            if answer.status_code != 403:  # 422: the form was read, so the token passed
                through.append("csrf")
    return through


def likely_keys() -> list[str]:
    """The values a reader would try first: every word-like value long enough to be a key
    (the server's minimum), and every one that speaks of a secret, key or password."""
    values = source_tree_values()
    return [
        v
        for v in values
        if (len(v) >= 32 and " " not in v)
        or any(word in v.lower() for word in ("secret", "key", "password", "demo"))
    ]


def test_the_server_never_takes_a_value_from_the_source_tree_as_its_key():
    # Every literal and word of the source tree: the start-up check refuses it on any
    # interface (so no deployment can sign with it), and only demo mode on loopback lets
    # one through.
    values = source_tree_values()
    assert "change-me-in-production-this-is-only-for-the-demo" in values
    assert len(values) > 1000
    taken = []
    for value in values:
        try:
            Settings(secret_key=value, database_url="sqlite:///unused.db").check_secret("0.0.0.0")
        except InsecureSecret:
            continue
        taken.append(value)
    assert taken == []


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_no_token_signed_with_a_value_from_the_source_tree_is_accepted(sqlite_url, tmp_path):
    # The signature check reads no database: one (SQLite) is enough here.
    deployment = deploy(tmp_path / "site", sqlite_url)
    manager = deployment.staff_ids["manager"]
    real_key = deployment.key_file.read_text().strip()
    candidates = likely_keys()
    assert "change-me-in-production-this-is-only-for-the-demo" in candidates
    assert DEMO_KEY in candidates
    with serving(deployment) as base:
        # The harness can tell an accepted token: one signed with the server's key gets in.
        assert accepted(base, real_key, manager) == ["jwt", "cookie", "csrf"]
        with ThreadPoolExecutor(max_workers=2) as pool:
            results = list(pool.map(lambda key: (key, accepted(base, key, manager)), candidates))
    assert [(key, through) for key, through in results if through] == []
    assert len(results) == len(candidates) > 100
