"""District names sort the way a Swedish reader expects: å, ä, ö after z."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from waitlist.domain.collation import swedish_key

STOCKHOLM = [
    "Bromma",
    "Enskede-Årsta-Vantör",
    "Farsta",
    "Hägersten-Liljeholmen",
    "Hässelby-Vällingby",
    "Kungsholmen",
    "Norrmalm",
    "Rinkeby-Kista",
    "Skarpnäck",
    "Skärholmen",
    "Spånga-Tensta",
    "Södermalm",
    "Älvsjö",
    "Östermalm",
]


def test_the_districts_of_stockholm_sort_in_swedish_order():
    shuffled = sorted(STOCKHOLM, key=lambda n: n[::-1])
    assert sorted(shuffled, key=swedish_key) == STOCKHOLM


def test_a_ring_a_umlaut_and_o_umlaut_come_after_z_in_that_order():
    assert sorted(["Ö", "Ä", "Å", "Z", "A"], key=swedish_key) == ["A", "Z", "Å", "Ä", "Ö"]
    assert sorted(["Ebba", "Édith", "Eva"], key=swedish_key) == ["Ebba", "Édith", "Eva"]


@given(st.lists(st.text(max_size=8), max_size=12))
def test_the_order_is_total_and_does_not_depend_on_the_input_order(names):
    assert sorted(names, key=swedish_key) == sorted(reversed(names), key=swedish_key)
