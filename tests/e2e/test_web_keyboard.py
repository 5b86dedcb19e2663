"""Every form works with the keyboard alone (Tab, typing, Space, arrows, Enter), and whatever
has the focus shows it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.support.browser import PHONE, new_page

pytestmark = pytest.mark.browser

FOCUS_SHOWN = """() => {
  const s = getComputedStyle(document.activeElement);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
}"""


def tab_to(page, selector: str, limit: int = 120) -> None:  # noqa: ANN001
    """Press Tab until `selector` has the focus (it must be reachable), and check that the
    focus is visible on it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.locator(selector)
        if found.evaluate_all("els => els.includes(document.activeElement)"):
            assert page.evaluate(FOCUS_SHOWN), f"no focus style on {selector}"
            return
    raise AssertionError(f"{selector} cannot be reached with Tab")


def type_into(page, selector: str, text: str) -> None:  # noqa: ANN001
    """Tab to the field, then type as a person would."""
    tab_to(page, selector)
    page.keyboard.type(text)


def press_on(page, selector: str, key: str) -> None:  # noqa: ANN001
    """Tab to the control, then press one key (Space ticks, arrows move between radios)."""
    tab_to(page, selector)
    page.keyboard.press(key)


def submit(page, selector: str) -> None:  # noqa: ANN001
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_parent_can_choose_apply_and_withdraw_with_the_keyboard_only(chromium, live_server):
    page = new_page(chromium, live_server, PHONE, "en")
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"#main$"))  # the jump is not instant on a loaded machine

    type_into(page, "#field-age", "6")
    # From "show everything" to the first purpose:
    press_on(page, "input[name=purpose]", "ArrowDown")
    assert page.is_checked("#field-purpose-conflicts")
    submit(page, "form[action='/'] button[type=submit]")
    assert "age=6" in page.url and "purpose=conflicts" in page.url

    submit(page, "a[href='/apply/komet']")
    type_into(page, "#field-district", "Farsta")
    assert page.input_value("#field-district") == "farsta"
    type_into(page, "#field-child_birth", "2019-05")
    press_on(page, "#field-languages-sv", "Space")
    press_on(page, "#field-slots-evening", "Space")
    press_on(page, "input[name=cross_district]", "ArrowUp")  # "no" -> "yes"
    assert page.is_checked("#field-cross_district-yes")
    submit(page, "button:has-text('Join the queue')")
    assert "/status/" in page.url

    submit(page, "a[href$='/withdraw']")
    submit(page, "button:has-text('Yes, withdraw')")
    assert "withdrawn" in page.text_content(".notice")


def test_a_coordinator_can_log_in_create_cancel_and_preview_with_the_keyboard_only(
    chromium,
    live_server,
):
    page = new_page(chromium, live_server, lang="en")
    page.goto("/coordinator/login")
    type_into(page, "#field-username", "coordinator-skarpnack")
    type_into(page, "#field-password", "demo-password")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # Enter in a field sends the form
    assert page.url.endswith("/coordinator")

    page.goto("/coordinator/groups")
    start = date.today() + timedelta(days=40)
    type_into(page, "#field-programme", "Komet")
    type_into(page, "#field-start", start.isoformat())
    # the first meeting's weekday, as the form requires
    type_into(
        page, "#field-weekday", ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")[start.weekday()]
    )
    type_into(page, "#field-slot", "Even")
    type_into(page, "#field-language", "Swed")
    submit(page, "button:has-text('Create group')")
    group_id = re.search(r"Group (\d+) was created", page.text_content(".notice")).group(1)

    submit(page, f"a[href='/coordinator/groups/{group_id}/cancel']")
    submit(page, "button:has-text('Yes, cancel the group')")
    assert f"Group {group_id} was cancelled" in page.text_content(".notice")

    page.goto("/coordinator/round")
    submit(page, "button:has-text('Preview a round')")
    submit(page, "button:has-text('Discard the preview')")
    assert "discarded" in page.text_content(".notice")
