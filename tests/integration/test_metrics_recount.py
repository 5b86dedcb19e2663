"""Every figure a quarter's report publishes equals a second, plain recount from the raw audit
events (tests/support/metrics_recount.py), on a generated city in which parents accept a
seat, see the group cancelled, and accept again in a later quarter; and no shown count stands
for fewer than 5 people."""

from __future__ import annotations

from datetime import date

import pytest

from tests.support.metrics_recount import compare, published, read_history, recount
from waitlist.config import Settings
from waitlist.demo import seed_demo
from waitlist.metrics.load import load_inputs
from waitlist.metrics.periods import parse_period
from waitlist.services.setup import load_reference_data
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.uow import UnitOfWork

# Seeding half a year of a city through the services takes minutes on a loaded machine.
pytestmark = pytest.mark.slow

QUARTERS = [parse_period(q) for q in ("2026-Q1", "2026-Q2", "2026-Q3")]


def _city(database_url: str):  # noqa: ANN202
    engine = make_engine(database_url)
    create_schema(engine)
    load_reference_data(UnitOfWork(engine))
    seed_demo(engine, Settings(), seed=11, as_of=date(2026, 8, 3), weeks=24)
    return engine


def _reaccepted_in_a_later_quarter(apps, groups) -> int:  # noqa: ANN001
    """Parents whose accepted group was cancelled and who accepted again a later quarter."""
    count = 0
    for a in apps.values():
        quarters = [(day.year, (day.month - 1) // 3) for day, _ in a.accepted]
        if a.returns and len(set(quarters)) > 1:
            count += 1
    return count


def test_every_published_figure_equals_a_recount_from_the_raw_events(database_url):  # noqa: ANN001
    engine = _city(database_url)
    apps, groups = read_history(engine)
    # The city holds the cases the figures once got wrong.
    assert _reaccepted_in_a_later_quarter(apps, groups) > 0
    cancelled_after_acceptance = {gid for a in apps.values() for _, gid in a.accepted} & {
        gid for gid, g in groups.items() if not g.ran and g.start <= date(2026, 9, 30)
    }
    assert cancelled_after_acceptance

    inputs = load_inputs(engine)
    for k in (1, 5):  # everything shown, then small cells suppressed as published
        for report in published(inputs, QUARTERS, k):
            truth = recount(apps, groups, report.period.start, report.period.end)
            result = compare(report, truth, k)
            assert result.compared > 1_000
            assert result.differences == [], (report.period.label, k)
            assert result.small_shown == [], (report.period.label, k)
