"""HTTP API throughput and latency: a real uvicorn (2 workers) on PostgreSQL, loaded from this
process over 127.0.0.1, with the bare /health endpoint measured in the same run as baseline.

    python benchmarks/api.py [--seconds 15] [--requests 8000] [--concurrency 24]
                             [--rate-limits] [--one-client]

The load is the parents' mix: 20 % apply (POST /api/v1/applications) and 80 % status
(GET /api/v1/applications/me with a status token), against a city with a few hundred waiting
applications. Each seeded parent is a client of its own: the requests come through a reverse
proxy on the same host (uvicorn trusts `X-Forwarded-For` from 127.0.0.1), each parent's from
their own address, as a city's parents on their own phones would. `--one-client` sends every
request from one address instead (one hot counter row: the worst case for the counters).
Rate limits are switched off for the run (120 requests a minute would stop a single address,
which is the point of them); `--rate-limits` keeps them counting, with limits too high to
refuse anyone, to show what the counters cost. Target on 2 cores: >= 500 requests/s with
p99 < 100 ms.

PostgreSQL comes from WAITLIST_TEST_POSTGRES (an admin URL; a fresh database is created and
dropped) or is started with scripts/postgres.sh.

The load generator is a minimal HTTP/1.1 keep-alive client on asyncio streams (uvloop when
installed): one connection per request in flight, requests pre-encoded, responses read by
Content-Length. It spends a small fraction of the server's CPU per request, so on a 2-core
machine it leaves the cores to the server and the database. Besides throughput and latency the
table shows CPU per request of the server processes, of the database backends serving this
run's database (read from /proc when PostgreSQL runs on this machine), and of this process.
Those depend much less than throughput and latency on what else the machine is running, and
`2 cores / (server + database CPU per request)` is the throughput two free cores would allow.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx
import sqlalchemy as sa
from harness import free_port

from waitlist.services import applications, groups, setup
from waitlist.storage.db import create_schema, make_engine
from waitlist.storage.uow import UnitOfWork

ROOT = Path(__file__).resolve().parents[1]

DISTRICTS = ("farsta", "skarpnack", "sodermalm", "rinkeby-kista", "bromma")
TARGET_RPS = 500
TARGET_P99_MS = 100.0
TARGET_CORES = 2


@dataclass
class Phase:
    name: str
    latencies: list[float]
    errors: int
    seconds: float
    server_cpu: float = 0.0  # CPU seconds the server processes used during the phase
    db_cpu: float | None = None  # CPU seconds of the database backends serving this run
    client_cpu: float = 0.0  # CPU seconds this process (the load generator) used

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def cpu_seconds(pids: list[int]) -> float | None:
    """User + system CPU time of these processes (Linux /proc); None when none is readable."""
    total, seen = 0, False
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            seen = True
        except (OSError, IndexError, ValueError):
            continue
    return total / os.sysconf("SC_CLK_TCK") if seen else None


def server_cpu_seconds(pid: int) -> float:
    """CPU time of the server process and its workers."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    return cpu_seconds([pid] + [int(c) for c in children]) or 0.0


def backend_pids(admin: sa.Engine, database: str) -> list[int]:
    """The PostgreSQL backends connected to `database` (the server's pooled connections)."""
    with admin.connect() as conn:
        rows = conn.execute(
            sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :db"), {"db": database}
        )
        return [int(r[0]) for r in rows]


def backend_sessions(admin: sa.Engine, database: str) -> int:
    """Connections ever opened to `database` (a rise during a phase means pool churn)."""
    with admin.connect() as conn:
        value = conn.execute(
            sa.text("SELECT sessions FROM pg_stat_database WHERE datname = :db"), {"db": database}
        ).scalar()
    return int(value or 0)


def admin_url() -> str:
    url = os.environ.get("WAITLIST_TEST_POSTGRES")
    if url:
        return url
    out = subprocess.run(
        ["bash", str(ROOT / "scripts" / "postgres.sh")], check=True, capture_output=True, text=True
    )
    return out.stdout.strip().splitlines()[-1]


def body(rng: random.Random) -> dict[str, object]:
    return {
        "programme": "komet",
        "district": rng.choice(DISTRICTS),
        "child_birth": f"{date.today().year - rng.randint(3, 10)}-{rng.randint(1, 12):02d}",
        "languages": ["sv"] if rng.random() < 0.7 else ["sv", "ar"],
        "slots": [rng.choice(["day", "evening"])],
        "cross_district": rng.random() < 0.5,
        "max_travel_minutes": 30,
    }


