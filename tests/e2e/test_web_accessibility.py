"""axe-core finds no serious or critical problem on any page, in Swedish or in English (parents'
pages in all six languages, with no text wider than its box), and the pages say which language
they are in."""

from __future__ import annotations

import pytest

from tests.support.browser import (
    PHONE,
    log_in,
    new_page,
    overflowing,
    serious_violations,
    wait_for_recommendations,
)

pytestmark = pytest.mark.browser

PARENT_PAGES = ["/", "/?age=7&purpose=conflicts", "/?age=old", "/apply/komet", "/no-such-page"]
COORDINATOR_PAGES = ["/coordinator", "/coordinator/groups", "/coordinator/round",
                     "/coordinator/recommendations", "/coordinator/notices",
                     "/coordinator/import", "/coordinator/leaders",
                     "/coordinator/venues"]  # fmt: skip


def _unreachable(live_server, district: str = "farsta") -> None:  # noqa: ANN001
    """The newest application of `district` has a contact that bounced, and a dead letter:
    the status page's warning and the coordinator's undelivered notices have something."""
    from datetime import UTC, datetime

    from sqlmodel import Session, col, select

    from waitlist.storage.db import make_engine
    from waitlist.storage.tables import Application, Outbox

    engine = make_engine(live_server.database_url)
    try:
        with Session(engine) as session:
            app = session.exec(
                select(Application)
                .where(Application.district == district)
                .order_by(col(Application.id).desc())
            ).first()
            assert app is not None
            now = datetime.now(UTC)
            app.contact, app.contact_unreachable_at = "bounce@example.se", now
            session.add(app)
            session.add(
                Outbox(
                    kind="offer_made",
                    recipient=f"application:{app.id}",
                    payload={},
                    attempts=1,
                    last_error="smtp 550 recipient refused",
                    dead_at=now,
                    channel="email",
                )
            )
            session.commit()
    finally:
        engine.dispose()


def _apply(page, district: str = "farsta") -> str:  # noqa: ANN001
    page.goto(f"/apply/abc?district={district}&cross_district=yes&max_travel_minutes=30")
    page.fill("#field-child_birth", "2019-05")
    page.check("#field-languages-sv")
    page.check("#field-cross_district-yes")
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_url("**/status/**")
    return page.url.split("?")[0]


@pytest.mark.parametrize("lang", ["sv", "en", "ar", "fa", "so", "ti"])
def test_parent_pages_have_no_serious_accessibility_problems(chromium, live_server, lang):
    page = new_page(chromium, live_server, PHONE, lang)
    problems: dict[str, list[str]] = {}
    for path in PARENT_PAGES:
        page.goto(path)
        assert page.get_attribute("html", "lang") == lang
        problems[path] = serious_violations(page) + overflowing(page)
    page.goto("/apply/komet")
    page.click("button[type=submit]:not(.secondary)")  # empty form: the error summary
    page.wait_for_selector(".error-summary")
    problems["/apply/komet (errors)"] = serious_violations(page)
    status = _apply(page)
    problems["status"] = serious_violations(page)
    _unreachable(live_server)
    page.goto(status)
    assert page.locator("#unreachable").is_visible()
    problems["status (contact unreachable)"] = serious_violations(page)
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
    _unreachable(live_server)
    for path in COORDINATOR_PAGES:
        page.goto(path)
        assert page.get_attribute("html", "lang") == lang
        problems[path] = serious_violations(page)
    # The recommendations once computed (above: as the page showed them first, maybe the
    # background job's progress).
    page.goto("/coordinator/recommendations")
    wait_for_recommendations(page)
    problems["/coordinator/recommendations (computed)"] = serious_violations(page)
    # Term planning: the form, a plan asked for, and the list of plans asked for.
    page.goto("/coordinator/term-plan")
    problems["/coordinator/term-plan"] = serious_violations(page)
    page.fill("#field-budget-komet", "1")
    page.click("form[action='/coordinator/term-plan'] button[type=submit]")
    page.wait_for_url("**/coordinator/term-plan/*")
    problems["/coordinator/term-plan/N"] = serious_violations(page)
    page.goto("/coordinator/term-plan")
    assert page.locator("#recent-title").is_visible()
    problems["/coordinator/term-plan (plans asked for)"] = serious_violations(page)
    assert {path: found for path, found in problems.items() if found} == {}


def test_the_language_switch_is_one_click_and_sticks(chromium, live_server):
    page = new_page(chromium, live_server, PHONE, "sv")
    page.context.clear_cookies()
    page.goto("/")
    assert page.get_attribute("html", "lang") == "sv"
    page.click("a.lang-switch")
    page.wait_for_function("document.documentElement.lang === 'en'")
    page.goto("/apply/komet")
    assert page.get_attribute("html", "lang") == "en"
    assert "Apply for Komet" in page.text_content("h1")
