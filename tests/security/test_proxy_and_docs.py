"""`X-Forwarded-For` is believed only from a configured proxy, and the API docs load nothing
from elsewhere, under the pages' CSP."""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import httpx
import pytest

from api.hardening import DOCS_CSP
from tests.support.deployment import deploy, serving

LIMITED = {"WAITLIST_RATE_LIMIT_IP_PER_MINUTE": "3"}


def statuses(base: str, forwarded_for: list[str]) -> list[int]:
    """A parent's rate-limited read (no token: 401 while under the limit, 429 over it), each
    claiming to come from the given address."""
    return [
        httpx.get(
            f"{base}/api/v1/applications/me", headers={"X-Forwarded-For": ip}, timeout=120
        ).status_code
        for ip in forwarded_for
    ]


def test_a_forwarded_address_from_an_unconfigured_proxy_is_ignored(tmp_path):
    deployment = deploy(tmp_path / "site", "sqlite", **LIMITED)
    spoofed = [f"198.51.100.{i}" for i in range(1, 6)]
    with serving(deployment) as base:
        # Five "different" clients through loopback are one client: the fourth is limited.
        assert statuses(base, spoofed)[3:] == [429, 429]


def test_a_configured_proxy_is_believed(tmp_path):
    deployment = deploy(tmp_path / "site", "sqlite", **LIMITED)
    with serving(deployment, "--trusted-proxies", "127.0.0.1") as base:
        assert 429 not in statuses(base, [f"198.51.100.{i}" for i in range(1, 6)])
        assert statuses(base, ["203.0.113.9"] * 4)[3] == 429


@pytest.fixture(scope="module")
def docs_server(tmp_path_factory):  # noqa: ANN001, ANN201
    deployment = deploy(tmp_path_factory.mktemp("docs"), "sqlite")
    with serving(deployment) as base:
        yield base


def test_the_docs_page_names_only_files_of_this_server_under_the_pages_csp(docs_server):
    page = httpx.get(f"{docs_server}/docs", timeout=120)
    assert page.status_code == 200
    assert page.headers["Content-Security-Policy"] == DOCS_CSP
    assert "<script>" not in page.text  # no inline script: the CSP would refuse it
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) >= 3
    for asset in assets:
        assert not urlsplit(asset).netloc, asset
        assert httpx.get(f"{docs_server}{asset}", timeout=120).status_code == 200, asset
    assert httpx.get(f"{docs_server}/redoc", timeout=120).status_code == 404


@pytest.mark.browser
def test_the_docs_render_in_a_browser_without_leaving_the_server(docs_server):
    path = shutil.which("chromium")
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    requested: list[str] = []
    problems: list[str] = []

    def visit() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
            try:
                page = browser.new_page()
                page.set_default_timeout(120_000)
                page.on("request", lambda request: requested.append(request.url))
                page.on(
                    "console",
                    lambda message: (
                        problems.append(message.text) if message.type == "error" else None
                    ),
                )
                page.goto(f"{docs_server}/docs")
                page.wait_for_selector(".swagger-ui .info .title")
                page.wait_for_selector(".opblock-tag")  # the operations, from /openapi.json
                assert "Waitlist" in page.inner_text(".swagger-ui .info .title")
            finally:
                browser.close()

    # Another browser test in this process may hold Playwright's loop on this thread: a thread
    # of its own starts a fresh one.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(visit).result()
    assert problems == []
    assert requested
    assert all(url.startswith(docs_server) for url in requested), requested
