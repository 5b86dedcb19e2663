"""Hops: how many files a reader opens to follow three paths through the product.

Each path runs in a fresh interpreter, in-process, on a small throw-away SQLite city, under
`sys.setprofile` and `threading.setprofile` (FastAPI runs routes in worker threads). Only calls
whose stack passes through the route function or the command count: the framework, the
standard library and what runs before the entry (request schema, log-in, rate limits, option
parsing) do not. A *module* is a file of the product (`api/`, `waitlist/`, `solver/`).

The three paths:

    apply      a parent's POST /api/v1/applications (with an Idempotency-Key), in a city with
               a recruiting group and three waiting parents
    round      the home coordinator's POST /api/v1/rounds/preview, then POST
               /api/v1/rounds/{id}/commit, in the same city
    recommend  `waitlist recommend scenario.json -o result.json -q` (typer's CliRunner) on the
               scenario of the recommend command's test (seven waiting parents in two
               districts, one candidate group, one leader), written to the throw-away folder

What is counted per path (the round's two requests count as one tree):

    ran    product modules whose code ran under the entry: module bodies a lazy import ran and
           hooks a library called included (the count docs/architecture.md gave before)
    files  the modules on the reader's call tree: the entry's module and every module reached
           by a call written in product code (see `Profiler`)
    hops   the distinct caller-module -> callee-module edges on that tree: a reader's jumps
           from one file to another (a callback counts from the module that calls it; a hit of
           an `lru_cache`d product function counts as the call it stands for)
    depth  the longest chain of module changes on the tree, from the entry to a leaf

Usage (from the repository root, with the project's virtualenv; about a minute per tree):

    python scripts/hops.py                     # this tree
    python scripts/hops.py --against 5d489e3   # that commit (extracted with git archive), then this
                                               # (repeat --against for more commits, oldest first)
    python scripts/hops.py --against-root DIR  # another checkout, then this
    python scripts/hops.py --detail            # also the modules, each hop with a call that makes
                                               # it, and the deepest chain

Each tree is measured with its own code first on PYTHONPATH and the same virtualenv. Older trees
name things differently (`waitlist/cli.py` and `cli_*.py`, a flat `solver/`); `ENTRY_POINTS`
finds each entry by its public address (API method and path, command name), which they share.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import subprocess
import sys
import tarfile
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from types import CodeType, FrameType, ModuleType
from typing import Any

PACKAGES = ("api", "waitlist", "solver")
"""The product's top-level packages: a module is a file under one of these."""

PATHS = ("apply", "round", "recommend")
TITLES = {
    "apply": "a parent's POST /api/v1/applications",
    "round": "a coordinator's round: preview, then commit",
    "recommend": "waitlist recommend scenario.json",
}
METRICS = (
    ("ran", "modules whose code ran"),
    ("files", "files on the call tree"),
    ("hops", "hops (module -> module edges)"),
    ("depth", "depth (longest chain of module changes)"),
)

ENTRY_POINTS: dict[str, list[tuple[str, str]]] = {
    "apply": [("POST", "/api/v1/applications")],
    "round": [("POST", "/api/v1/rounds/preview"), ("POST", "/api/v1/rounds/{round_id}/commit")],
    "recommend": [("command", "recommend")],
}
"""Each path's entry points, by public address (the commit of the issue that asked for the
restructuring, 5d489e3, serves them too)."""

HOME, OTHER = "farsta", "skarpnack"
COORDINATOR, PASSWORD = "coord-home", "correct horse battery"


# -- the profile -----------------------------------------------------------------------------


TRANSPARENT = ("<", contextlib.__file__)
"""Frames a call passes through as written: code a dataclass or namedtuple generated
("<string>") and `contextlib` (a `with` on a generator function)."""


@dataclass
class Frame:
    """A product frame in scope: its module and function, whether a reader follows it (a call
    written in product code reached it), and the hops from the entry to it."""

    frame: FrameType | None
    module: str
    function: str
    followed: bool
    hops: int
    hop: bool = False


