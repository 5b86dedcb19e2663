"""Management metrics: a report for a quarter, from the database, at city scale.

    python benchmarks/metrics.py [--small 40000] [--large 1000000] [--skip-large]

A synthetic year for the whole city (14 districts x 11 programmes, waits that differ by
district, declines, expiries, cross-district placements, groups) is written to a fresh
database: SQLite for the 40,000-application year, PostgreSQL for the 1,000,000-application one
(WAITLIST_TEST_POSTGRES, or a server started with scripts/postgres.sh; without one the large
run uses SQLite and says so). Timed: reading the records (`load_inputs`) plus computing,
suppressing and publishing one quarter (`build_reports`). Targets: < 1 s for any quarter of
the 40,000-application year, < 10 s at 1,000,000 on PostgreSQL.

Baseline, run in the same process on the same records: the naive way, scanning every record
once per district x programme cell (and per margin) and sorting each cell's waits.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from waitlist.domain.stats import median, p90
from waitlist.metrics.load import load_inputs
from waitlist.metrics.measures import ALL
from waitlist.metrics.periods import Period, quarter
from waitlist.metrics.records import ApplicationHistory, GroupRecord
from waitlist.metrics.report import build_reports
from waitlist.metrics.synthetic import city
from waitlist.reference import load_reference
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.tables import Application, Event, Group, Offer

ROOT = Path(__file__).resolve().parents[1]

YEAR = 2026
QUARTERS = [quarter(YEAR, q) for q in range(1, 5)]


def naive_report(apps: Sequence[ApplicationHistory], period: Period) -> dict[Any, Any]:
    """The obvious way: for every cell, scan everything again."""
    ds = sorted({a.home_district for a in apps}) + [ALL]
    ps = sorted({a.programme for a in apps}) + [ALL]
    out = {}
    for d in ds:
        for p in ps:
            mine = [
                a
                for a in apps
                if (d == ALL or a.home_district == d) and (p == ALL or a.programme == p)
            ]
            offers = sorted(
                (a.first_offer_on - a.queue_date).days
                for a in mine
                if a.first_offer_on and period.start <= a.first_offer_on <= period.end
            )
            ages = sorted((period.end - a.queue_date).days for a in mine if a.open_at(period.end))
            new = sum(1 for a in mine if period.start <= a.queue_date <= period.end)
            out[d, p] = (new, len(ages), median(offers), p90(offers), median(ages), p90(ages))
    return out


CPU: dict[str, float] = {}  # processor seconds of the last timed call (the machine may be shared)


def timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Best wall-clock seconds of `repeat` runs (and their processor time in CPU["last"])."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = time.perf_counter() - start
        if wall < best:
            best, CPU["last"] = wall, time.process_time() - cpu
    return best, result


# -- writing a synthetic year into the database ---------------------------------------------


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def _rows(
    apps: Sequence[ApplicationHistory], groups: Sequence[GroupRecord]
) -> dict[str, list[dict[str, Any]]]:
    now = datetime(YEAR + 1, 1, 2, tzinfo=UTC)
    group_rows, by_cell = [], {}
    for gid, g in enumerate(groups, start=1):
        group_rows.append(
            {"id": gid, "programme": g.programme, "district": g.district, "start": g.start_on,
             "weekday": "tue", "slot": "evening", "language": "sv", "capacity": g.capacity,
             "min_size": 1, "taken": min(g.enrolled, g.capacity), "status": g.status,
             "created_at": now, "updated_at": now}
        )  # fmt: skip
        by_cell.setdefault((g.district, g.programme), gid)
    app_rows, offer_rows, event_rows = [], [], []

    def offer(app_id: int, gid: int, status: str, made: date, answered: date | None,
              reason: str | None = None) -> None:  # fmt: skip
        offer_rows.append(
            {"id": len(offer_rows) + 1, "application_id": app_id, "group_id": gid,
             "status": status, "made_at": _at(made),
             "respond_by": made + timedelta(days=10),
             "answered_at": _at(answered) if answered else None,
             "decline_reason": reason, "cross_district": False, "travel_minutes": 0,
             "reason": "", "round_id": None, "actor": "system", "reminded_at": None}
        )  # fmt: skip

    for app_id, a in enumerate(apps, start=1):
        app_rows.append(
            {"id": app_id, "programme": a.programme, "district": a.home_district,
             "cross_district": False, "max_travel_minutes": 0, "child_birth": None,
             "languages": "[]", "slots": "[]", "queue_date": a.queue_date, "lottery": app_id,
             "lottery_seed_id": None, "status": a.status, "group_id": None, "paused": False,
             "expired_in_a_row": 0, "contact": None, "token_hash": None, "created_at": now,
             "updated_at": now, "erased_at": None}
        )  # fmt: skip
        home = by_cell[a.home_district, a.programme]
        host = by_cell.get((a.host_district or a.home_district, a.programme), home)
        made = a.first_offer_on
        for d in a.declines:
            offer(app_id, home, "declined", made or d.on, d.on, d.reason)
        for day in a.expiries:
            offer(app_id, home, "expired", made or day, day)
        if a.placed_on:
            offer(app_id, host, "accepted", made or a.placed_on, a.placed_on)
        elif a.status == "offered" and made:
            offer(app_id, home, "pending", made, None)
        if a.withdrawn_on:
            event_rows.append(
                {"id": len(event_rows) + 1,
                 "at": _at(a.withdrawn_on), "actor": "bench",
                 "entity": "application", "entity_id": str(app_id), "action": "withdrawn",
                 "before": None, "after": None, "district": a.home_district,
                 "programme": a.programme}
            )  # fmt: skip
    return {
        Group.__tablename__: group_rows,
        Application.__tablename__: app_rows,
        Offer.__tablename__: offer_rows,
        Event.__tablename__: event_rows,
    }


def write(
    engine: sa.Engine, apps: Sequence[ApplicationHistory], groups: Sequence[GroupRecord]
) -> None:
    from waitlist.services import setup
    from waitlist.storage.uow import UnitOfWork

    create_schema(engine)
    setup.load_reference_data(UnitOfWork(engine))
    rows = _rows(apps, groups)
    tables = {
        t.name: t
        for t in (Group.__table__, Application.__table__, Offer.__table__, Event.__table__)
    }  # type: ignore[attr-defined]
    for name, batch in rows.items():
        if not batch:
            continue
        if engine.dialect.name == "postgresql":
            _copy(engine, name, batch)
        else:
            with engine.begin() as conn:
                for i in range(0, len(batch), 20_000):
                    conn.execute(tables[name].insert(), batch[i : i + 20_000])


def _copy(engine: sa.Engine, name: str, batch: list[dict[str, Any]]) -> None:
    columns = list(batch[0])
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cur:  # type: ignore[attr-defined]
            quoted = ", ".join(f'"{c}"' for c in columns)
            with cur.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
                for row in batch:
                    copy.write_row([row[c] for c in columns])
        raw.commit()
    finally:
        raw.close()


# -- databases ---------------------------------------------------------------------------------


def postgres_admin() -> str | None:
    url = os.environ.get("WAITLIST_TEST_POSTGRES")
    if url:
        return url
    try:
        out = subprocess.run(
            ["bash", str(ROOT / "scripts" / "postgres.sh")],
            capture_output=True, text=True, timeout=180, check=True,
        )  # fmt: skip
    except (subprocess.SubprocessError, OSError):
        return None
    return out.stdout.strip() or None


def fresh_postgres(admin: str) -> str:
    name = f"bench_metrics_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{admin.rsplit('/', 1)[0]}/{name}"


def drop_postgres(admin: str, url: str) -> None:
    name = url.rsplit("/", 1)[1]
    engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


# -- the runs ----------------------------------------------------------------------------------


def report_from_db(url: str, period: Period) -> float:
    engine = make_engine(url)
    try:
        seconds, _ = timed(
            lambda: (
                lambda inp: build_reports(
                    inp.applications, inp.groups, [period],
                    districts=inp.districts, programmes=inp.programmes,
                )
            )(load_inputs(engine))
        )  # fmt: skip
    finally:
        engine.dispose()
    return seconds


def row(name: str, label: str, ours: float, cpu: float, naive: float | None, target: str) -> None:
    """One line of the table, printed as soon as it is measured."""
    ratio = f"{naive / ours:10.1f}" if naive else f"{'-':>10}"
    naive_s = f"{naive:9.2f}" if naive else f"{'-':>9}"
    print(f"{name:<22} {label:<8} {ours:9.3f} {cpu:7.3f} {naive_s} {ratio}  {target}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=40_000)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--skip-naive-large", action="store_true", help="(it takes minutes)")
    args = parser.parse_args()
    ref = load_reference()
    ds = [d.district.slug for d in ref.districts]
    ps = [p.slug for p in ref.programmes]
    head = f"{'records':<22} {'period':<8} {'report s':>9} {'cpu s':>7} {'naive s':>9}"
    print(f"{head} {'naive/ours':>10}  target   (cpu s: this process's processor time)")

    apps, groups = city(args.small, districts=ds, programmes=ps, start=date(YEAR, 1, 1))
    for q in QUARTERS:
        ours, _ = timed(
            lambda q=q: build_reports(apps, groups, [q], districts=ds, programmes=ps), repeat=3
        )
        cpu = CPU["last"]
        naive, _ = timed(lambda q=q: naive_report(apps, q))
        row(f"{args.small:,} in memory", q.label, ours, cpu, naive, "< 1 s")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        write(make_engine(url), apps, groups)
        for q in QUARTERS:
            seconds = report_from_db(url, q)
            row(f"{args.small:,} SQLite", q.label, seconds, CPU["last"], None, "< 1 s")
    if args.skip_large:
        return

    big_apps, big_groups = city(args.large, districts=ds, programmes=ps, start=date(YEAR, 1, 1))
    q = QUARTERS[2]
    ours, _ = timed(lambda: build_reports(big_apps, big_groups, [q], districts=ds, programmes=ps))
    cpu = CPU["last"]
    naive = None if args.skip_naive_large else timed(lambda: naive_report(big_apps, q))[0]
    row(f"{args.large:,} in memory", q.label, ours, cpu, naive, "")
    admin = postgres_admin()
    if admin is None:
        print("PostgreSQL not available (set WAITLIST_TEST_POSTGRES): the large run uses SQLite")
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            write(make_engine(url), big_apps, big_groups)
            seconds = report_from_db(url, q)
            row(f"{args.large:,} SQLite", q.label, seconds, CPU["last"], None, "(< 10 s on PG)")
        return
    url = fresh_postgres(admin)
    try:
        write(make_engine(url), big_apps, big_groups)
        seconds = report_from_db(url, q)
        row(f"{args.large:,} PostgreSQL", q.label, seconds, CPU["last"], None, "< 10 s")
    finally:
        drop_postgres(admin, url)


if __name__ == "__main__":
    main()
