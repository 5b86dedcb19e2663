"""Rate-limit counters: every bucket of a request counted at once, in the database."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from sqlalchemy import text

from api import ratelimit
from api.problems import ProblemError
from waitlist.storage.db import counters, create_schema, make_engine

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


def stored_count(engine, bucket: str) -> int:
    with counters(engine).connect() as conn:
        value = conn.execute(
            text("SELECT count FROM rate_limit_window WHERE bucket = :b"), {"b": bucket}
        ).scalar()
    return int(value or 0)


def test_a_refused_bucket_is_refused_again_in_its_window_without_writing_to_the_database(engine):
    limit = {"ip:10.0.0.9": ratelimit.Limit(2, 60)}
    ratelimit.check(engine, limit, now=NOW)
    ratelimit.check(engine, limit, now=NOW + 1)
    with pytest.raises(ProblemError):
        ratelimit.check(engine, limit, now=NOW + 2)
    assert stored_count(engine, "ip:10.0.0.9") == 3
    for second in range(3, 20):  # a flood from one address
        with pytest.raises(ProblemError) as refused:
            ratelimit.check(engine, limit, now=NOW + second)
        assert refused.value.headers == {"Retry-After": str(30 - second)}
    assert stored_count(engine, "ip:10.0.0.9") == 3  # remembered, not counted row by row
    ratelimit.check(engine, limit, now=NOW + 30)  # the next window lets it through again
    ratelimit.check(engine, {"ip:10.0.0.9": ratelimit.Limit(100, 60)}, now=NOW + 31)


def test_a_second_worker_that_has_not_seen_the_refusal_gets_it_from_the_database(database_url):
    first, second = make_engine(database_url), make_engine(database_url)  # two processes' pools
    try:
        create_schema(first)
        limit = {"tok:shared": ratelimit.Limit(3, 60)}
        for moment in (NOW, NOW + 1, NOW + 2):
            ratelimit.check(first if moment % 2 else second, limit, now=moment)
        with pytest.raises(ProblemError):
            ratelimit.check(first, limit, now=NOW + 3)
        with pytest.raises(ProblemError):  # counted in the shared row: over for every worker
            ratelimit.check(second, limit, now=NOW + 4)
    finally:
        first.dispose()
        second.dispose()


def test_the_memory_of_refusals_stays_bounded_and_forgets_ended_windows_first(engine, monkeypatch):
    monkeypatch.setattr(ratelimit, "_MAX_REFUSALS", 3)
    limit = ratelimit.Limit(1, 60)
    for n, moment in enumerate((NOW, NOW, NOW + 60, NOW + 60, NOW + 60)):  # two windows
        bucket = {f"ip:10.0.1.{n}": limit}
        ratelimit.check(engine, bucket, now=moment)
        with pytest.raises(ProblemError):
            ratelimit.check(engine, bucket, now=moment)
    remembered = ratelimit._REFUSALS[engine]
    assert len(remembered) <= 3
    assert {bucket for bucket, _, _ in remembered} >= {"ip:10.0.1.3", "ip:10.0.1.4"}
    with pytest.raises(ProblemError):  # forgotten or not, the database still refuses it
        ratelimit.check(engine, {"ip:10.0.1.2": limit}, now=NOW + 61)


def test_on_a_sqlite_file_counting_never_waits_for_the_databases_writers(sqlite_url):
    """A page counts its request while another process holds the database's write lock (a
    solve writing its progress): the count is kept beside the database and goes through."""
    engine = make_engine(sqlite_url)
    try:
        create_schema(engine)
        holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until the count is done
        counted = threading.Event()

        def count() -> None:
            ratelimit.check(engine, {"tok:page": ratelimit.Limit(5, 60)}, now=NOW)
            counted.set()

        counter = threading.Thread(target=count, daemon=True)
        counter.start()
        try:  # far less than the 30 s a writer would wait for the lock before failing
            assert counted.wait(timeout=20)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
            counter.join()
        assert stored_count(engine, "tok:page") == 1
    finally:
        engine.dispose()
