"""CSRF tokens: random, signed with the app's key, refused when forged or tampered with."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from api.web import csrf


def test_fresh_tokens_are_signed_and_never_repeat():
    tokens = {csrf.new_token() for _ in range(200)}
    assert len(tokens) == 200
    assert all(csrf.is_well_signed(t) for t in tokens)


def test_a_token_with_a_changed_nonce_or_signature_is_refused():
    nonce, signature = csrf.new_token().rsplit(".", 1)
    assert not csrf.is_well_signed(f"{nonce}x.{signature}")
    assert not csrf.is_well_signed(f"{nonce}.{signature[:-1]}0")
    assert not csrf.is_well_signed(nonce)
    assert not csrf.is_well_signed("")
    assert not csrf.is_well_signed(None)


@given(st.text(max_size=300))
def test_no_made_up_string_passes_as_a_token(text):
    assert not csrf.is_well_signed(text)
