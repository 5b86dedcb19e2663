"""Fixtures shared by the end-to-end tests in this folder."""

from collections.abc import Iterator

import httpx
import pytest

from tests.support.browser import LiveServer, chromium, live_server  # noqa: F401  (the browser tests' fixtures)


@pytest.fixture
def client(live_server: LiveServer) -> Iterator[httpx.Client]:  # noqa: F811
    """An HTTP client of the live server, in English (a module may define its own `client`).
    A generous timeout: the suite must hold on a loaded machine."""
    with httpx.Client(base_url=live_server.url, cookies={"lang": "en"}, timeout=120) as http:
        yield http
