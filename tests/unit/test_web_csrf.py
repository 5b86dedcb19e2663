"""CSRF tokens: random, signed with the app's key for one session, refused when forged,
tampered with, or made for another session."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.web import csrf

KEY = "a-test-key-long-enough-for-hmac-sha256-signing"
SESSION = "session:0123456789abcdef"


def test_fresh_tokens_are_signed_and_never_repeat():
    tokens = {csrf.new_token(KEY, SESSION) for _ in range(200)}
    assert len(tokens) == 200
    assert all(csrf.is_well_signed(t, [KEY], SESSION) for t in tokens)


def test_a_token_with_a_changed_nonce_or_signature_is_refused():
    nonce, signature = csrf.new_token(KEY, SESSION).rsplit(".", 1)
    assert not csrf.is_well_signed(f"{nonce}x.{signature}", [KEY], SESSION)
    changed = "1" if signature.endswith("0") else "0"  # a different last character, always
    assert not csrf.is_well_signed(f"{nonce}.{signature[:-1]}{changed}", [KEY], SESSION)
    assert not csrf.is_well_signed(nonce, [KEY], SESSION)
    assert not csrf.is_well_signed("", [KEY], SESSION)
    assert not csrf.is_well_signed(None, [KEY], SESSION)


@given(st.text(min_size=1, max_size=80))
def test_a_token_made_for_one_session_is_refused_in_any_other(other):
    token = csrf.new_token(KEY, SESSION)
    assert csrf.is_well_signed(token, [KEY], SESSION)
    if other != SESSION:
        assert not csrf.is_well_signed(token, [KEY], other)


@given(st.text(max_size=300))
def test_no_made_up_string_passes_as_a_token(text):
    assert not csrf.is_well_signed(text, [KEY], SESSION)
