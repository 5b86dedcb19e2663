"""Nothing stalls: while a group-start recommendation is solved and a login storm runs, do
`/health` and a parent's status page still answer at once?

    python benchmarks/stalls.py [--attackers 4] [--quiet 15] [--storm 15] [--parents 8]

A real uvicorn (one worker, background jobs on: the solve runs in its child process,
api.recommend_worker) on a freshly seeded demo city (SQLite,
`waitlist seed --demo`). /health is asked 10 times a second and `--parents` parents (who applied
through the API) each open their status page every 2 s, each from an address and a thread of
their own; the server runs with the parents' rate limits as shipped (each status page view is
counted in the database, as in production). Four phases, one after the other:

- quiet: `--quiet` seconds with neither (what the machine's other work costs);
- solve: a coordinator opens the recommendations page, which queues the solve, until the page
  shows the plan;
- storm: `--attackers` clients (a process of their own, as in benchmarks/login_storm.py) guess
  the coordinator's password through the API and the log-in form, for `--storm` seconds;
- both: a parent applies (the kept plan goes stale) and the coordinator opens the page again:
  a second solve during the storm, until the page shows the plan.

Printed per phase: n, p50, p95, p99 and max of /health and of the status page, the load
average at the phase's end and the server's own CPU seconds over it (the solving child's not
counted). Target: p99 under 100 ms for both in every phase but the quiet one.
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


@dataclass
class Phase:
    """One stretch of the run: its name, when it began and ended (monotonic seconds), the
    server's own CPU seconds over it and the load average at its end."""

    name: str
    start: float
    end: float = 0.0
    server_cpu: float = 0.0
    load: float = 0.0


def header() -> None:
    print(
        f"{'times in ms':<36} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8}"
        f" {'load':>5} {'CPU s':>6}"
    )


def line(label: str, values: list[float], phase: Phase) -> float:
    """Print one row; its p99 (infinite when nothing answered)."""
    if not values:
        print(f"{label:<36} no answers")
        return float("inf")
    p99 = pct(values, 0.99)
    print(
        f"{label:<36} {len(values):>5} {statistics.median(values):>8.1f}"
        f" {pct(values, 0.95):>8.1f} {p99:>8.1f} {max(values):>8.1f}"
        f" {phase.load:>5.1f} {phase.server_cpu:>6.1f}"
    )
    return p99


def solve(coordinator: httpx.Client) -> str:
    """Open the recommendations page (which queues the solve) and visit it every second until
    it shows the plan, however long a loaded machine takes; the first visit's state."""
    state = STATE.search(coordinator.get("/coordinator/recommendations").text)
    first = state.group(1) if state else "?"
    while True:
        time.sleep(1.0)
        state = STATE.search(coordinator.get("/coordinator/recommendations").text)
        if state and state.group(1) == "current":
            return first


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--attackers", type=int, default=4)
    parser.add_argument("--quiet", type=float, default=15.0, help="seconds with neither")
    parser.add_argument("--storm", type=float, default=15.0, help="seconds of storm alone")
    parser.add_argument("--parents", type=int, default=PARENTS, help="parents polling")
    args = parser.parse_args()
    server, base = demo_server("stalls-", rate_limits=True)
    pid = server.pid
    health, status = Timings(), Timings()
    stop = threading.Event()
    phases: list[Phase] = []
    storm: subprocess.Popen | None = None

    def begin(name: str) -> None:
        if phases:
            end()
        phases.append(Phase(name, time.monotonic(), server_cpu=cpu_seconds(pid)))

    def end() -> None:
        phase = phases[-1]
        phase.end, phase.load = time.monotonic(), os.getloadavg()[0]
        phase.server_cpu = cpu_seconds(pid) - phase.server_cpu

    try:
        coordinator = httpx.Client(base_url=base, timeout=120, follow_redirects=True)
        log_in(coordinator)
        threads = [
            threading.Thread(target=poll, args=(base, "/health", 0.1, stop, health, "127.0.0.50"))
        ]
        for n in range(args.parents):  # each from an address of their own, within the limits
            address = f"127.0.0.{60 + n}"
            path = parent_status_path(base, address)
            every = 2.0  # each parent every 2 s: well within the 60 a minute a link may ask
            threads.append(
                threading.Thread(target=poll, args=(base, path, every, stop, status, address))
            )
        for thread in threads:
            thread.start()
        begin("quiet")
        time.sleep(args.quiet)  # the machine's other work alone, for comparison
        begin("solve")
        first = solve(coordinator)
        print(f"first visit: {first}; solve alone took {time.monotonic() - phases[-1].start:.1f} s")
        begin("storm")
        storm = subprocess.Popen(
            [sys.executable, str(HERE / "login_storm.py"), "--guess", base, "--seconds",
             "3600", "--attackers", str(args.attackers), "--account", ACCOUNT],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(args.storm)
        parent_status_path(base, "127.0.0.99")  # a parent applies: the kept plan is stale
        begin("both")
        solve(coordinator)
        print(f"solve during the storm took {time.monotonic() - phases[-1].start:.1f} s")
        end()
        coordinator.close()
    finally:
        stop.set()
        if storm is not None:
            storm.terminate()
            storm.wait()
        server.terminate()
        server.wait()
    print(
        f"{args.attackers} guessing clients, {args.parents} parents every 2 s, /health 10 a "
        f"second; load average at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())} on "
        f"{os.cpu_count()} cores; CPU s: the server's own over the phase (not the solver's)"
    )
    header()
    labels = {
        "quiet": "quiet",
        "solve": "during the solve",
        "storm": "during the storm",
        "both": "solve and storm",
    }
    worst = 0.0
    for phase in phases:
        for name, timings in (("/health", health), ("status page", status)):
            p99 = line(
                f"{name} {labels[phase.name]}", timings.between(phase.start, phase.end), phase
            )
            if phase.name != "quiet":
                worst = max(worst, p99)
    print(f"failed answers: /health {health.failures}, status page {status.failures}")
    ok = worst < TARGET_P99_MS and health.failures == 0 and status.failures == 0
    print("target met (p99 < 100 ms)" if ok else "target NOT met (p99 < 100 ms)")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
