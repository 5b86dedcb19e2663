"""A contact shown on the parent's page is masked: the first letter and the domain of an
e-mail address, the last four digits of a phone number, never more."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waitlist.services.link_notice import mask_contact


@pytest.mark.parametrize(
    ("contact", "masked"),
    [
        ("anna.svensson@example.se", "a***@example.se"),
        ("a@example.se", "a***@example.se"),
        ("070-123 45 67", "******4567"),
        ("+46 70 123 45 67", "******4567"),
    ],
)
def test_a_contact_is_masked(contact: str, masked: str) -> None:
    assert mask_contact(contact) == masked


@given(st.text("0123456789 -", min_size=6, max_size=20))
def test_a_phone_number_never_shows_more_than_four_digits(phone: str) -> None:
    masked = mask_contact(phone)
    assert sum(c.isdigit() for c in masked) <= 4
    assert masked.startswith("******")


@given(st.from_regex(r"[a-z.]{2,20}", fullmatch=True), st.sampled_from(["example.se", "x.org"]))
def test_an_e_mail_address_keeps_only_its_first_letter_before_the_at(local: str, domain: str):
    masked = mask_contact(f"{local}@{domain}")
    assert masked == f"{local[0]}***@{domain}"
