"""axe-core finds no serious or critical problem on any page, in Swedish or in English, and
the pages say which language they are in."""

from __future__ import annotations

import pytest
from browser import (
    PHONE,
    log_in,
    new_page,
    serious_violations,
    wait_for_recommendations,
)

pytestmark = pytest.mark.browser

PARENT_PAGES = ["/", "/?age=7&purpose=conflicts", "/?age=old", "/apply/komet", "/no-such-page"]
COORDINATOR_PAGES = ["/coordinator", "/coordinator/groups", "/coordinator/round",
                     "/coordinator/recommendations", "/coordinator/import"]  # fmt: skip


def _apply(page, district: str = "farsta") -> str:  # noqa: ANN001
    page.goto(f"/apply/abc?district={district}&cross_district=yes&max_travel_minutes=30")
    page.fill("#field-child_birth", "2019-05")
    page.check("#field-languages-sv")
    page.check("#field-cross_district-yes")
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_url("**/status/**")
    return page.url.split("?")[0]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_parent_pages_have_no_serious_accessibility_problems(chromium, live_server, lang):
    page = new_page(chromium, live_server, PHONE, lang)
    problems: dict[str, list[str]] = {}
    for path in PARENT_PAGES:
        page.goto(path)
        assert page.get_attribute("html", "lang") == lang
        problems[path] = serious_violations(page)
    page.goto("/apply/komet")
    page.click("button[type=submit]:not(.secondary)")  # empty form: the error summary
    problems["/apply/komet (errors)"] = serious_violations(page)
    status = _apply(page)
    problems["status"] = serious_violations(page)
    for what in ("withdraw", "erase", "new-link"):
        page.goto(f"{status}/{what}")
        problems[f"status/{what}"] = serious_violations(page)
    assert {path: found for path, found in problems.items() if found} == {}


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_coordinator_pages_have_no_serious_accessibility_problems(chromium, live_server, lang):
    page = new_page(chromium, live_server, lang=lang)
    page.goto("/coordinator/login")
    problems = {"login": serious_violations(page)}
    log_in(page)
    for path in COORDINATOR_PAGES:
        page.goto(path)
        assert page.get_attribute("html", "lang") == lang
        problems[path] = serious_violations(page)
    # The recommendations once computed (above: as the page showed them first, maybe the
    # background job's progress).
    page.goto("/coordinator/recommendations")
    wait_for_recommendations(page)
    problems["/coordinator/recommendations (computed)"] = serious_violations(page)
    assert {path: found for path, found in problems.items() if found} == {}


def test_the_language_switch_is_one_click_and_sticks(chromium, live_server):
    page = new_page(chromium, live_server, PHONE, "sv")
    page.context.clear_cookies()
    page.goto("/")
    assert page.get_attribute("html", "lang") == "sv"
    page.click("a.lang-switch")
    assert page.get_attribute("html", "lang") == "en"
    page.goto("/apply/komet")
    assert page.get_attribute("html", "lang") == "en"
    assert "Apply for Komet" in page.text_content("h1")
