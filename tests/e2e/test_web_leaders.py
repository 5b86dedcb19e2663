"""A coordinator keeps their leaders on a phone, in Swedish and English: a week written wrong is
named next to its field, the fixed form saves, and a leader can be taken out of use."""

from __future__ import annotations

import pytest

from tests.support.browser import DESK, PHONE, log_in, new_page, serious_violations

pytestmark = pytest.mark.browser

WORDS = {
    "sv": {"week": "år och veckonummer", "programme": "Välj minst ett program"},
    "en": {"week": "year and week number", "programme": "Choose at least one programme"},
}


@pytest.mark.parametrize(
    ("lang", "viewport", "district"),
    [
        pytest.param("sv", PHONE, "farsta", id="sv-phone"),
        pytest.param("en", DESK, "norrmalm", id="en-desk"),
    ],
)
def test_a_coordinator_adds_a_leader_fixes_the_named_fields_and_deactivates_them(
    chromium, live_server, lang, viewport, district
):
    page = new_page(chromium, live_server, viewport, lang=lang)
    page.set_default_timeout(120_000)
    log_in(page, district)
    page.goto("/coordinator/leaders")
    assert serious_violations(page) == []
    name = f"Testledare {lang}"
    page.fill("#field-label", name)
    page.check("#field-languages-sv")
    page.fill("#field-max_groups", "2")
    page.fill("#field-unavailable_weeks", "vecka 14")
    page.click("form[action='/coordinator/leaders'] button[type=submit]")
    page.wait_for_selector("#field-programmes.has-error")
    assert WORDS[lang]["programme"] in page.text_content("#field-programmes")
    assert serious_violations(page) == []

    page.check("#field-programmes-komet")
    page.click("form[action='/coordinator/leaders'] button[type=submit]")
    page.wait_for_selector("#error-unavailable_weeks")
    assert WORDS[lang]["week"] in page.text_content("#error-unavailable_weeks")
    page.fill("#field-unavailable_weeks", "2026-w14, 2026-W15")
    page.click("form[action='/coordinator/leaders'] button[type=submit]")
    page.wait_for_url("**/coordinator/leaders?done=created")
    row = page.locator("tr", has_text=name)
    assert "2026-W14, 2026-W15" in row.text_content()

    row.locator("a").click()
    page.wait_for_selector("#field-active-no")
    page.check("#field-active-no")
    page.click("form.panel button[type=submit]")
    page.wait_for_url("**/coordinator/leaders?done=saved")
    assert serious_violations(page) == []
    # On a phone the form fits the screen; the wide table scrolls in its own region.
    assert page.evaluate(
        "document.querySelector('form.panel').getBoundingClientRect().right"
        " <= window.innerWidth + 1"
    )
    assert page.locator(".table-wrap[role=region]").count() == 1
