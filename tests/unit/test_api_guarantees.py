"""Pure pieces of the HTTP layer: sealed idempotent responses, staff tokens, error mapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.idempotency import seal, unseal
from api.problems import status_for
from api.security import issue_access_token, looks_like_parent_token, read_access_token
from waitlist.domain import errors

SECRET = "a-test-secret-that-is-long-enough-for-hmac-sha256"


@given(key=st.text(min_size=1, max_size=40), body=st.binary(max_size=500))
def test_a_sealed_response_opens_with_its_key_and_hides_its_text(key: str, body: bytes) -> None:
    sealed = seal(SECRET, key, body)
    assert unseal(SECRET, key, sealed) == body
    if len(body) >= 16:
        assert body not in sealed


def test_a_sealed_response_does_not_open_with_another_key_or_when_tampered() -> None:
    sealed = seal(SECRET, "key-1", b'{"status_token": "wl_secret"}')
    with pytest.raises(ValueError):
        unseal(SECRET, "key-2", sealed)
    tampered = sealed[:-1] + bytes([sealed[-1] ^ 1])
    with pytest.raises(ValueError):
        unseal(SECRET, "key-1", tampered)


def test_a_staff_token_carries_role_district_and_version_and_expires() -> None:
    token, _ = issue_access_token(
        secret=SECRET, staff_id=7, role="coordinator", district="farsta", minutes=15, version=3
    )
    claims = read_access_token(token, keys=[SECRET])
    assert claims is not None
    principal, version = claims
    assert (principal.kind, principal.role, principal.district, principal.staff_id) == (
        "staff",
        "coordinator",
        "farsta",
        7,
    )
    assert version == 3
    assert read_access_token(token, keys=[SECRET + "x"]) is None
    expired, _ = issue_access_token(
        secret=SECRET, staff_id=7, role="coordinator", district="farsta", minutes=-1, version=0
    )
    assert read_access_token(expired, keys=[SECRET]) is None


def test_a_previous_key_verifies_only_when_it_is_among_the_keys() -> None:
    token, _ = issue_access_token(
        secret=SECRET, staff_id=7, role="management", district=None, minutes=15, version=0
    )
    assert read_access_token(token, keys=["another-key-" * 4, SECRET]) is not None
    assert read_access_token(token, keys=["another-key-" * 4]) is None


def test_parent_tokens_and_staff_tokens_are_told_apart() -> None:
    token, _ = issue_access_token(
        secret=SECRET, staff_id=1, role="management", district=None, minutes=1, version=0
    )
    assert not looks_like_parent_token(token)
    assert looks_like_parent_token("wl_" + "A" * 43)
    assert not looks_like_parent_token("x" * 500)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.NotFound, 404),
        (errors.Forbidden, 403),
        (errors.Conflict, 409),
        (errors.StalePreview, 409),
        (errors.NoSeatLeft, 409),
        (errors.IllegalTransition, 409),
        (errors.NotEligible, 422),
        (errors.InvalidInput, 422),
        (errors.DomainError, 422),
    ],
)
def test_each_domain_error_has_one_http_status(
    error: type[errors.DomainError], status: int
) -> None:
    assert status_for(error("x")) == status
