"""The first visit to each page after the server starts, against the second: what a start
leaves to the first visitor (templates compiled, catalogues and locale data loaded, modules
imported, the first queries prepared).

    python benchmarks/first_visits.py [--settle 5]

A real uvicorn (one worker, background jobs on) on a freshly seeded demo city
(SQLite, `waitlist seed --demo`). `--settle` seconds after /health first
answers (the start's own work done), each page is asked twice, in order: the parents' pages,
a parent's status page, the coordinator's pages (logged in) and management's. Milliseconds
of each visit, the load average beside them.
"""

from __future__ import annotations

import argparse
import os
import re
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

from recommendations_page import CSRF, demo_server, log_in  # noqa: E402
from stalls import parent_status_path  # noqa: E402


def timed(client: httpx.Client, path: str) -> float:
    started = time.perf_counter()
    answer = client.get(path)
    took = (time.perf_counter() - started) * 1000
    assert answer.status_code == 200, (path, answer.status_code)
    return took


def management_log_in(client: httpx.Client) -> None:
    form = client.get("/management/login").text
    token = CSRF.search(form)
    assert token, "no CSRF token on the management log-in page"
    data = {"csrf_token": token.group(1), "username": "management", "password": "demo-password"}
    answer = client.post("/management/login", data=data)
    assert "/login" not in str(answer.url), "management could not log in"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settle", type=float, default=5.0)
    args = parser.parse_args()
    server, base = demo_server("first-visits-")
    rows: list[tuple[str, float, float]] = []
    try:
        time.sleep(args.settle)
        status = parent_status_path(base)
        with httpx.Client(base_url=base, timeout=120, follow_redirects=True) as client:
            pages = ["/", "/apply/komet?district=farsta", status, f"{status}?lang=en"]
            pages += ["/coordinator/login"]
            for path in pages:
                rows.append((re.sub(r"wl_[\w-]+", "TOKEN", path), timed(client, path),
                             timed(client, path)))  # fmt: skip
            log_in(client)
            for path in ["/coordinator", "/coordinator/groups", "/coordinator/round",
                         "/coordinator/notices", "/coordinator/import", "/coordinator/venues",
                         "/coordinator/recommendations"]:  # fmt: skip
                rows.append((path, timed(client, path), timed(client, path)))
        with httpx.Client(base_url=base, timeout=120, follow_redirects=True) as client:
            management_log_in(client)
            rows.append(("/management", timed(client, "/management"), timed(client, "/management")))
    finally:
        server.terminate()
        server.wait()
    load = os.getloadavg()
    print(f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")
    print(f"{'page':<42} {'first ms':>9} {'second ms':>10}")
    for path, first, second in rows:
        print(f"{path[:42]:<42} {first:>9.1f} {second:>10.1f}")
    firsts = [first for _, first, _ in rows]
    seconds = [second for _, _, second in rows]
    print(f"{'sum':<42} {sum(firsts):>9.1f} {sum(seconds):>10.1f}")
    print(f"slowest first visit: {max(firsts):.1f} ms")


if __name__ == "__main__":
    main()
