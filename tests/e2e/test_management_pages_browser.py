"""The management pages as a manager sees them, in Swedish and English, on a phone (390x844)
and a desktop: axe finds nothing serious, nothing spills out of the page or of a key-figure
card, districts come in Swedish alphabetical order with the city last, hidden figures are
named in the charts' legends and the tables, and the what-if simulation report sits inside
the site's layout."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import (
    DESK,
    PHONE,
    LiveServer,
    demo_database,
    log_in_as_management,
    new_page,
    screenshot,
)
from tests.support.browser import serious_violations as axe_violations
from tests.support.simulation_city import two_policies_two_weeks
from waitlist.domain.collation import swedish_key
from waitlist.simulation import report as simulation_report

pytestmark = pytest.mark.browser

CHARTS = ("chart-waits", "chart-share", "chart-trend", "chart-equality", "chart-flows")
SIZES = {"phone": PHONE, "desktop": DESK}
CASES = [(lang, size) for lang in ("sv", "en") for size in SIZES]


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[LiveServer]:  # noqa: ANN001
    """The demo city served from a folder whose latest what-if report is a real one."""
    work = tmp_path_factory.mktemp("management")
    run = two_policies_two_weeks()
    files = simulation_report.write_report(run, work / "run", command="waitlist simulate")
    reports = work / simulation_report.REPORTS_DIR
    reports.mkdir(parents=True)
    pointer = {"report": str(files.html.resolve()), "seed": 3, "weeks": 2}
    (reports / simulation_report.LATEST).write_text(json.dumps(pointer), "utf-8")
    cache = Path(request.config.cache.mkdir("web-demo-db"))
    server = LiveServer(demo_database(cache, work / "demo.db"), work / "server.log", cwd=work)
    yield server
    server.stop()


def _manager(chromium, site, lang: str, size: str):  # noqa: ANN001, ANN202
    page = new_page(chromium, site, SIZES[size], lang=lang)
    log_in_as_management(page)
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} svg.main-svg")
    return page


def _spills(page) -> list[str]:  # noqa: ANN001
    """Whatever sticks out of the page's width or out of a key-figure card."""
    return page.evaluate(
        """() => {
        const out = [];
        if (document.documentElement.scrollWidth > window.innerWidth + 1)
            out.push('page ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth);
        for (const dd of document.querySelectorAll('.key-figures dd')) {
            const box = dd.parentElement.getBoundingClientRect();
            for (const r of dd.getClientRects())
                if (r.right > box.right + 1) out.push('card: ' + dd.textContent.trim());
            if (dd.scrollWidth > dd.clientWidth + 1) out.push('card: ' + dd.textContent.trim());
        }
        return out;
    }"""
    )


@pytest.mark.parametrize(("lang", "size"), CASES)
def test_the_dashboard_is_clean_and_fits(chromium, site, lang, size) -> None:  # noqa: ANN001
    page = _manager(chromium, site, lang, size)
    for details in page.locator("details").all():
        details.evaluate("d => d.open = true")
    assert axe_violations(page) == []
    assert _spills(page) == []
    screenshot(page, f"management-dashboard-{lang}-{size}")
    page.context.close()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_districts_in_swedish_order_and_hidden_figures_named(chromium, site, lang) -> None:  # noqa: ANN001
    page = _manager(chromium, site, lang, "desktop")
    rows = [
        t.strip()
        for t in page.locator("#h-waits ~ details table tbody th[scope=row]").all_text_contents()
    ]
    city = "Hela staden" if lang == "sv" else "The whole city"
    assert rows[-1] == city
    assert rows[:-1] == sorted(rows[:-1], key=swedish_key) and len(rows) == 15
    assert rows[-2] == "Östermalm" and rows[-3] == "Älvsjö"
    data = json.loads(page.locator("#dashboard-data").text_content() or "{}")
    hidden = [w["name"] for w in data["waits"] if w["share_within_target"] is None]
    assert hidden, "the demo city has districts whose share is hidden"
    fewer = "färre än 5" if lang == "sv" else "fewer than 5"
    assert fewer in (page.locator("#chart-share g.legend").text_content() or "")
    assert page.locator("#chart-share g.legend g.traces").count() == 2
    assert fewer in (page.locator("#h-waits ~ details .hidden-note").text_content() or "")
    # The headline agrees with the table's row for the whole city, for the same quarter.
    headline = page.locator(".key-figures div").nth(3).locator("dd").text_content() or ""
    city_row = page.locator("#h-waits ~ details table tbody tr.total td").nth(3)
    assert (city_row.text_content() or "").strip() == headline.strip() != ""
    page.context.close()


@pytest.mark.parametrize(("lang", "size"), CASES)
def test_the_simulation_report_sits_inside_the_site(chromium, site, lang, size) -> None:  # noqa: ANN001
    page = _manager(chromium, site, lang, size)
    page.goto("/management/simulation")
    assert page.locator("main h1").count() == 1
    assert page.locator("a.lang-switch").count() == 1
    assert page.locator("nav a[href='/management']").count() >= 1
    assert page.locator("meta[name=viewport]").count() == 1
    widths = page.eval_on_selector_all("main img", "els => els.map(e => e.naturalWidth)")
    assert len(widths) == 2 and all(w > 100 for w in widths)
    assert axe_violations(page) == []
    assert _spills(page) == []
    screenshot(page, f"management-simulation-{lang}-{size}")
    page.click("a.lang-switch")
    other = "en" if lang == "sv" else "sv"
    page.wait_for_function(f"document.documentElement.lang === '{other}'")
    assert page.locator("main img").count() == 2
    page.context.close()
