"""The management charts' words and numbers follow the reader's language."""

from __future__ import annotations

from api.web import i18n
from api.web.management_wording import chart_labels, number_formatter


def test_every_chart_label_is_swedish_for_a_swedish_reader():
    sv = chart_labels(i18n.gettext_for("sv"), "sv", 8)
    en = chart_labels(i18n.gettext_for("en"), "en", 8)
    assert sv.keys() == en.keys()
    same = {k for k in sv if sv[k] == en[k]}
    assert same == {"median"}  # "Median" is the same word in both languages
    assert sv["target"] == "Mål 8 veckor" and en["target"] == "Target 8 weeks"


def test_numbers_take_a_decimal_comma_in_swedish_and_a_point_in_english():
    assert number_formatter("sv")(1234.5) == "1\u00a0234,5"
    assert number_formatter("en")(1234.5) == "1,234.5"
    assert number_formatter("sv")(19.0) == "19"
    assert number_formatter("en")(2.4444, 2) == "2.44"