@dataclass
class Tree:
    """What one path's entry points ran, merged over its requests."""

    ran: set[str] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    edges: dict[tuple[str, str], str] = field(default_factory=dict)
    depth: int = 0
    chain: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "ran": sorted(self.ran),
            "files": sorted(self.files),
            "edges": [[*edge, example] for edge, example in sorted(self.edges.items())],
            "depth": self.depth,
            "chain": self.chain,
        }


class Profiler:
    """A profile function for every thread: records calls made under an armed entry point.

    Each thread keeps the stack of product frames in scope; the top one is the caller of the
    next product frame. A call counts on the reader's tree (files, hops, depth) when the
    caller's own code makes it: its Python caller is the product frame below (generated code,
    `contextlib` and C functions such as `sorted` in between are transparent), the caller is on
    the tree, and no import is running it. Anything else still counts as code that ran: a module
    body a lazy import runs, and a hook a library calls (an SQLAlchemy event, a validator
    pydantic runs while building a model). A generator expression belongs to the function that
    wrote it: iterating it from another module is not a hop."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.entries: frozenset[CodeType] = frozenset()
        self.tree = Tree()
        self._local = threading.local()
        self._modules: dict[str, str | None] = {}
        self._lock = threading.Lock()

    def module_of(self, filename: str) -> str | None:
        """The product module (path from the root) of a code object's file, or None."""
        if filename in self._modules:
            return self._modules[filename]
        module: str | None = None
        if not filename.startswith("<"):
            try:
                relative = Path(filename).resolve().relative_to(self.root)
            except ValueError:
                relative = None
            if relative is not None and relative.parts[0] in PACKAGES:
                module = relative.as_posix()
        self._modules[filename] = module
        return module

    @contextmanager
    def armed(self, *entries: Callable[..., Any]) -> Iterator[None]:
        """Record what runs under these functions while the block runs."""
        self.entries = frozenset(entry.__code__ for entry in entries)
        try:
            yield
        finally:
            self.entries = frozenset()

    def take(self) -> Tree:
        tree, self.tree = self.tree, Tree()
        return tree

    def __call__(self, frame: FrameType, event: str, _arg: Any) -> None:
        stack: list[Frame] | None = getattr(self._local, "stack", None)
        if event == "call":
            self._call(frame, stack)
        elif event == "return":
            if stack and stack[-1].frame is frame:
                stack.pop()

    def _call(self, frame: FrameType, stack: list[Frame] | None) -> None:
        code = frame.f_code
        if not stack:
            if code in self.entries:
                name = self.module_of(code.co_filename) or code.co_filename
                entry = Frame(frame, name, code.co_qualname, followed=True, hops=0)
                self._local.stack = [entry]
                self._reach([entry])
            return
        if code is THROUGH_CACHE:  # a call of a cached product function, hit or miss
            cached = frame.f_locals["self"].cached
            wrapped = cached.__wrapped__.__code__
            module, function = self.module_of(wrapped.co_filename), wrapped.co_qualname
        else:
            module, function = self.module_of(code.co_filename), code.co_qualname
        if module is None:
            return
        parent = stack[-1]
        caller = frame.f_back
        while caller is not None and caller.f_code.co_filename.startswith(TRANSPARENT):
            caller = caller.f_back
        written = caller is parent.frame and code.co_name != "<module>"
        hop = module != parent.module and code.co_name != "<genexpr>"
        followed = parent.followed and written
        callee = Frame(frame, module, function, followed, parent.hops + hop, hop)
        stack.append(callee)
        self._reach(stack)

    def _reach(self, stack: list[Frame]) -> None:
        """Record the call at the top of `stack` (the entry's frame at the bottom)."""
        callee = stack[-1]
        with self._lock:
            tree = self.tree
            tree.ran.add(callee.module)
            if not callee.followed:
                return
            tree.files.add(callee.module)
            if callee.hop:
                caller = stack[-2]
                edge = (caller.module, callee.module)
                tree.edges.setdefault(edge, f"{caller.function} -> {callee.function}")
            if callee.hops > tree.depth or not tree.chain:
                tree.depth = callee.hops
                tree.chain = [item.module for i, item in enumerate(stack) if i == 0 or item.hop]


