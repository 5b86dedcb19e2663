"""The management page in headless Chromium on the demo city: every chart draws, nothing
goes to the console, no personal data is in the page, and a screenshot is kept."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.support.browser import (
    DEMO_PASSWORD,
    DESK,
    log_in_as_management,
    new_page,
    screenshot,
    serious_violations,
)

pytestmark = pytest.mark.browser

CHARTS = ("chart-waits", "chart-share", "chart-trend", "chart-equality", "chart-flows")
# Names of personal fields anywhere in the system: none may reach the page.
PERSONAL = (
    "contact",
    "child_birth",
    "token",
    "lottery",
    "queue_date",
    "application_id",
    "email",
    "phone",
    "languages",
    "slots",
)


@pytest.fixture(scope="module")
def dashboard(chromium, live_server):  # noqa: ANN001, ANN201
    page = new_page(chromium, live_server, DESK, lang="en")
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on(
        "response",
        lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    log_in_as_management(page)
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} svg.main-svg", timeout=120_000)
    yield page, problems
    page.context.close()


def test_every_chart_draws_a_non_empty_svg(dashboard) -> None:  # noqa: ANN001
    page, _ = dashboard
    for chart in CHARTS:
        box = page.locator(f"#{chart} svg.main-svg").first.bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 200, chart
        traces = page.locator(f"#{chart} g.trace").count()
        assert traces > 0, f"{chart} has no data traces"
        axes = page.locator(f"#{chart} g.xtick").count()
        assert axes > 0, f"{chart} has no axis"


def test_bars_show_the_target_line(dashboard) -> None:  # noqa: ANN001
    page, _ = dashboard
    assert page.locator("#chart-waits .shapelayer path").count() >= 1
    assert "Target" in page.locator("#chart-waits").inner_text()


def test_the_page_logs_no_console_error(dashboard) -> None:  # noqa: ANN001
    _, problems = dashboard
    assert problems == []


def test_every_chart_has_a_text_alternative(dashboard) -> None:  # noqa: ANN001
    page, _ = dashboard
    for chart in CHARTS:
        label = page.get_attribute(f"#{chart}", "aria-label") or ""
        assert len(label) > 40, chart
    assert page.locator("details").count() >= 4  # tables (or "none" when there is nothing)


def test_axe_finds_no_serious_accessibility_violation(dashboard) -> None:  # noqa: ANN001
    page, _ = dashboard
    assert serious_violations(page) == []


def test_the_page_carries_no_personal_data(dashboard) -> None:  # noqa: ANN001
    page, _ = dashboard
    html = page.content()
    data = json.loads(page.locator("#dashboard-data").text_content() or "{}")
    keys = set(_keys(data))
    assert not {k for k in keys if any(p in k for p in PERSONAL)}, keys
    assert not re.search(r"[\w.+-]+@[\w-]+\.\w+", html), "an e-mail address is in the page"
    assert "coordinator-" not in html


def test_a_screenshot_of_the_page_is_kept(dashboard) -> None:  # noqa: ANN001
    page, _ = dashboard
    path = screenshot(page, "management-dashboard", docs=True)
    assert path.stat().st_size > 20_000


def test_the_charting_library_is_served_by_the_app_itself(dashboard, live_server) -> None:  # noqa: ANN001
    page, _ = dashboard
    sources = page.eval_on_selector_all("script[src]", "els => els.map(e => e.src)")
    assert sources and all(s.startswith(live_server.url) for s in sources), sources
    response = httpx.get(f"{live_server.url}/management/assets/plotly.min.js", timeout=120)
    assert response.status_code == 200 and len(response.content) > 1_000_000


def test_the_page_and_its_charts_speak_swedish_by_default(chromium, live_server) -> None:  # noqa: ANN001
    page = new_page(chromium, live_server, DESK, lang="sv")
    log_in_as_management(page)
    page.wait_for_selector("#chart-waits svg.main-svg", timeout=120_000)
    assert page.locator("html").get_attribute("lang") == "sv"
    assert page.locator("h1").inner_text() == "Väntetider och jämlikhet mellan stadsdelar"
    chart = page.locator("#chart-waits").inner_text()
    assert "Mål 8 veckor" in chart and "Veckor till första erbjudande" in chart, chart
    labels = " ".join(page.get_attribute(f"#{c}", "aria-label") or "" for c in CHARTS)
    assert "Stapeldiagram" in labels and "Bar chart" not in labels
    html = page.content()
    for english in ("Weeks to first offer", "Key figures", "Download CSV", "Log out"):
        assert english not in html, english
    page.context.close()


def test_a_coordinator_cannot_open_the_management_page(chromium, live_server) -> None:  # noqa: ANN001
    page = new_page(chromium, live_server, DESK, lang="en")
    page.goto("/coordinator/login")
    page.fill("#field-username", "coordinator-farsta")
    page.fill("#field-password", DEMO_PASSWORD)
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_url("**/coordinator")
    response = page.goto("/management")
    assert response is not None and response.status == 403
    assert page.locator("#dashboard-data").count() == 0
    page.context.close()


def test_a_management_user_cannot_open_a_page_with_personal_fields(chromium, live_server) -> None:  # noqa: ANN001
    page = new_page(chromium, live_server, DESK, lang="en")
    log_in_as_management(page)
    for path in ("/coordinator", "/coordinator/groups", "/coordinator/round"):
        page.goto(path)
        assert "/coordinator/login" in page.url, path
    page.context.close()


def _keys(value: object):  # noqa: ANN202
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _keys(v)
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v)
