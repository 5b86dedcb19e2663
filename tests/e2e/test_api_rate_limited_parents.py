"""With rate limits on, a parent's token is looked up on the counting trip: same answers."""

from __future__ import annotations

from tests.support.api import City, api_client, apply, bearer


def test_a_counted_parent_is_known_by_their_token_and_a_wrong_or_replaced_one_is_401(
    city: City,
) -> None:
    limited = api_client(city, rate_limit_ip_per_minute=100, rate_limit_token_per_minute=100)
    application_id, token = apply(limited)
    mine = limited.get("/api/v1/applications/me", headers=bearer(token))
    assert mine.status_code == 200
    assert mine.json()["application"]["id"] == application_id
    wrong = limited.get("/api/v1/applications/me", headers=bearer("wl_" + "x" * 43))
    assert wrong.status_code == 401
    replaced = limited.post("/api/v1/applications/me/token", headers=bearer(token))
    assert replaced.status_code == 200
    assert limited.get("/api/v1/applications/me", headers=bearer(token)).status_code == 401
    new = replaced.json()["status_token"]
    assert limited.get("/api/v1/applications/me", headers=bearer(new)).status_code == 200
