"""The what-if runs on the management simulation pages in a browser, in Swedish and English,
on a phone and a desktop: axe finds nothing serious and nothing spills out; a run started
from the form shows its progress and, once a worker has run it, its figures (the page
follows the job by itself, without a reload by hand). The term-planning page likewise: a plan
asked for shows its progress, then the plan once a worker has made it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.api import PASSWORD, build_city
from tests.support.browser import (
    DESK,
    PHONE,
    LiveServer,
    log_in_as_management,
    new_page,
    screenshot,
)
from tests.support.browser import serious_violations as axe_violations
from waitlist.services import simulation_jobs, term_plan_jobs

pytestmark = pytest.mark.browser

SIZES = {"phone": PHONE, "desktop": DESK}
CASES = [(lang, size) for lang in ("sv", "en") for size in SIZES]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[tuple[LiveServer, object]]:  # noqa: ANN001
    work = tmp_path_factory.mktemp("what-if")
    city = build_city(f"sqlite:///{work / 'city.db'}")
    server = LiveServer(city.url, work / "server.log", cwd=work)
    yield server, city
    server.stop()
    city.engine.dispose()


def _manager(chromium, server, lang: str, size: str):  # noqa: ANN001, ANN202
    page = new_page(chromium, server, SIZES[size], lang=lang)
    log_in_as_management(page, "manager", PASSWORD)
    return page


def _spills(page) -> list[str]:  # noqa: ANN001
    return page.evaluate(
        """() => document.documentElement.scrollWidth > window.innerWidth + 1
            ? ['page ' + document.documentElement.scrollWidth + ' > ' + window.innerWidth] : []"""
    )


@pytest.mark.parametrize(("lang", "size"), CASES)
def test_a_what_if_started_from_the_page_shows_its_progress_then_its_figures(
    chromium,  # noqa: ANN001
    site,  # noqa: ANN001
    lang: str,
    size: str,
) -> None:
    server, city = site
    page = _manager(chromium, server, lang, size)
    page.goto("/management/simulation")
    assert axe_violations(page) == []
    assert _spills(page) == []

    page.check("#field-policy-cross-district")
    page.fill("#field-weeks", "1")
    page.fill("#field-seed", "5")
    page.click("form[action='/management/simulation/runs'] button[type=submit]")
    page.wait_for_url("**/management/simulation/runs/*")
    page.wait_for_selector("#run[data-state=queued], #run[data-state=running]")
    assert axe_violations(page) == []

    simulation_jobs.run_next(city.engine, f"browser-test-{lang}-{size}")  # or the server's worker
    page.wait_for_selector("#run[data-state=done]")  # site.js reloads when the job is finished
    headline = "Huvudsiffror" if lang == "sv" else "Headline figures"
    assert page.locator("#figures-title").text_content() == headline
    assert page.locator("table.runs tbody tr").count() >= 1
    assert axe_violations(page) == []
    assert _spills(page) == []
    screenshot(page, f"management-what-if-{lang}-{size}")
    page.context.close()


@pytest.mark.parametrize(("lang", "size"), CASES)
def test_the_term_plan_page_is_clean_and_fits(chromium, site, lang: str, size: str) -> None:  # noqa: ANN001
    server, city = site
    page = _manager(chromium, server, lang, size)
    page.goto("/management/term-plan")
    assert axe_violations(page) == []
    # a budget of its own per case: each asks for a plan not made yet
    page.fill("#field-budget-komet", str(CASES.index((lang, size)) + 1))
    page.click("form[action='/management/term-plan'] button[type=submit]")
    page.wait_for_url("**/management/term-plan/*")
    page.wait_for_selector("#plan-progress[data-state=queued], #plan-progress[data-state=running]")
    assert axe_violations(page) == []
    term_plan_jobs.run_next(city.engine, f"browser-test-{lang}-{size}")  # or the server's
    page.wait_for_selector("#plan-progress[data-state=done]")  # site.js reloads when done
    page.wait_for_selector("#effect-title")
    assert axe_violations(page) == []
    assert _spills(page) == []
    screenshot(page, f"management-term-plan-{lang}-{size}")
    page.context.close()
