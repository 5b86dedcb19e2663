"""Nothing stalls: while a group-start recommendation is solved and a login storm runs, do
`/health` and a parent's status page still answer at once?

    python benchmarks/stalls.py [--attackers 4] [--before 15] [--after 10]

A real uvicorn (one worker, background jobs on: the solve runs in its child process,
api.recommend_worker) on a copy of the demo city (SQLite, built once into .pytest_cache as
the browser tests do). A coordinator logs in and opens the recommendations page, which queues
the solve; at the same moment `--attackers` clients (a process of their own, as in
benchmarks/login_storm.py) guess the coordinator's password through the API and the log-in
form, /health is asked 10 times a second and 8 parents (who applied through the API) open
their status pages every 2 s, each from an address and a thread of their own. The server
runs with the parents' rate limits as shipped (each status page view is counted in the
database, as in production). Measured for `--before` seconds with neither (what the
machine's other work costs), from the queued job until the page shows the plan (the solve),
and `--after` seconds more under the storm alone.

Printed: p50, p99 and max of /health and of the status page during the solve, the solve's
wall-clock time, the server's and the solving child's CPU seconds, and the load average.
Target: p99 under 100 ms for both while the solve and the storm run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from login_storm import cpu_seconds, pct  # noqa: E402
from recommendations_page import STATE, demo_server, log_in  # noqa: E402

TARGET_P99_MS = 100.0
ACCOUNT = "coordinator-farsta"
PARENTS = 8


@dataclass
class Timings:
    """Answer times in ms, each with the moment it was asked (monotonic seconds)."""

    samples: list[tuple[float, float]] = field(default_factory=list)
    failures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def between(self, start: float, end: float) -> list[float]:
        with self.lock:
            return [ms for at, ms in self.samples if start <= at <= end]


def poll(
    base: str, path: str, every: float, stop: threading.Event, into: Timings, address: str
) -> None:
    transport = httpx.HTTPTransport(local_address=address)
    with httpx.Client(base_url=base, timeout=60, transport=transport) as client:
        while not stop.is_set():
            began = time.monotonic()
            try:
                ok = client.get(path).status_code == 200
            except httpx.HTTPError:
                ok = False
            took = time.monotonic() - began
            with into.lock:
                if ok:
                    into.samples.append((began, took * 1000))
                else:
                    into.failures += 1
            stop.wait(max(0.0, every - took))


def parent_status_path(base: str, address: str = "127.0.0.1") -> str:
    body = {
        "programme": "komet",
        "district": "farsta",
        "child_birth": f"{date.today().year - 6}-03",
        "languages": ["sv"],
        "slots": [],
        "cross_district": False,
    }
    with httpx.Client(transport=httpx.HTTPTransport(local_address=address)) as client:
        answer = client.post(f"{base}/api/v1/applications", json=body, timeout=60)
    assert answer.status_code == 201, answer.text
    return f"/status/{answer.json()['status_token']}"


def line(label: str, values: list[float], failures: int) -> bool:
    if not values:
        print(f"{label:<28} no answers ({failures} failed)")
        return False
    p99 = pct(values, 0.99)
    print(
        f"{label:<28} {len(values):>5} {statistics.median(values):>8.1f} {p99:>8.1f}"
        f" {max(values):>8.1f} {failures:>7}"
    )
    return p99 < TARGET_P99_MS and failures == 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--after", type=float, default=10.0, help="seconds of storm after")
    parser.add_argument("--before", type=float, default=15.0, help="seconds of quiet before")
    args = parser.parse_args()
    server, base = demo_server("stalls-", rate_limits=True)
    pid = server.pid
    health, status = Timings(), Timings()
    stop = threading.Event()
    try:
        coordinator = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
        log_in(coordinator)
        threads = [
            threading.Thread(target=poll, args=(base, "/health", 0.1, stop, health, "127.0.0.50"))
        ]
        for n in range(PARENTS):  # each from an address of their own, within the rate limits
            address = f"127.0.0.{60 + n}"
            path = parent_status_path(base, address)
            every = PARENTS / 4  # together 4 visits a second
            threads.append(
                threading.Thread(target=poll, args=(base, path, every, stop, status, address))
            )
        quiet_start = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(args.before)  # the machine's other work alone, for comparison
        storm = subprocess.Popen(
            [sys.executable, str(HERE / "login_storm.py"), "--guess", base, "--seconds",
             "3600", "--attackers", str(args.attackers), "--account", ACCOUNT],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        cpu_before, children_before = cpu_seconds(pid), cpu_seconds(pid, children=True)
        solve_start = time.monotonic()
        state = STATE.search(coordinator.get("/coordinator/recommendations").text)
        print(f"first visit: {state.group(1) if state else '?'}")
        while True:  # until the page shows the plan, however long a loaded machine takes
            time.sleep(1.0)
            state = STATE.search(coordinator.get("/coordinator/recommendations").text)
            if state and state.group(1) == "current":
                break
        solve_end = time.monotonic()
        time.sleep(args.after)
        end = time.monotonic()
        storm.terminate()
        storm.wait()
        stop.set()
        for thread in threads:
            thread.join()
        server_cpu = cpu_seconds(pid) - cpu_before
        solver_cpu = cpu_seconds(pid, children=True) - children_before
        coordinator.close()
    finally:
        stop.set()
        server.terminate()
        server.wait()
    load = os.getloadavg()
    print(
        f"solve: {solve_end - solve_start:.1f} s; server {server_cpu:.1f} s of CPU, the solving "
        f"child {solver_cpu:.1f} s; {args.attackers} guessing clients; load average "
        f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'times in ms':<28} {'n':>5} {'p50':>8} {'p99':>8} {'max':>8} {'failed':>7}")
    line("/health before (quiet)", health.between(quiet_start, solve_start), 0)
    line("status page before (quiet)", status.between(quiet_start, solve_start), 0)
    ok = line("/health during the solve", health.between(solve_start, solve_end), 0)
    ok &= line("status page during the solve", status.between(solve_start, solve_end), 0)
    line("/health after (storm only)", health.between(solve_end, end), 0)
    line("status page after", status.between(solve_end, end), 0)
    print(f"failed answers: /health {health.failures}, status page {status.failures}")
    ok &= health.failures == 0 and status.failures == 0
    print("target met (p99 < 100 ms)" if ok else "target NOT met (p99 < 100 ms)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
