"""Rate-limit counters: every bucket of a request counted at once, in the database."""

from __future__ import annotations

import pytest

from api import ratelimit
from api.problems import ProblemError
from waitlist.storage.db import create_schema, make_engine

NOW = 1_800_000_030.0  # 30 s into a one-minute window


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    create_schema(engine)
    yield engine
    engine.dispose()


def test_each_bucket_counts_on_its_own_and_the_first_one_over_its_limit_answers_429(engine):
    limits = {"ip:10.0.0.1": ratelimit.Limit(3, 60), "tok:abc": ratelimit.Limit(2, 60)}
    ratelimit.check(engine, limits, now=NOW)
    ratelimit.check(engine, limits, now=NOW + 1)
    with pytest.raises(ProblemError) as refused:
        ratelimit.check(engine, limits, now=NOW + 2)  # the token's third request
    assert refused.value.status == 429
    assert refused.value.headers == {"Retry-After": "28"}
    ratelimit.check(engine, {"ip:10.0.0.2": ratelimit.Limit(3, 60)}, now=NOW + 3)  # another IP
    with pytest.raises(ProblemError):
        ratelimit.check(engine, {"ip:10.0.0.1": ratelimit.Limit(3, 60)}, now=NOW + 4)  # 4th
    ratelimit.check(engine, limits, now=NOW + 31)  # a new window: counting starts again


def test_a_limit_of_zero_is_switched_off_and_counts_nothing(engine):
    for _ in range(5):
        ratelimit.check(engine, {"ip:10.0.0.1": ratelimit.Limit(0, 60)}, now=NOW)
    assert ratelimit.purge_old(engine, older_than_seconds=0, now=NOW + 3600) == 0