def seed(url: str, applicants: int, rng: random.Random) -> list[str]:
    engine = make_engine(url)
    create_schema(engine)
    setup.load_reference_data(UnitOfWork(engine))
    start = date.today() + timedelta(days=45)
    for district in DISTRICTS:
        for slot in ("day", "evening"):
            groups.create_group(
                UnitOfWork(engine),
                {
                    "programme": "komet",
                    "district": district,
                    "start": start.isoformat(),
                    "slot": slot,
                    "language": "sv",
                    "capacity": 12,
                    "min_size": 6,
                },
            )
    tokens = [applications.apply(UnitOfWork(engine), body(rng)).token for _ in range(applicants)]
    engine.dispose()
    return tokens


def start_server(
    url: str, workers: int, *, rate_limits: bool = False
) -> tuple[subprocess.Popen[bytes], str]:
    limit = "1000000000" if rate_limits else "0"  # counted but never reached, or off
    port = free_port()
    env = os.environ | {
        "WAITLIST_DATABASE_URL": url,
        # A key of this run only (the app refuses to start without one it can trust), and
        # the load generator plays a reverse proxy on this host: its X-Forwarded-For is
        # believed (nothing is by default).
        "WAITLIST_SECRET_KEY": secrets.token_urlsafe(32),
        "FORWARDED_ALLOW_IPS": "127.0.0.1",
        "WAITLIST_JOBS_INTERVAL_SECONDS": "0",
        "WAITLIST_RATE_LIMIT_IP_PER_MINUTE": limit,
        "WAITLIST_RATE_LIMIT_TOKEN_PER_MINUTE": limit,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1", "--port",
         str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start")


class Connection:
    """One keep-alive HTTP/1.1 connection: send a pre-encoded request, read one response."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def send(self, request: bytes) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status = int(head[9:12])
        at = head.lower().find(b"\r\ncontent-length:")
        if at < 0:
            raise ConnectionError("response without Content-Length")
        length = int(head[at + 17 : head.index(b"\r\n", at + 2)])
        if length:
            await self.reader.readexactly(length)
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def address(client: int) -> str:
    """The address of simulated client number `client` (as a reverse proxy would forward it)."""
    return f"10.{client >> 16 & 255}.{client >> 8 & 255}.{client & 255}"


def forwarded(client: int | None) -> str:
    return "" if client is None else f"X-Forwarded-For: {address(client)}\r\n"


def get(path: str, headers: str = "") -> bytes:
    return f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode()


def post_json(path: str, payload: object, headers: str = "") -> bytes:
    body = json.dumps(payload).encode()
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n{headers}\r\n"
    )
    return head.encode() + body


class RequestMaker(Protocol):
    def __call__(self) -> bytes: ...


async def load(
    base: str,
    name: str,
    make_request: RequestMaker,
    *,
    total: int,
    seconds: float,
    concurrency: int,
) -> Phase:
    latencies: list[float] = []
    errors = 0
    issued = 0
    host, port = base.removeprefix("http://").split(":")
    began = time.perf_counter()
    stop_at = began + seconds

    async def worker() -> None:
        nonlocal errors, issued
        connection = Connection(host, int(port))
        try:
            while issued < total and time.perf_counter() < stop_at:
                issued += 1
                request = make_request()
                t0 = time.perf_counter()
                try:
                    ok = await connection.send(request) < 400
                except (OSError, ValueError, asyncio.IncompleteReadError):
                    connection.close()
                    ok = False
                latencies.append(time.perf_counter() - t0)
                errors += not ok
        finally:
            connection.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - began
    return Phase(name, latencies, errors, elapsed)


def loop_and_parser() -> str:
    """What uvicorn picks with its defaults (`auto`): uvloop and httptools when installed."""
    found = [name for name in ("uvloop", "httptools") if importlib.util.find_spec(name)]
    return " + ".join(found) or "asyncio + h11"


def run(coroutine: Any) -> Any:
    """Run the load generator on uvloop when it is installed (less client CPU per request)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coroutine)
    return uvloop.run(coroutine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="Time limit per phase")
    parser.add_argument("--requests", type=int, default=8000, help="Request limit per phase")
    parser.add_argument("--concurrency", type=int, default=24, help="Requests in flight")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--applicants", type=int, default=400, help="Parents seeded beforehand")
    parser.add_argument(
        "--rate-limits", action="store_true", help="Count every request in the rate limits"
    )
    parser.add_argument(
        "--one-client", action="store_true", help="Send every request from one client address"
    )
    args = parser.parse_args()

    admin = admin_url()
    name = f"bench_api_{uuid.uuid4().hex[:8]}"
    admin_engine = sa.create_engine(admin, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = f"{admin.rsplit('/', 1)[0]}/{name}"
    rng = random.Random(2026)
    proc = None
    try:
        print(f"seeding {args.applicants} applications ...", flush=True)
        tokens = seed(url, args.applicants, rng)
        proc, base = start_server(url, args.workers, rate_limits=args.rate_limits)

        health_request = get("/health")

        def client(i: int) -> int | None:
            return None if args.one_client else i

        status_requests = [
            get("/api/v1/applications/me", f"Authorization: Bearer {t}\r\n{forwarded(client(i))}")
            for i, t in enumerate(tokens)
        ]
        newcomers = iter(range(len(tokens), 1 << 24))  # each application from a new parent

        def health() -> bytes:
            return health_request

        def mix() -> bytes:
            if rng.random() < 0.2:
                newcomer = forwarded(client(next(newcomers)))
                return post_json("/api/v1/applications", body(rng), newcomer)
            return rng.choice(status_requests)

        common = {"total": args.requests, "seconds": args.seconds, "concurrency": args.concurrency}
        # Warm-up at full concurrency: every pooled connection is open before measuring.
        run(load(base, "warm-up", mix, total=1000, seconds=5, concurrency=args.concurrency))
        phases = []
        for label, request in (("GET /health (baseline)", health), ("apply 20% + status 80%", mix)):
            backends = backend_pids(admin_engine, name)
            sessions_before = backend_sessions(admin_engine, name)
            db_before = cpu_seconds(backends)
            cpu_before, client_before = server_cpu_seconds(proc.pid), time.process_time()
            phase = run(load(base, label, request, **common))
            phase.server_cpu = server_cpu_seconds(proc.pid) - cpu_before
            phase.client_cpu = time.process_time() - client_before
            # Backends opened during the phase count whole (the pool keeps its connections).
            db_after = cpu_seconds(backend_pids(admin_engine, name))
            if db_before is not None and db_after is not None:
                phase.db_cpu = db_after - db_before
            opened = backend_sessions(admin_engine, name) - sessions_before
            if opened:
                print(f"note: {opened} database connections opened during {label!r}")
            phases.append(phase)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)
        with admin_engine.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()

    baseline = phases[0]
    print()
    print(
        f"uvicorn {args.workers} workers ({loop_and_parser()}), PostgreSQL, "
        f"{args.concurrency} in flight, <= {args.requests} requests or {args.seconds:.0f} s "
        f"per phase, rate limits {'counting' if args.rate_limits else 'off'}, "
        + ("one client address" if args.one_client else "a client address per parent")
    )
    header = f"{'phase':<26} {'requests':>8} {'errors':>6} {'req/s':>6} {'p50 ms':>7} {'p99 ms':>7}"
    header += f" {'vs /health':>10}  CPU ms/req: {'server':>6} {'db':>5} {'client':>6}"
    print(header)
    print("-" * len(header))
    for phase in phases:
        ratio = phase.rps / baseline.rps if baseline.rps else float("nan")
        per = 1000 / phase.count if phase.count else float("nan")
        db = f"{phase.db_cpu * per:>5.2f}" if phase.db_cpu is not None else f"{'n/a':>5}"
        print(
            f"{phase.name:<26} {phase.count:>8} {phase.errors:>6} {phase.rps:>6.0f} "
            f"{phase.pct(0.50):>7.1f} {phase.pct(0.99):>7.1f} {ratio:>10.2f}              "
            f"{phase.server_cpu * per:>6.2f} {db} {phase.client_cpu * per:>6.2f}"
        )
    load1 = os.getloadavg()[0]
    print(f"(load average during the run: {load1:.1f} on {os.cpu_count()} cores)")
    target = phases[1]
    if target.db_cpu is not None and target.count:
        ms = (target.server_cpu + target.db_cpu) / target.count * 1000
        print(
            f"server + database: {ms:.2f} CPU ms per mixed request -> about "
            f"{TARGET_CORES * 1000 / ms:.0f} requests/s on {TARGET_CORES} free cores"
        )
    met = target.rps >= TARGET_RPS and target.pct(0.99) < TARGET_P99_MS and target.errors == 0
    print(
        f"\ntarget: >= {TARGET_RPS} req/s, p99 < {TARGET_P99_MS:.0f} ms, 0 errors -> "
        f"{'met' if met else 'NOT met'} (median latency "
        f"{statistics.median(target.latencies) * 1000:.1f} ms)"
    )


if __name__ == "__main__":
    main()
