"""The term-planning page on the demo city: how much the pages cost while the plan is worked
out in the background, and what the worker spends on it. In-process (the app under a test
client, SQLite, background jobs off), management logged in through the pages.

    python benchmarks/term_plan_page.py [--database demo.db] [--visits 10]

Asks for next term's plan (30 Komet, 12 ABC, 10 ICDP groups), opens its page and its progress
(the job queued), runs the worker in this process (what a server's job child does), then opens
the kept plan `--visits` times and asks the same again (the same plan, nothing to work out).
CPU milliseconds of each request (this process only), wall-clock beside them, the load
average from `uptime`. Target: every page under 500 ms; the plan's CPU goes to the worker.
Without `--database` the demo city is seeded afresh (`waitlist init` + `waitlist seed --demo`);
with it, a copy of that file is used.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

from harness import ROOT, demo_database

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
BUDGET = {"budget-komet": "30", "budget-abc": "12", "budget-icdp": "10", "term_weeks": "20"}


def timed(label: str, call, rows: list[tuple[str, float, float]]):  # noqa: ANN001, ANN201
    cpu, wall = time.process_time(), time.perf_counter()
    answer = call()
    rows.append((label, (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000))
    return answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", type=Path, help="a seeded demo database to copy")
    parser.add_argument("--visits", type=int, default=10)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="term-plan-bench-"))
    try:
        if args.database:
            shutil.copy(args.database, work / "demo.db")
            url = f"sqlite:///{work / 'demo.db'}"
        else:
            url = demo_database(work / "demo.db")
        run(url, args.visits)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(url: str, visits: int) -> None:
    # This folder holds a benchmark named api.py: the product's package comes first.
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != here)]
    from fastapi.testclient import TestClient

    from api.main import create_app
    from waitlist.config import Settings
    from waitlist.services import term_plan_jobs
    from waitlist.storage.db import make_engine

    settings = Settings(
        database_url=url,
        secret_key=secrets.token_urlsafe(48),
        jobs_interval_seconds=0,
        rate_limit_ip_per_minute=0,
        rate_limit_token_per_minute=0,
    )  # type: ignore[call-arg]
    engine = make_engine(url)
    client = TestClient(create_app(settings, engine), base_url="https://testserver")
    client.cookies.set("lang", "en")
    token = CSRF.search(client.get("/management/login").text).group(1)
    data = {"csrf_token": token, "username": "management", "password": "demo-password"}
    assert client.post("/management/login", data=data).status_code in (200, 303)
    client.get("/management/term-plan")  # warm: templates, catalogues

    rows: list[tuple[str, float, float]] = []
    form = timed("form", lambda: client.get("/management/term-plan"), rows)
    token = CSRF.search(form.text).group(1)
    post = {"csrf_token": token, **BUDGET}
    asked = timed(
        "ask (queues the job)",
        lambda: client.post("/management/term-plan", data=post, follow_redirects=False),
        rows,
    )
    page = asked.headers["location"]
    waiting = timed("plan page, queued", lambda: client.get(page), rows)
    assert "Waiting for a free worker" in waiting.text, waiting.text[:500]
    timed("progress (JSON)", lambda: client.get(page + "/progress"), rows)

    cpu, wall = time.process_time(), time.perf_counter()
    term_plan_jobs.run_next(engine, "benchmark")
    worker = (time.process_time() - cpu, time.perf_counter() - wall)

    for i in range(visits):
        done = timed(f"plan page, kept ({i + 1})", lambda: client.get(page), rows)
        assert "Effect per district" in done.text
    again = timed(
        "ask again (kept)",
        lambda: client.post("/management/term-plan", data=post, follow_redirects=False),
        rows,
    )
    assert again.headers["location"] == page

    print(f"load average: {os.getloadavg()[0]:.1f} {os.getloadavg()[1]:.1f}")
    print(f"worker: {worker[0]:.1f} s CPU, {worker[1]:.1f} s wall (the plan, off the pages)")
    print(f"{'request':<28} {'CPU ms':>8} {'wall ms':>8}")
    for label, cpu_ms, wall_ms in rows:
        print(f"{label:<28} {cpu_ms:>8.1f} {wall_ms:>8.1f}")
    kept = [w for label, _c, w in rows if label.startswith("plan page, kept")]
    print(f"slowest page: {max(w for _l, _c, w in rows):.0f} ms wall; kept plan median "
          f"{sorted(kept)[len(kept) // 2]:.0f} ms")  # fmt: skip
    engine.dispose()


if __name__ == "__main__":
    main()