class ThroughCache:
    """Stands in for an `lru_cache`d product function while a path is measured: a call the
    cache answers runs no Python frame of the function, so the profiler would not see it; this
    plain method call it does see, as a call of the function."""

    def __init__(self, cached: Any) -> None:
        self.cached = cached
        self.__wrapped__ = cached.__wrapped__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.cached(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:  # cache_clear, cache_info, ...
        return getattr(self.cached, name)


THROUGH_CACHE = ThroughCache.__call__.__code__


@contextmanager
def caches_seen(root: Path) -> Iterator[None]:
    """Every product module's names for its cached product functions go through ThroughCache
    while the block runs (modules imported later take the stand-in from the module that
    defines the function)."""
    replaced: list[tuple[ModuleType, str, Any]] = []
    profiler = Profiler(root)
    for module in list(sys.modules.values()):
        if profiler.module_of(getattr(module, "__file__", None) or "<none>") is None:
            continue
        for name, value in list(vars(module).items()):
            code = getattr(getattr(value, "__wrapped__", None), "__code__", None)
            if hasattr(value, "cache_info") and isinstance(code, CodeType):
                if profiler.module_of(code.co_filename) is not None:
                    replaced.append((module, name, value))
                    setattr(module, name, ThroughCache(value))
    try:
        yield
    finally:
        for module, name, value in replaced:
            setattr(module, name, value)


@contextmanager
def profiling(profiler: Profiler) -> Iterator[None]:
    """The profile function on this thread and on every thread started meanwhile."""
    threading.setprofile(profiler)
    sys.setprofile(profiler)
    try:
        yield
    finally:
        sys.setprofile(None)
        threading.setprofile(None)


# -- the throw-away city and the three paths -------------------------------------------------


def _check(response: Any, expected: int, what: str) -> Any:
    if response.status_code != expected:
        raise SystemExit(f"{what}: HTTP {response.status_code} {response.text[:300]}")
    return response.json()


def application_body(district: str) -> dict[str, object]:
    return {
        "programme": "komet",
        "district": district,
        "child_birth": f"{date.today().year - 6}-03",
        "languages": ["sv"],
        "slots": ["evening"],
        "cross_district": True,
        "max_travel_minutes": 60,
        "contact": "parent@example.org",
    }


def group_body(district: str) -> dict[str, object]:
    """A recruiting Komet group in Swedish, evenings, in about two months (with its weekday,
    which older trees require)."""
    start = date.today() + timedelta(days=60)
    return {
        "programme": "komet",
        "district": district,
        "start": start.isoformat(),
        "weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()],
        "slot": "evening",
        "language": "sv",
        "capacity": 10,
        "min_size": 2,
    }


def recommend_scenario(as_of: date) -> dict[str, Any]:
    """Seven waiting parents in two districts, one candidate group, one leader (the scenario
    of the recommend command's test), in the scenario format `waitlist-scenario/1`."""

    def parent(n: int, district: str, weeks: int, cross: bool, travel: int) -> dict[str, Any]:
        return {
            "id": f"a-{n:03d}",
            "programme": "komet",
            "district": district,
            "child_birth": f"{as_of.year - 7}-05",
            "languages": ["sv"],
            "slots": ["evening"],
            "cross_district": cross,
            "max_travel_minutes": travel,
            "queue_date": (as_of - timedelta(weeks=weeks)).isoformat(),
            "lottery": 1000 + n,
        }

    applications = [parent(n, HOME, 20 + n, False, 0) for n in range(4)]
    applications += [parent(20 + n, OTHER, 25, True, 20) for n in range(3)]
    start = as_of + timedelta(days=29)
    return {
        "format": "waitlist-scenario/1",
        "as_of": as_of.isoformat(),
        "applications": applications,
        "candidate_groups": [
            {
                "id": "c-1",
                "programme": "komet",
                "district": HOME,
                "start": start.isoformat(),
                "weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[start.weekday()],
                "slot": "evening",
                "language": "sv",
                "capacity": 12,
                "min_size": 6,
            }
        ],
        "districts": [
            {"slug": "alvsjo", "name": "Älvsjö"},
            {"slug": HOME, "name": "Farsta"},
            {"slug": OTHER, "name": "Skarpnäck"},
        ],
        "groups": [],
        "leaders": [
            {
                "id": "l-2",
                "district": HOME,
                "programmes": ["komet"],
                "max_groups": 1,
                "languages": ["sv"],
            }
        ],
        "policy": {
            "cross_district_after_weeks": 8,
            "home_priority": "strict",
            "offer_response_days": 10,
            "small_cell_min": 5,
            "target_weeks": 8,
        },
        "programmes": [
            {
                "slug": "komet",
                "name": "Komet",
                "kind": "parent_group",
                "capacity": 12,
                "min_size": 6,
                "child_age_min": 3,
                "child_age_max": 11,
                "languages": ["sv", "ar"],
                "sessions": None,
                "weeks": None,
            }
        ],
        "travel_minutes": {
            "alvsjo": {HOME: 22, OTHER: 30},
            HOME: {"alvsjo": 22, OTHER: 14},
            OTHER: {"alvsjo": 30, HOME: 14},
        },
    }


def routes(router: Any) -> Iterator[Any]:
    """Every route of an app or router, through included routers (which FastAPI may keep as
    one entry each, holding the router included)."""
    for candidate in router.routes:
        included = getattr(candidate, "original_router", None)
        if included is not None:
            yield from routes(included)
        else:
            yield candidate


def route(app: Any, method: str, path: str) -> Callable[..., Any]:
    """The function FastAPI calls for a request to `method path`."""
    for candidate in routes(app):
        if getattr(candidate, "path", None) == path and method in getattr(candidate, "methods", ()):
            endpoint: Callable[..., Any] = candidate.endpoint
            return endpoint
    raise SystemExit(f"no route {method} {path} in this tree")


def command(app: Any, name: str) -> Callable[..., Any]:
    """The function typer calls for `waitlist <name>`."""
    for registered in app.registered_commands:
        callback = registered.callback
        if callback is not None and (registered.name or callback.__name__) == name:
            found: Callable[..., Any] = callback
            return found
    raise SystemExit(f"no command {name!r} in this tree")


def settle(work: Path) -> None:
    """Point the product at a throw-away SQLite file under `work` (before it reads settings)."""
    os.environ.update(
        {
            "WAITLIST_DATABASE_URL": f"sqlite:///{work / 'city.db'}",
            "WAITLIST_SECRET_KEY": secrets.token_urlsafe(32),
            "WAITLIST_JOBS_INTERVAL_SECONDS": "0",
        }
    )


def measure_api(root: Path, path: str) -> Tree:
    """The city (reference data, the home district's coordinator, a recruiting group, three
    waiting parents), then the path's requests through the API."""
    from fastapi.testclient import TestClient
    from sqlmodel import Session, create_engine
    from typer.testing import CliRunner

    from api.main import create_app
    from waitlist.cli import app as cli
    from waitlist.config import Settings
    from waitlist.services.staff import hash_password
    from waitlist.storage.tables import Staff

    url = os.environ["WAITLIST_DATABASE_URL"]
    done = CliRunner().invoke(cli, ["init"])
    if done.exit_code != 0:
        raise SystemExit(f"waitlist init: {done.output}")
    engine = create_engine(url)
    with Session(engine) as session:
        hashed = hash_password(PASSWORD)
        session.add(
            Staff(username=COORDINATOR, role="coordinator", district=HOME, password_hash=hashed)
        )
        session.commit()
    engine.dispose()
    settings = Settings(
        database_url=url,
        jobs_interval_seconds=0,
        cookie_secure=True,
        rate_limit_ip_per_minute=0,
        rate_limit_token_per_minute=0,
    )
    api = create_app(settings)
    entries = [route(api, *entry) for entry in ENTRY_POINTS[path]]

    profiler = Profiler(root)
    with (
        profiling(profiler),
        TestClient(api, base_url="https://testserver") as client,
        caches_seen(root),
    ):
        login = {"username": COORDINATOR, "password": PASSWORD}
        token = _check(client.post("/api/v1/auth/login", json=login), 200, "log-in")
        staff = {"Authorization": f"Bearer {token['access_token']}"}
        _check(client.post("/api/v1/groups", json=group_body(HOME), headers=staff), 201, "group")
        for district in (HOME, HOME, OTHER):
            new = application_body(district)
            _check(client.post("/api/v1/applications", json=new), 201, "application")
        if path == "apply":
            [apply] = entries
            key = {"Idempotency-Key": secrets.token_hex(16)}
            with profiler.armed(apply):
                applied = client.post(
                    "/api/v1/applications", json=application_body(HOME), headers=key
                )
            _check(applied, 201, "the measured application")
        else:
            preview, commit = entries
            with profiler.armed(preview):
                previewed = client.post("/api/v1/rounds/preview", headers=staff)
            round_id = _check(previewed, 201, "round preview")["id"]
            with profiler.armed(commit):
                committed = client.post(f"/api/v1/rounds/{round_id}/commit", headers=staff)
            _check(committed, 200, "round commit")
    return profiler.take()


def measure_recommend(root: Path, work: Path) -> Tree:
    """`waitlist recommend` on the small scenario, in a process that has run nothing else."""
    from typer.testing import CliRunner

    from waitlist.cli import app as cli

    [recommend] = [command(cli, name) for _, name in ENTRY_POINTS["recommend"]]
    scenario, result = work / "scenario.json", work / "result.json"
    scenario.write_text(json.dumps(recommend_scenario(date.today()), indent=2), encoding="utf-8")
    profiler = Profiler(root)
    with profiling(profiler), caches_seen(root), profiler.armed(recommend):
        done = CliRunner().invoke(cli, ["recommend", str(scenario), "-o", str(result), "-q"])
    if done.exit_code != 0:
        raise SystemExit(f"waitlist recommend: exit {done.exit_code} {done.output}")
    return profiler.take()


# -- running on a tree, comparing two ---------------------------------------------------------


def run_here(root: Path, path: str) -> Tree:
    """Measure one path of the tree at `root` in this process (first on the import path)."""
    sys.path.insert(0, str(root))
    import waitlist

    loaded = Path(waitlist.__file__ or "").resolve()
    if root not in loaded.parents:
        raise SystemExit(f"waitlist is imported from {loaded}, not from {root}: set PYTHONPATH")
    with tempfile.TemporaryDirectory(prefix="hops-") as folder:
        work = Path(folder)
        os.chdir(work)  # anything a command writes beside it lands in the throw-away folder
        settle(work)
        if path == "recommend":
            return measure_recommend(root, work)
        return measure_api(root, path)


def run_tree(root: Path) -> dict[str, Any]:
    """Measure each path of the tree at `root` in a fresh interpreter with `root` on
    PYTHONPATH (so that one path's imports and caches are not another's)."""
    environment = os.environ | {"PYTHONPATH": str(root)}
    paths: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hops-") as folder:
        for path in PATHS:
            out = Path(folder) / f"{path}.json"
            script = str(Path(__file__).resolve())
            done = subprocess.run(
                [sys.executable, script, "--root", str(root), "--path", path, "--json", str(out)],
                capture_output=True,
                text=True,
                env=environment,
                check=False,
            )
            if done.returncode != 0:
                raise SystemExit(f"measuring {path} in {root} failed:\n{done.stderr[-3000:]}")
            paths[path] = json.loads(out.read_text(encoding="utf-8"))
    return {"tree": describe(root), "paths": paths}


def describe(root: Path) -> str:
    """The tree's commit (short hash), `+` if it has uncommitted changes; the name given to
    `extracted` for an extracted commit."""
    given = root / ".hops-commit"
    if given.exists():
        return given.read_text(encoding="utf-8").strip()
    try:
        head = git(root, "rev-parse", "--short", "HEAD")
        dirty = git(root, "status", "--porcelain", "--untracked-files=no")
    except (OSError, subprocess.CalledProcessError):
        return root.name
    return head + ("+" if dirty else "")


def git(root: Path, *arguments: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *arguments], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@contextmanager
def extracted(commit: str) -> Iterator[Path]:
    """The repository's files at `commit`, in a temporary folder (`git archive`)."""
    here = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory(prefix="hops-tree-") as folder:
        archive = Path(folder) / "tree.tar"
        with archive.open("wb") as out:
            subprocess.run(["git", "-C", str(here), "archive", commit], stdout=out, check=True)
        tree = Path(folder) / "tree"
        with tarfile.open(archive) as tar:
            tar.extractall(tree, filter="data")
        (tree / ".hops-commit").write_text(commit, encoding="utf-8")
        yield tree


def figure(tree: dict[str, Any], metric: str) -> int:
    """One metric of one path's tree."""
    if metric == "depth":
        return int(tree["depth"])
    return len(tree["edges" if metric == "hops" else metric])


def table(columns: list[tuple[str, dict[str, Any]]]) -> str:
    """Path x metric, one column per tree."""
    width = max(len(title) for title in TITLES.values())
    words = max(len(text) for _, text in METRICS)
    head = f"{'path':<{width}}  {'metric':<{words}}" + "".join(f"{n:>10}" for n, _ in columns)
    lines = [head, "-" * len(head)]
    for path in PATHS:
        for i, (metric, text) in enumerate(METRICS):
            cells = "".join(f"{figure(result['paths'][path], metric):>10}" for _, result in columns)
            lines.append(f"{TITLES[path] if i == 0 else '':<{width}}  {text:<{words}}{cells}")
    return "\n".join(lines)


def detail(name: str, result: dict[str, Any]) -> str:
    """The modules, the edges (with a call that makes each) and the deepest chain."""
    lines = [f"\n== {name}"]
    for path in PATHS:
        tree = result["paths"][path]
        lines.append(f"\n-- {TITLES[path]}")
        off = ", ".join(sorted(set(tree["ran"]) - set(tree["files"]))) or "none"
        lines.append(f"ran, off the tree (an import, a library's hook): {off}")
        lines.append("files: " + ", ".join(tree["files"]))
        lines.append("hops:")
        for caller, callee, example in tree["edges"]:
            lines.append(f"  {caller} -> {callee}   ({example})")
        lines.append("deepest chain: " + " -> ".join(tree["chain"]))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, help="the tree to measure (default: this one)")
    parser.add_argument(
        "--against", metavar="COMMIT", action="append", default=[], help="also this commit"
    )
    parser.add_argument(
        "--against-root",
        metavar="DIR",
        type=Path,
        action="append",
        default=[],
        help="also this checkout",
    )
    parser.add_argument("--detail", action="store_true", help="modules, hops, deepest chain")
    parser.add_argument("--path", choices=PATHS, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    root = (args.root or Path(__file__).resolve().parents[1]).resolve()
    if args.path and args.json:  # one path of one tree, in a process of its own
        measured = run_here(root, args.path).to_json()
        args.json.write_text(json.dumps(measured, indent=1), encoding="utf-8")
        return
    columns: list[tuple[str, dict[str, Any]]] = []
    for commit in args.against:
        with extracted(commit) as tree:
            columns.append((commit, run_tree(tree)))
    for other in args.against_root:
        measured = run_tree(other.resolve())
        columns.append((measured["tree"], measured))
    here = run_tree(root)
    columns.append((here["tree"], here))
    out = [table(columns)]
    if args.detail:
        out.extend(detail(name, measured) for name, measured in columns)
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
