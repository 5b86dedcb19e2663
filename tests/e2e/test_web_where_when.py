"""Where and when, in a real browser, in Swedish and English, on a phone and a desk: a
coordinator adds a venue and a group meeting there; a parent who opted in to other districts
sees the districts within their travel time and from which week offers there can come; after a
round, the offer says where, when, how many meetings and whom to ask, and its meetings come as
a calendar file. Every page axe clean."""

from __future__ import annotations

import re

import icalendar
import pytest

from tests.support.browser import (
    DESK,
    PHONE,
    fill_new_group,
    log_in,
    new_page,
    next_tuesday,
    screenshot,
    serious_violations,
)

pytestmark = pytest.mark.browser

CASES = [
    pytest.param("sv", PHONE, "skarpnack", id="sv-phone"),
    pytest.param("en", PHONE, "alvsjo", id="en-phone"),
    pytest.param("sv", DESK, "bromma", id="sv-desk"),
    pytest.param("en", DESK, "skarholmen", id="en-desk"),
]
WORDS = {
    "sv": {"time": "17.30–19.30", "every": "Varje tisdag", "meetings": "6 träffar"},
    "en": {"time": "17:30–19:30", "every": "Every Tuesday", "meetings": "6 meetings"},
}
WEEK = {"sv": "vecka 9", "en": "week 9"}  # cross-district offers after 8 weeks


@pytest.mark.parametrize(("lang", "viewport", "district"), CASES)
def test_the_offer_says_where_when_and_whom_to_ask_and_the_status_page_shows_reach(
    chromium, live_server, lang, viewport, district
):
    words = WORDS[lang]
    desk = new_page(chromium, live_server, DESK, lang=lang)
    phone = new_page(chromium, live_server, viewport, lang=lang)
    for page in (desk, phone):  # rounds and the dashboard take their time on a loaded machine
        page.set_default_timeout(120_000)
    log_in(desk, district)

    # The coordinator adds a venue, then a group meeting there on Tuesday evenings.
    room = f"Testlokalen {district}, sal 3"
    desk.goto("/coordinator/venues")
    assert serious_violations(desk) == []
    desk.fill("#field-name", room)
    desk.fill("#field-address", "Provgatan 1, 123 45 Stockholm")
    desk.fill("#field-accessibility", "Hiss och hörslinga")
    desk.fill("#field-directions", "Buss 4, hållplats Provgatan")
    desk.click("form[action='/coordinator/venues'] button[type=submit]")
    desk.wait_for_url("**/coordinator/venues?done=created")
    assert room in desk.text_content("table")
    screenshot(desk, f"where-when-{lang}-venues")
    start = next_tuesday(21)
    fill_new_group(desk, start)
    desk.select_option("#field-venue_id", label=room)
    desk.fill("#field-time_start", "17:30")
    desk.fill("#field-time_end", "19:30")
    desk.fill("#field-meetings", "6")
    desk.fill("#field-leader_first_name", "Amira")
    desk.click("form[action='/coordinator/groups'] button[type=submit]")
    desk.wait_for_url("**/coordinator/groups?done=created*")
    group_id = re.search(r"(\d+)", desk.text_content(".notice") or "").group(1)
    row = desk.text_content(f"#group-{group_id}")
    assert words["time"] in row and room in row and "Amira" in row, row

    # A parent applies, opting in to other districts within 30 minutes.
    phone.goto("/apply/abc")
    phone.select_option("#field-district", district)
    phone.fill("#field-child_birth", "2020-03")
    phone.check("#field-languages-ti")
    phone.check("#field-slots-evening")
    phone.check("#field-cross_district-yes")
    phone.select_option("#field-max_travel_minutes", "30")
    phone.click("form[action='/apply/abc'] button[type=submit]:not(.secondary)")
    phone.wait_for_url("**/status/**")
    status_url = phone.url.split("?")[0]
    application_id = phone.text_content("#application-number").strip()
    reach = phone.text_content("#elsewhere-caption + thead + tbody")
    assert reach and re.search(r"\d+ min", reach), "no districts within the travel time"
    assert WEEK[lang] in phone.text_content("#cross-district-from")
    assert serious_violations(phone) == []
    screenshot(phone, f"where-when-{lang}-{viewport['width']}-reach")

    # The coordinator's round offers the parent a seat in the new group.
    desk.goto("/coordinator/round")
    desk.click("form[action='/coordinator/round'] button[type=submit]")
    desk.wait_for_url(re.compile(r".*/coordinator/round/\d+$"))
    assert f"#{group_id}" in desk.locator(f"#proposed-{application_id}").text_content()
    desk.click("form[action$='/commit'] button[type=submit]")
    desk.wait_for_url("**?done=committed")

    # The offer says where, when, how many meetings, whom to ask; before the group starts.
    phone.goto(status_url)
    card = phone.text_content("#offer-title ~ dl.where-when")
    for expected in (room, "Provgatan 1", "Hiss och hörslinga", words["every"], words["time"],
                     words["meetings"], "Amira", "08-465 004"):  # fmt: skip
        assert expected in card, (expected, card)
    assert serious_violations(phone) == []
    screenshot(phone, f"where-when-{lang}-{viewport['width']}-offer")
    calendar = phone.request.get(f"{status_url}/meetings.ics")
    assert calendar.status == 200
    assert calendar.headers["content-type"].startswith("text/calendar")
    events = list(icalendar.Calendar.from_ical(calendar.body()).walk("VEVENT"))
    assert len(events) == 6
    first = events[0].decoded("dtstart")
    assert first.date() == start and (first.hour, first.minute) == (17, 30)
    assert str(first.tzinfo) == "Europe/Stockholm"
    assert room in str(events[0]["location"])
