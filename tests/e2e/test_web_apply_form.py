"""The apply form in the gov.uk pattern: each error names its field and links to it, the
language switch and "show districts within reach" post the form back and keep what was typed,
nothing personal ever goes into a URL, and the same application sent twice from one browser
is made once."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote_plus

import httpx
import pytest

from tests.support.browser import DESK, PHONE, new_page, screenshot, serious_violations

pytestmark = pytest.mark.browser

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
GOOD = {
    "district": "farsta",
    "child_birth": "2019-05",
    "languages": ["sv"],
    "slots": ["evening"],
    "cross_district": "yes",
    "max_travel_minutes": "30",
}


def _post(client: httpx.Client, data: dict, path: str = "/apply/komet") -> httpx.Response:
    token = TOKEN.search(client.get("/apply/komet").text)
    assert token
    return client.post(path, data={"csrf_token": token.group(1), **data})


def _errors(page: str) -> dict[str, str]:
    found = re.findall(r'<p class="field-error" id="error-([a-z_]+)">(.*?)</p>', page, re.S)
    texts = {name: html.unescape(re.sub(r"<[^>]+>", "", text)).strip() for name, text in found}
    return {name: re.sub(r"^(Error|Fel):\s*", "", text) for name, text in texts.items()}


def _summary_links(page: str) -> list[tuple[str, str]]:
    box = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert box, "no error summary"
    return re.findall(r'<a href="#([^"]+)">(.*?)</a>', box.group(0), re.S)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_empty_apply_form_says_what_is_missing_in_each_field_and_links_to_it(client, lang):
    client.cookies.set("lang", lang)
    response = _post(client, {"action": "apply"})
    assert response.status_code == 422
    errors = _errors(response.text)
    assert set(errors) == {"district", "child_birth", "languages", "cross_district"}
    assert len(set(errors.values())) == len(errors), errors  # no message said twice
    words = {
        "sv": ("stadsdel", "födelseår", "språk", "annan stadsdel"),
        "en": ("district", "birth", "language", "another district"),
    }
    fields = ("district", "child_birth", "languages", "cross_district")
    for field, word in zip(fields, words[lang], strict=True):
        assert word in errors[field].lower(), errors[field]
    links = _summary_links(response.text)
    assert [html.unescape(text) for _, text in links] == [html.unescape(errors[f]) for f in errors]
    for anchor, _ in links:  # every link lands on an element of the page
        assert f'id="{anchor}"' in response.text, anchor


def test_showing_districts_in_reach_posts_the_form_and_keeps_what_was_typed(client, live_server):
    before = live_server.count("application")
    typed = {**GOOD, "contact": "parent@example.se", "action": "reach"}
    response = _post(client, typed)
    assert response.status_code == 200
    assert 'value="parent@example.se"' in response.text
    assert 'value="2019-05"' in response.text
    assert 'id="reach-caption"' in response.text  # the districts and their waits
    assert _errors(response.text) == {}
    assert 'formmethod="get"' not in response.text
    assert live_server.count("application") == before


def test_the_language_switch_on_the_apply_form_keeps_what_was_typed(client, live_server):
    before = live_server.count("application")
    first = _post(client, {"child_birth": "2019-05", "contact": "0701234567", "action": "apply"})
    assert first.status_code == 422 and 'name="checked"' in first.text
    switched = _post(
        client,
        {"child_birth": "2019-05", "contact": "0701234567", "action": "language", "checked": "1"},
        path="/apply/komet?lang=sv",
    )
    assert '<html lang="sv" dir="ltr">' in switched.text
    assert 'value="0701234567"' in switched.text and 'value="2019-05"' in switched.text
    assert _errors(switched.text)["district"] == "Välj din stadsdel."  # errors, now in Swedish
    assert switched.cookies.get("lang") == "sv"
    # Before any error was shown, switching shows none.
    quiet = _post(client, {"contact": "0701234567", "action": "language"}, "/apply/komet?lang=en")
    assert quiet.status_code == 200 and _errors(quiet.text) == {}
    assert live_server.count("application") == before


def test_the_apply_page_reads_nothing_personal_from_its_address(client):
    page = client.get(
        "/apply/komet", params={"contact": "leak@example.se", "child_birth": "2019-05"}
    )
    assert "leak@example.se" not in page.text and 'value="2019-05"' not in page.text


def test_the_same_application_twice_from_one_browser_shows_the_first(client, live_server):
    before = live_server.count("application")
    data = {**GOOD, "slots": ["morning"], "contact": "twice@example.se", "action": "apply"}
    first = _post(client, data)
    assert first.status_code == 303
    again = _post(client, data)
    assert again.status_code == 303
    assert again.headers["location"].split("?")[0] == first.headers["location"].split("?")[0]
    shown = client.get(again.headers["location"])
    assert "a moment ago" in shown.text
    assert live_server.count("application") == before + 1
    # Other answers, or another browser, make another application as before.
    assert _post(client, {**data, "slots": ["day"]}).status_code == 303
    with httpx.Client(base_url=live_server.url, cookies={"lang": "en"}, timeout=120) as other:
        assert _post(other, data).status_code == 303
    assert live_server.count("application") == before + 3


def test_a_bad_age_is_not_counted_as_a_filter_in_the_heading(client):
    client.cookies.set("lang", "sv")
    page = client.get("/", params={"age": "fyra"})
    heading = re.search(r'<h2 id="results-title">(.*?)</h2>', page.text, re.S).group(1)
    assert "passar" in heading and not re.search(r"\d+ program", heading), heading


PERSONAL = ("2020-03", "walk@example.se", "walk%40example.se", "csrf", "wl_")


@pytest.mark.parametrize("screen", ["phone", "desktop"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_parent_corrects_errors_switches_language_and_applies(
    chromium, live_server, lang, screen
):
    page = new_page(chromium, live_server, PHONE if screen == "phone" else DESK, lang)
    visited: list[str] = []
    page.on("request", lambda r: visited.append(r.url))
    other = "en" if lang == "sv" else "sv"
    page.goto("/apply/abc")
    page.fill("#field-child_birth", "2020-03")
    page.fill("#field-contact", "walk@example.se")
    page.click("button[type=submit]:not(.secondary)")  # no district, no language
    page.wait_for_selector(".error-summary")
    links = page.locator(".error-summary a")
    assert links.count() == 2
    assert serious_violations(page) == []
    screenshot(page, f"apply-errors-{lang}-{screen}")
    links.first.click()  # the summary takes you to the field (wait: not instant under load)
    page.wait_for_function(
        "document.activeElement.id === 'field-district' || location.hash === '#field-district'"
    )

    page.click(".lang-switch")
    page.wait_for_function(f"document.documentElement.lang === '{other}'")
    assert page.input_value("#field-child_birth") == "2020-03"
    assert page.input_value("#field-contact") == "walk@example.se"
    assert page.locator(".error-summary a").count() == 2  # the same errors, other language
    assert serious_violations(page) == []

    page.select_option("#field-district", "farsta")
    page.check("#field-languages-sv")
    page.click("button.secondary[value=reach]")
    page.wait_for_selector("#reach-caption")
    assert page.input_value("#field-contact") == "walk@example.se"
    page.click("button[type=submit]:not(.secondary)")
    page.wait_for_url("**/status/**")
    assert page.get_attribute("html", "lang") == other
    assert page.is_visible("#application-number")
    assert serious_violations(page) == []
    screenshot(page, f"apply-corrected-{lang}-{screen}")
    # The status link is the one address with a secret in it, by design; nothing else is.
    for url in visited:
        if "/status/" in url:
            continue
        leaked = [p for p in PERSONAL if p in unquote_plus(url) or p in url]
        assert not leaked, (url, leaked)
