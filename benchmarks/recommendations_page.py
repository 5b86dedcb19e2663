"""The coordinator's recommendations page: how long it takes to answer while the plan is
computed in the background, and afterwards. A real uvicorn (one worker, background jobs on)
on a copy of the demo city (SQLite), a coordinator logged in through the pages.

    python benchmarks/recommendations_page.py [--visits-after 30] [--pause 0.25]

First visit (queues the job), then a visit every `--pause` seconds while the job runs (each
shows its progress), then `--visits-after` visits once the plan is kept; after one change
(a parent applies) the next visits show the kept plan marked stale while it is computed
again. /health is asked alongside every visit. Target: every visit under 500 ms. Printed per
kind of visit: n, median, p95, p99 and max; for the visits with the kept plan also the
server's own CPU milliseconds per visit (the solving child's not counted).
The demo database is seeded afresh for each run (`waitlist init` + `waitlist seed --demo`).
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from harness import ROOT, demo_database, free_port
from login_storm import cpu_seconds

STATE = re.compile(r'id="recommendations" data-state="(\w+)"')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def start_server(
    database_url: str, log: Path, *, rate_limits: bool = False
) -> tuple[subprocess.Popen, str]:
    """`rate_limits`: the parents' limits as shipped (off by default: one client asks often)."""
    port = free_port()
    off = {"WAITLIST_RATE_LIMIT_IP_PER_MINUTE": "0", "WAITLIST_RATE_LIMIT_TOKEN_PER_MINUTE": "0"}
    env = {
        **os.environ,
        "WAITLIST_DATABASE_URL": database_url,
        **({} if rate_limits else off),
        "WAITLIST_COOKIE_SECURE": "false",
        "WAITLIST_SECRET_KEY": secrets.token_urlsafe(48),
    }
    command = [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=-2)
    url = f"http://127.0.0.1:{port}"
    while True:  # wait for the state, however long a loaded machine takes
        if server.poll() is not None:
            raise SystemExit(f"the server exited; see {log}")
        try:
            if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                return server, url
        except httpx.HTTPError:
            time.sleep(0.2)


def demo_server(prefix: str, *, rate_limits: bool = False) -> tuple[subprocess.Popen, str]:
    """A server on a freshly seeded demo city, in a temporary folder whose name starts with
    `prefix`."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    url = demo_copy(work / "demo.db")
    return start_server(url, work / "server.log", rate_limits=rate_limits)


def demo_copy(target: Path) -> str:
    """A freshly seeded demo city at `target` (benchmarks.harness); its SQLAlchemy URL."""
    return demo_database(target)


def log_in(client: httpx.Client) -> None:
    form = client.get("/coordinator/login").text
    token = CSRF.search(form)
    assert token, "no CSRF token on the log-in page"
    answer = client.post(
        "/coordinator/login",
        data={
            "csrf_token": token.group(1),
            "username": "coordinator-farsta",
            "password": "demo-password",
        },  # fmt: skip
    )
    assert answer.status_code in (200, 303) and "/coordinator/login" not in str(answer.url)


def visit(client: httpx.Client) -> tuple[float, str, float]:
    started = time.perf_counter()
    page = client.get("/coordinator/recommendations")
    took = time.perf_counter() - started
    assert page.status_code == 200, page.status_code
    found = STATE.search(page.text)
    state = found.group(1) if found else "?"
    started = time.perf_counter()
    client.get("/health")
    return took * 1000, state, (time.perf_counter() - started) * 1000


def follow(client: httpx.Client, pause: float, label: str) -> tuple[list[float], list[float]]:
    """Visit until the page shows the current plan; the times of the visits before that."""
    pages: list[float] = []
    health: list[float] = []
    started = time.perf_counter()
    while True:
        ms, state, health_ms = visit(client)
        pages.append(ms)
        health.append(health_ms)
        if state == "current":
            print(f"{label}: plan shown after {time.perf_counter() - started:.1f} s")
            return pages, health
        time.sleep(pause)


def row(label: str, values: list[float]) -> None:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    p99 = values[min(len(values) - 1, int(0.99 * len(values)))]
    print(
        f"{label:<34} {len(values):>5} {statistics.median(values):>9.1f} {p95:>9.1f}"
        f" {p99:>9.1f} {values[-1]:>9.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visits-after", type=int, default=30)
    parser.add_argument("--pause", type=float, default=0.25)
    args = parser.parse_args()
    server, base = demo_server("recommendations-page-")
    try:
        with httpx.Client(base_url=base, timeout=120, follow_redirects=True) as client:
            log_in(client)
            first_ms, first_state, _ = visit(client)
            print(f"first visit: {first_ms:.1f} ms ({first_state})")
            during, health = follow(client, args.pause, "first plan")
            cpu_before = cpu_seconds(server.pid)
            after = [visit(client)[0] for _ in range(args.visits_after)]
            cpu_after = cpu_seconds(server.pid) - cpu_before
            applied = client.get("/apply/abc?district=farsta")  # a parent applies: a change
            token = CSRF.search(applied.text)
            assert token
            form = {"csrf_token": token.group(1), "district": "farsta", "languages": "sv",
                    "child_birth": "2019-05", "cross_district": "no"}  # fmt: skip
            client.post("/apply/abc", data=form)
            stale, stale_health = follow(client, args.pause, "plan after a change")
        print(f"\nload average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; times in ms")
        print(f"{'':<34} {'n':>5} {'median':>9} {'p95':>9} {'p99':>9} {'max':>9}")
        row("page while computing", during)
        row("page with the kept plan", after)
        row("page after a change (stale shown)", stale)
        row("/health alongside", health + stale_health)
        print(
            f"server CPU per visit with the kept plan (and its /health): "
            f"{1000 * cpu_after / max(1, len(after)):.1f} ms"
        )
        worst = max([first_ms, *during, *after, *stale])
        print(f"slowest page: {worst:.1f} ms ({'under' if worst < 500 else 'OVER'} 500 ms)")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
