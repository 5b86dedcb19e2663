"""Shared set-up for the browser tests: a seeded demo database, a live uvicorn server on
127.0.0.1 and headless Debian Chromium driven by Playwright, plus axe-core checks.

The demo city (`waitlist init` + `waitlist seed --demo`) takes a while to build, so it is built
once per day and code version into pytest's cache and copied for each run. Browser tests skip
only when Chromium is missing and CI is unset (in CI a missing Chromium is an error).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from tests.support.api import ROOT, free_port

ARTIFACTS = ROOT / "test-artifacts"
DOCS_IMG = ROOT / "docs" / "img"
DEMO_PASSWORD = "demo-password"
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What the demo database depends on: a change to any of these builds it afresh.
_SEED_INPUTS = (
    "waitlist/demo.py",
    "waitlist/demo_profiles.py",
    "waitlist/demo_venues.py",
    "waitlist/domain",
    "waitlist/storage",
    "migrations",
)


def chromium_path() -> str | None:
    return shutil.which("chromium")


def _seed_key() -> str:
    digest = hashlib.sha256(date.today().isoformat().encode())
    for name in _SEED_INPUTS:
        path = ROOT / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def _cli(*args: str, env: dict[str, str]) -> None:
    command = [sys.executable, "-c", "from waitlist.cli import app; app()", *args]
    subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True, timeout=600)


def demo_database(cache_dir: Path, target: Path) -> str:
    """A copy of the seeded demo database at `target`; its SQLAlchemy URL."""
    cached = cache_dir / f"demo-{_seed_key()}.db"
    if not cached.exists():
        building = cache_dir / f"building-{os.getpid()}.db"
        env = {**os.environ, "WAITLIST_DATABASE_URL": f"sqlite:///{building}"}
        _cli("init", env=env)
        _cli("seed", "--demo", env=env)
        _checkpoint(building)
        building.replace(cached)  # atomic: parallel workers never see half a database
    shutil.copyfile(cached, target)
    return f"sqlite:///{target}"


def _checkpoint(db: Path) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")


class LiveServer:
    def __init__(self, database_url: str, log: Path, cwd: Path = ROOT) -> None:
        """`cwd`: the folder the server runs in (where it looks for var/simulations)."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.database_url = database_url
        env = {
            **os.environ,
            "WAITLIST_DATABASE_URL": database_url,
            "WAITLIST_RATE_LIMIT_IP_PER_MINUTE": "0",
            "WAITLIST_RATE_LIMIT_TOKEN_PER_MINUTE": "0",
        }
        self._log = log.open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "api.main:app", "--host", "127.0.0.1",
             "--port", str(self.port), "--log-level", "warning"],
            cwd=cwd, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 300  # a bound on a hang: a loaded machine imports slowly
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with code {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not answer /health within 300 s")

    def count(self, table: str) -> int:
        """How many rows `table` of the served database holds now."""
        engine = sa.create_engine(self.database_url)
        try:
            with engine.connect() as conn:
                return int(conn.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())
        finally:
            engine.dispose()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._log.close()


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[LiveServer]:  # noqa: ANN001
    cache_dir = Path(request.config.cache.mkdir("web-demo-db"))
    work = tmp_path_factory.mktemp("web")
    server = LiveServer(demo_database(cache_dir, work / "demo.db"), work / "server.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: install Debian's chromium package")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def new_page(chromium, live_server: LiveServer, viewport: dict | None = None, lang: str = "sv"):  # noqa: ANN001, ANN201
    """A fresh browser context (own cookies) on the live server, in `lang`."""
    context = chromium.new_context(
        base_url=live_server.url, viewport=viewport or DESK, locale="sv-SE"
    )
    context.add_cookies([{"name": "lang", "value": lang, "url": live_server.url}])
    page = context.new_page()
    # Waits are on states (an element shown, a page loaded); this is only their ceiling, wide
    # enough for a machine running two suites at once.
    page.set_default_timeout(120_000)
    return page


def screenshot(page, name: str, *, docs: bool = False) -> Path:  # noqa: ANN001
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    # The README's pictures are refreshed on request only, so a test run leaves the tree clean.
    if docs and os.environ.get("WAITLIST_UPDATE_DOCS_IMG"):
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOCS_IMG / f"{name}.png")
    return path


def serious_violations(page) -> list[str]:  # noqa: ANN001
    """axe-core (bundled with axe-playwright-python, injected from disk) on the current page:
    the serious and critical violations, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


# Block-level text whose content is wider than its box (tables scroll sideways by design), and
# a page wider than the window.
_OVERFLOW = """() => {
  const found = [];
  const doc = document.documentElement;
  if (doc.scrollWidth > doc.clientWidth + 1) {
    found.push(`document ${doc.scrollWidth} > ${doc.clientWidth}`);
  }
  const text = "h1,h2,h3,p,li,dt,dd,label,legend,button,.button,th,td,summary";
  for (const el of document.querySelectorAll(text)) {
    if (!el.clientWidth || el.closest(".table-wrap")) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      found.push(`${el.tagName}#${el.id}: ${el.textContent.trim().slice(0, 60)}`);
    }
  }
  return found;
}"""


def overflowing(page) -> list[str]:  # noqa: ANN001
    """The text on the current page that does not fit its box, one line each."""
    return list(page.evaluate(_OVERFLOW))


def next_tuesday(after_days: int) -> date:
    """The first Tuesday at least `after_days` from today."""
    day = date.today() + timedelta(days=after_days)
    return day + timedelta(days=(1 - day.weekday()) % 7)


def fill_new_group(desk, start: date) -> None:  # noqa: ANN001
    """On the coordinator's groups page: a new ABC group in Tigrinya on Tuesday evenings from
    `start`, ten seats, at least five (not sent: a test may fill in more)."""
    desk.goto("/coordinator/groups")
    desk.select_option("#field-programme", "abc")
    desk.fill("#field-start", start.isoformat())
    desk.select_option("#field-weekday", "tue")
    desk.select_option("#field-slot", "evening")
    desk.select_option("#field-language", "ti")
    desk.fill("#field-capacity", "10")
    desk.fill("#field-min_size", "5")


def log_in_as_management(
    page,  # noqa: ANN001
    username: str = "management",
    password: str = DEMO_PASSWORD,
) -> None:
    # The first page after log-in computes a quarter and 26 weeks: slow on a loaded machine.
    page.set_default_timeout(120_000)
    page.goto("/management/login")
    page.fill("#field-username", username)
    page.fill("#field-password", password)
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_url("**/management")


def log_in(page, district: str = "farsta") -> None:  # noqa: ANN001
    page.goto("/coordinator/login")
    page.fill("#field-username", f"coordinator-{district}")
    page.fill("#field-password", DEMO_PASSWORD)
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_url("**/coordinator")


# A ceiling for background work to finish on a loaded machine, not a time anything takes: the
# tests wait for the state itself.
BACKGROUND_WORK_MS = 600_000


def wait_for_recommendations(page) -> None:  # noqa: ANN001
    """Wait until the recommendations page shows the plan for the database as it is now (the
    page follows the background job and reloads itself when it is done)."""
    page.wait_for_selector("#recommendations[data-state=current]", timeout=BACKGROUND_WORK_MS)
