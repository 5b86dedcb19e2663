"""Fixtures shared by the end-to-end tests in this folder (one instance per test session)."""

from tests.support.browser import chromium, live_server  # noqa: F401  (the browser tests' fixtures)
