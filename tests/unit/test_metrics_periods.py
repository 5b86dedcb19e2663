"""Period labels and their days."""

from __future__ import annotations

from datetime import date

import pytest

from waitlist.domain.errors import InvalidInput
from waitlist.metrics.periods import last_closed, parse_period


def test_a_quarter_label_covers_its_three_months():
    q = parse_period("2026-Q1")
    assert (q.start, q.end, q.kind) == (date(2026, 1, 1), date(2026, 3, 31), "quarter")


def test_an_iso_week_runs_monday_to_sunday():
    w = parse_period("2026-W01")
    assert (w.start, w.end) == (date(2025, 12, 29), date(2026, 1, 4))


@pytest.mark.parametrize("label", ["2026-Q5", "2026-13", "Q1-2026", "", "2026-W54"])
def test_a_malformed_period_names_the_field(label):
    with pytest.raises(InvalidInput) as err:
        parse_period(label)
    assert err.value.field == "period"


def test_the_last_closed_quarter_is_the_one_before_today():
    assert last_closed("quarter", date(2026, 11, 25)).label == "2026-Q3"
    assert last_closed("quarter", date(2026, 10, 1)).label == "2026-Q3"
    assert last_closed("quarter", date(2026, 9, 30)).label == "2026-Q2"
