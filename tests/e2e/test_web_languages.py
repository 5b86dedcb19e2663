"""A parent in each of the six languages, on a phone and a desk: applies with errors, switches to
their language (what was typed is kept), corrects, applies, sees the status page and an offer.
Every page is axe clean, no text overflows its box, Arabic and Persian pages are laid out right
to left, and no address the browser asked for carries anything personal (checked from the log
of every request). One small city, served once for the whole module."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote_plus

import pytest
from sqlmodel import Session

from tests.support.api import Served, application_body, new_group, served_city
from tests.support.browser import DESK, PHONE, new_page, overflowing, screenshot, serious_violations
from tests.support.databases import fresh_database
from waitlist.domain.reasons import ReasonFacts, Rule
from waitlist.services import offers
from waitlist.storage.tables import Application

pytestmark = pytest.mark.browser

LANGUAGES = ("sv", "en", "ar", "fa", "so", "ti")
RIGHT_TO_LEFT = {"ar", "fa"}
OWN_NAMES = {
    "sv": "Svenska",
    "en": "English",
    "ar": "العربية",
    "fa": "فارسی",
    "so": "Soomaali",
    "ti": "ትግርኛ",
}
# Words each language's pages must say (so a page that fell back to English is caught).
SAYS = {
    "sv": ("Något behöver rättas", "Du har ett erbjudande"),
    "en": ("There is a problem", "You have an offer"),
    "ar": ("هناك مشكلة", "لديك عرض"),
    "fa": ("مشکلی وجود دارد", "شما پیشنهاد دارید"),
    "so": ("Dhibaato ayaa jirta", "Fursad ayaad leedahay"),
    "ti": ("ጸገም ኣሎ", "ዕድል ኣለኩም"),
}
BIRTH = f"{date.today().year - 6}-03"

# Where the page puts its start side: the brand (first in the header) against the language
# picker, the error stripe of a field, and the direction the body computes.
LAYOUT = """() => {
  const box = (selector) => document.querySelector(selector).getBoundingClientRect();
  const field = document.querySelector(".has-error");
  const style = field ? getComputedStyle(field) : null;
  return {
    direction: getComputedStyle(document.body).direction,
    brandRightOfPicker: box(".brand").left > box(".lang-list").left,
    stripe: style ? [style.borderLeftWidth, style.borderRightWidth] : null,
  };
}"""


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with fresh_database("sqlite", tmp_path_factory) as url, served_city(url) as served:
        yield served


@pytest.fixture(scope="module")
def group(city: Served) -> int:
    """A Komet group in the parents' district with a seat for every case below."""
    return new_group(city.city, capacity=2 * len(LANGUAGES))


@dataclass(frozen=True)
class _Server:  # what browser.new_page needs of a server
    url: str


def _check(page, lang: str, name: str) -> None:  # noqa: ANN001
    assert page.get_attribute("html", "lang") == lang
    assert serious_violations(page) == [], name
    assert overflowing(page) == [], name
    layout = page.evaluate(LAYOUT)
    if lang in RIGHT_TO_LEFT:
        assert page.get_attribute("html", "dir") == "rtl"
        assert layout["direction"] == "rtl" and layout["brandRightOfPicker"], (name, layout)
        if layout["stripe"]:
            assert layout["stripe"] == ["0px", "4px"], (name, layout)
    else:
        assert page.get_attribute("html", "dir") == "ltr"
        assert layout["direction"] == "ltr" and not layout["brandRightOfPicker"], (name, layout)
        if layout["stripe"]:
            assert layout["stripe"] == ["4px", "0px"], (name, layout)


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_parent_applies_and_gets_an_offer_in_their_own_language(
    chromium, city, group, lang, screen
):
    start = "en" if lang == "sv" else "sv"
    server = _Server(str(city.client.base_url))
    page = new_page(chromium, server, PHONE if screen == "phone" else DESK, start)
    visited: list[str] = []
    page.on("request", lambda r: visited.append(r.url))
    contact = f"walk.{lang}.{screen}@example.se"

    # Errors first, in another language.
    page.goto("/apply/komet")
    page.fill("#field-child_birth", BIRTH)
    page.fill("#field-contact", contact)
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_selector(".error-summary")
    csrf = page.input_value("input[name=csrf_token]")

    # The picker names each language in itself; the switch keeps what was typed and the errors.
    names = page.locator(".lang-switch").all_text_contents()
    assert sorted(n.strip() for n in names) == sorted(
        name for code, name in OWN_NAMES.items() if code != start
    )
    page.click(f".lang-switch[lang={lang}]")
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")
    assert page.input_value("#field-child_birth") == BIRTH
    assert page.input_value("#field-contact") == contact
    assert SAYS[lang][0] in page.text_content(".error-summary")
    _check(page, lang, "apply with errors")
    screenshot(page, f"languages-{lang}-{screen}-errors")

    # Corrected, sent: the status page in the same language.
    page.select_option("#field-district", "farsta")
    page.check("#field-languages-sv")
    page.check("#field-cross_district-no")
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_url("**/status/**")
    application_id = int(page.text_content("#application-number").strip())
    _check(page, lang, "status")
    with Session(city.city.engine) as session:
        app = session.get(Application, application_id)
        assert app is not None and app.notice_language == lang  # notices follow the choice

    # An offer, with its reason, in the parent's language.
    facts = ReasonFacts(
        programme="Komet",
        home="Farsta",
        weeks_waited=3,
        queue_place=17,
        rule=Rule.OWN_DISTRICT,
        group_start=date.today(),
    )
    offers.make_offer(city.city.uow(), application_id, group, facts=facts.to_dict())
    page.reload()
    page.wait_for_selector("#offer-title")
    assert SAYS[lang][1] in page.text_content("main")
    reason = page.text_content("#offer-reason") or ""
    assert re.search(r"\b3\b", reason) and re.search(r"\b17\b", reason), reason
    _check(page, lang, "offer")
    screenshot(page, f"languages-{lang}-{screen}-offer")

    # Nothing personal in any address the browser asked for.
    secrets = (BIRTH, contact, csrf, "csrf")
    assert len(visited) > 5
    for url in visited:
        assert not [s for s in secrets if s in unquote_plus(url) or s in url], url
    page.context.close()


def test_the_api_takes_a_notice_language_of_the_parents_pages_and_names_a_wrong_one(city):
    for lang in ("ar", "ti"):
        made = city.client.post("/api/v1/applications", json=application_body(notice_language=lang))
        assert made.status_code == 201, made.text
    wrong = city.client.post("/api/v1/applications", json=application_body(notice_language="xx"))
    assert wrong.status_code == 422, wrong.text
    assert wrong.json()["field"].removeprefix("body.") == "notice_language"


def test_a_parent_who_changes_their_contact_gets_notices_in_the_language_of_the_page(city):
    made = city.client.post("/api/v1/applications", json=application_body(notice_language="sv"))
    token, app_id = made.json()["status_token"], made.json()["application"]["id"]
    city.client.cookies.set("lang", "so")
    page = city.client.get(f"/status/{token}/withdraw")  # (a page with a form)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    changed = city.client.post(
        f"/status/{token}/contact", data={"csrf_token": csrf, "contact": "0701234567"}
    )
    assert changed.status_code == 303, changed.text
    with Session(city.city.engine) as session:
        app = session.get(Application, app_id)
        assert app is not None and app.notice_language == "so" and app.contact == "0701234567"
    city.client.cookies.delete("lang")
