"""The coordinator's workspace in a browser on a phone, in Swedish and English: the search
box, a queue's members with filters and page by page, every pending offer, an offer removed
from a preview and the group form's refusals, each with no serious accessibility problem
(axe-core)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.browser import (
    PHONE,
    LiveServer,
    log_in,
    new_page,
    screenshot,
    serious_violations,
)

pytestmark = pytest.mark.browser


def _a_waiting_application(live_server: LiveServer, district: str = "farsta") -> int:
    engine = sa.create_engine(live_server.database_url)
    try:
        with engine.connect() as conn:
            return int(
                conn.execute(
                    sa.text(
                        "SELECT id FROM application WHERE district = :d AND status = 'waiting' "
                        "ORDER BY id LIMIT 1"
                    ),
                    {"d": district},
                ).scalar_one()
            )
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_workspace_pages_work_on_a_phone_without_serious_accessibility_problems(
    chromium, live_server, lang
):
    page = new_page(chromium, live_server, PHONE, lang)
    log_in(page)
    problems: dict[str, list[str]] = {}
    number = _a_waiting_application(live_server)

    page.fill("#quick-find", str(number))  # the search box on every coordinator page
    page.click(".quick-find button")
    page.wait_for_url(f"**/coordinator/find?number={number}")
    assert page.locator("dl.facts").is_visible()
    problems["find"] = serious_violations(page)

    page.goto("/coordinator/find?number=999999999")
    assert page.locator("#error-number").is_visible()
    problems["find (not found)"] = serious_violations(page)

    page.goto("/coordinator/queues/abc")
    assert page.locator(f"#member-{number}").count() in (0, 1)
    problems["queue"] = serious_violations(page)
    page.select_option("#field-sort", "newest")
    page.select_option("#field-cross_district", "yes")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**sort=newest**")
    problems["queue (filtered)"] = serious_violations(page)
    screenshot(page, f"coordinator-queue-phone-{lang}")

    page.goto("/coordinator/offers")
    problems["offers"] = serious_violations(page)

    page.goto("/coordinator/round")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/coordinator/round/*")
    first = page.locator("form[action$='/drop'] button").first
    first.click()
    page.locator("#left-out").wait_for()
    problems["round (offer removed)"] = serious_violations(page)
    screenshot(page, f"coordinator-round-offer-removed-{lang}")
    page.click("form[action$='/discard'] button")
    page.wait_for_url("**done=discarded")

    page.goto("/coordinator/groups")
    page.select_option("#field-programme", "komet")
    page.fill("#field-start", "2020-01-07")
    page.select_option("#field-slot", "evening")
    page.select_option("#field-language", "sv")
    page.click("form[action='/coordinator/groups'] button[type=submit]")
    page.locator("#error-start").wait_for()
    problems["groups (start in the past)"] = serious_violations(page)
    assert {name: found for name, found in problems.items() if found} == {}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_long_queue_goes_page_by_page_on_a_phone(chromium, live_server, lang):
    page = new_page(chromium, live_server, PHONE, lang)
    log_in(page, "enskede-arsta-vantor")  # the demo's longest queue: Komet, over 50 waiting
    page.goto("/coordinator/queues/komet?sort=newest")
    first = page.locator("tbody tr").count()
    page.click("nav.pager a[rel=next]")
    page.wait_for_url("**sort=newest&page=2")
    assert first == 50 and page.locator("tbody tr").count() >= 1
    assert page.locator("nav.pager a[rel=prev]").is_visible()
    assert page.locator("#field-sort").input_value() == "newest"  # the order kept
    assert serious_violations(page) == []
    screenshot(page, f"coordinator-queue-page-2-phone-{lang}")
