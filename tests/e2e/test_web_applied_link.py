"""Right after applying on the web, the status page says where the personal link was also
sent, with the contact masked, or, without a contact, that the link must be saved now: in
Swedish and in English."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.support.api import api_client, build_city

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM = {
    "district": "farsta",
    "child_birth": f"{date.today().year - 6}-05",
    "languages": ["sv"],
    "slots": ["evening"],
    "cross_district": "no",
}


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    city = build_city(f"sqlite:///{tmp_path_factory.mktemp('db') / 'waitlist.db'}")
    yield city
    city.engine.dispose()


def _apply(city, lang: str, contact: str) -> tuple[TestClient, str]:  # noqa: ANN001
    """Apply through the form; the client (its language chosen) and the page shown after."""
    client = api_client(city)
    match = TOKEN.search(client.get(f"/apply/komet?lang={lang}").text)
    assert match
    response = client.post(
        "/apply/komet", data={"csrf_token": match.group(1), **FORM, "contact": contact}
    )
    assert response.status_code == 200, response.text
    assert response.url.query == b"new=applied"
    return client, response.text


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("sv", "Vi har också skickat länken till p***@example.se."),
        ("en", "We have also sent this link to p***@example.se."),
    ],
)
def test_the_page_after_applying_names_the_masked_e_mail_the_link_went_to(
    city,  # noqa: ANN001
    lang: str,
    sentence: str,
) -> None:
    _, page = _apply(city, lang, "parent.person@example.se")
    assert sentence in page
    assert "parent.person" not in page


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("sv", "Vi har också skickat länken till ******4567."),
        ("en", "We have also sent this link to ******4567."),
    ],
)
def test_a_phone_number_shows_only_its_last_four_digits(city, lang: str, sentence: str) -> None:  # noqa: ANN001
    _, page = _apply(city, lang, "070-123 45 67")
    assert sentence in page
    assert "070-123" not in page and "0701234567" not in page


@pytest.mark.parametrize(
    ("lang", "sentence", "not_sent"),
    [
        ("sv", "så länken har inte skickats till dig och kan inte skickas senare: spara den nu.",
         "Vi har också skickat"),
        ("en", "so this link has not been sent to you and cannot be sent later: save it now.",
         "We have also sent"),
    ],
)  # fmt: skip
def test_without_a_contact_the_page_says_to_save_the_link_now(
    city,  # noqa: ANN001
    lang: str,
    sentence: str,
    not_sent: str,
) -> None:
    _, page = _apply(city, lang, "")
    assert sentence in page and not_sent not in page


def test_a_replaced_link_is_not_said_to_have_been_sent(city) -> None:  # noqa: ANN001
    client, page = _apply(city, "en", "parent.person@example.se")
    status_path = re.search(r'href="https://testserver(/status/[^"?]+)"', page)
    assert status_path
    confirm = client.get(f"{status_path.group(1)}/new-link").text
    csrf = TOKEN.search(confirm)
    assert csrf
    fresh = client.post(f"{status_path.group(1)}/new-link", data={"csrf_token": csrf.group(1)})
    assert fresh.status_code == 200 and fresh.url.query == b"new=1"
    assert "Save this personal link" in fresh.text
    assert "We have also sent" not in fresh.text and 'id="link-sent"' not in fresh.text


def _post(client: TestClient, path: str) -> httpx.Response:
    csrf = TOKEN.search(client.get(path).text)
    assert csrf
    return client.post(path, data={"csrf_token": csrf.group(1)})


def test_a_parent_downloads_withdraws_and_erases_from_the_status_link(city) -> None:  # noqa: ANN001
    client, page = _apply(city, "en", "parent.person@example.se")
    status_path = re.search(r'href="https://testserver(/status/[^"?]+)"', page)
    assert status_path
    link = status_path.group(1)
    data = client.get(f"{link}/data.json")
    assert data.status_code == 200 and data.headers["Cache-Control"] == "no-store"
    assert "attachment" in data.headers["Content-Disposition"]
    withdrawn = _post(client, f"{link}/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.url.query == b"done=withdrawn"
    erased = _post(client, f"{link}/erase")
    assert erased.status_code == 200
    # the link is gone with the data
    assert client.get(f"{link}/data.json").status_code == 404
