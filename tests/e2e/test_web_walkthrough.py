"""The whole walk in a real browser: a parent applies on a phone, a coordinator runs a
placement round, the parent accepts, the coordinator sees the seat taken. A screenshot of each
step goes to test-artifacts/ (two of them also to docs/img/ for the README)."""

from __future__ import annotations

import re

import pytest

from tests.support import browser
from tests.support.browser import PHONE, log_in, new_page, screenshot, wait_for_recommendations

pytestmark = pytest.mark.browser


def test_a_parent_applies_gets_an_offer_accepts_and_the_coordinator_sees_the_seat(
    chromium,
    live_server,
):
    desk = new_page(chromium, live_server, lang="sv")
    phone = new_page(chromium, live_server, PHONE, lang="sv")

    # The coordinator plans an ABC group in Tigrinya on Tuesday evenings.
    log_in(desk, "farsta")
    browser.fill_new_group(desk, browser.next_tuesday(21))
    desk.click("text=Skapa grupp")
    desk.wait_for_url("**/coordinator/groups?done=created*")
    notice = desk.text_content(".notice")
    group_id = re.search(r"Grupp (\d+)", notice or "").group(1)
    screenshot(desk, "01-coordinator-group-created")

    # A parent finds the programme on a phone and applies.
    phone.goto("/")
    phone.fill("#field-age", "6")
    phone.check("#field-purpose-everyday")
    phone.click("text=Visa program")
    phone.wait_for_url("**/?age=6*")
    screenshot(phone, "02-parent-chooses-programme")
    phone.click("a[href='/apply/abc']")
    phone.wait_for_url("**/apply/abc")
    phone.select_option("#field-district", "farsta")
    phone.fill("#field-child_birth", "2020-03")
    phone.check("#field-languages-ti")
    phone.check("#field-slots-evening")
    phone.check("#field-cross_district-no")
    screenshot(phone, "03-parent-apply-form")
    phone.click("main >> text=Ställ dig i kö")  # (the header's hidden default button has it too)
    phone.wait_for_url("**/status/**")
    application_id = phone.text_content("#application-number").strip()
    assert phone.is_visible(".status-link")
    status_url = phone.url.split("?")[0]
    screenshot(phone, "04-parent-in-the-queue")

    # The coordinator previews a round: the parent is offered a seat in the new group.
    desk.goto("/coordinator/round")
    desk.click("text=Förhandsvisa en omgång")
    desk.wait_for_url(re.compile(r".*/coordinator/round/\d+$"))
    row = desk.locator(f"#proposed-{application_id}")
    assert row.count() == 1, re.findall(rf"<li>#{application_id}:[^<]*", desk.content())
    assert f"#{group_id}" in row.text_content()
    screenshot(desk, "coordinator-round-preview", docs=True)
    desk.click("button:has-text('Genomför och skicka')")
    desk.wait_for_url("**?done=committed")
    assert "Omgången är genomförd" in desk.text_content(".notice")
    screenshot(desk, "05-coordinator-round-committed")

    # The parent sees the offer with its reason and accepts it.
    phone.goto(status_url)
    offer = phone.text_content("#offer-title + dl")
    assert "Farsta" in offer and "tigrinja" in offer
    # The reason states the facts, the place in the queue too, in Swedish: no "among the first".
    reason = phone.text_content("#offer-reason") or ""
    assert re.search(r"Har väntat \d+ veck(a|or), plats \d+ i kön till ABC", reason), reason
    assert "bland de första" not in phone.content()
    screenshot(phone, "parent-status-page", docs=True)
    phone.click("text=Ja, jag tackar ja till platsen")
    phone.wait_for_url("**?done=accepted")
    assert "Din plats är bokad" in phone.text_content(".notice")
    assert "Farsta" in phone.text_content("#place-title + dl")
    screenshot(phone, "06-parent-accepted")

    # The coordinator sees the seat taken by an enrolled parent.
    desk.goto("/coordinator/groups")
    fill = desk.text_content(f"#group-{group_id}")
    assert re.search(r"\d+ av 10 tagna, 1 inskrivna", fill), fill
    screenshot(desk, "07-coordinator-sees-the-seat-taken")


def test_a_coordinator_accepts_a_group_start_recommendation(chromium, live_server):
    desk = new_page(chromium, live_server, lang="en")
    log_in(desk, "farsta")
    desk.goto("/coordinator/recommendations")
    wait_for_recommendations(desk)
    accept = desk.locator("button:has-text('Accept: create this group')").first
    card = desk.locator("li.card", has=accept).first
    title = card.locator("h3").text_content()
    assert "→" in card.text_content()  # the effect on waits is shown
    screenshot(desk, "08-coordinator-recommendations")
    accept.click()
    desk.wait_for_url("**/coordinator/groups?done=recommended*")
    notice = desk.text_content(".notice")
    group_id = re.search(r"Group (\d+) was created with the recommended leader", notice)
    assert group_id and "next placement round" in notice, notice
    row = desk.text_content(f"#group-{group_id.group(1)}")
    assert "Recruiting" in row and title.split(",")[0] in row
