"""The coordinator's workspace pages over HTTP (the app in-process, no browser): the search
box, a queue's members with filters, every pending offer page by page, the district's queue
as CSV and Excel, removing an offer from a preview, and the group form's rules in words."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

import pytest

from api.web import coordinator_queues
from tests.support.api import (
    CSRF,
    HOME,
    OTHER,
    api_client,
    application_body,
    apply,
    build_city,
    form_login,
)
from waitlist.services import offers


def _log_in(client, username: str = "coord-home") -> None:
    form_login(client, "/coordinator", username)


@pytest.fixture
def city(tmp_path):
    built = build_city(f"sqlite:///{tmp_path / 'waitlist.db'}")
    yield built
    built.engine.dispose()


@pytest.fixture
def desk(city):
    client = api_client(city)
    client.cookies.set("lang", "en")
    _log_in(client)
    return client


def _errors(page: str) -> dict[str, str]:
    """Each field's message, without the prefix only screen readers hear."""
    found = re.findall(r'<p class="field-error" id="error-([a-z_]+)">(.*?)</p>', page, re.S)
    shown = (re.sub(r'<span class="visually-hidden">.*?</span>', "", t) for _, t in found)
    return {n: re.sub(r"<[^>]+>", "", t).strip() for (n, _), t in zip(found, shown, strict=True)}


def test_every_coordinator_page_has_the_search_box(desk):
    for path in ("/coordinator", "/coordinator/groups", "/coordinator/round"):
        assert 'action="/coordinator/find"' in desk.get(path).text


def test_the_search_finds_an_own_application_and_not_another_districts(desk, city):
    mine, _ = apply(desk, HOME)
    theirs, _ = apply(desk, OTHER)
    found = desk.get("/coordinator/find", params={"number": mine})
    assert found.status_code == 200
    assert f"Application #{mine}" in found.text and "Place in the queue" in found.text
    other = desk.get("/coordinator/find", params={"number": theirs})
    missing = desk.get("/coordinator/find", params={"number": 987654})
    assert other.status_code == missing.status_code == 404
    assert _errors(other.text)["number"].replace(str(theirs), "N") == _errors(missing.text)[
        "number"
    ].replace("987654", "N")
    bad = desk.get("/coordinator/find", params={"number": "12a"})
    assert bad.status_code == 422 and "number" in _errors(bad.text)


def test_a_queue_page_lists_its_members_filtered_by_plain_parameters(desk, city):
    swedish, _ = apply(desk, HOME)
    response = desk.post(
        "/api/v1/applications",
        json={
            "programme": "komet",
            "district": HOME,
            "child_birth": f"{date.today().year - 6}-03",
            "languages": ["ar"],
            "cross_district": False,
        },
    )
    arabic = response.json()["application"]["id"]
    everyone = desk.get("/coordinator/queues/komet")
    assert f'id="member-{swedish}"' in everyone.text and f'id="member-{arabic}"' in everyone.text
    only = desk.get("/coordinator/queues/komet", params={"language": "ar"})
    assert f'id="member-{arabic}"' in only.text and f'id="member-{swedish}"' not in only.text
    assert "1 waiting parent matches" in only.text
    bad = desk.get("/coordinator/queues/komet", params={"sort": "lottery"})
    assert bad.status_code == 422 and "sort" in _errors(bad.text)
    assert desk.get("/coordinator/queues/yoga").status_code == 404


def test_every_pending_offer_is_listed_page_by_page_soonest_deadline_first(desk, city, monkeypatch):
    monkeypatch.setattr(coordinator_queues, "OFFERS_PER_PAGE", 2)
    apps = [apply(desk, HOME)[0] for _ in range(3)]
    for app in apps:
        offers.make_offer(city.uow(), app, city.groups["home"])
    first = desk.get("/coordinator/offers")
    second = desk.get("/coordinator/offers", params={"page": 2})
    assert "Page 1 of 2" in first.text and "Page 2 of 2" in second.text
    rows = re.findall(r"find\?number=(\d+)", first.text + second.text)
    assert sorted(map(int, rows)) == sorted(apps)
    assert 'rel="next"' in first.text and 'rel="prev"' in second.text
    assert "Komet, Farsta" in first.text  # each offer's group: programme, district, start


def _csv(client, lang: str) -> list[list[str]]:
    client.cookies.set("lang", lang)
    response = client.get("/coordinator/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_district_download_holds_only_its_own_queue_in_the_readers_language(desk, city):
    mine, _ = apply(desk, HOME)
    theirs, _ = apply(desk, OTHER)
    english = _csv(desk, "en")
    assert english[0][:4] == ["District", "Programme", "Place in the queue", "Application"]
    assert [row[3] for row in english[1:]] == [str(mine)]
    assert english[1][0] == "Farsta" and english[1][1] == "Komet"
    assert float(english[1][5]) == 0.0  # weeks waiting
    swedish = _csv(desk, "sv")
    assert swedish[0] != english[0] and swedish[1][0] == "Farsta"

    from openpyxl import load_workbook

    desk.cookies.set("lang", "en")
    book = load_workbook(io.BytesIO(desk.get("/coordinator/export.xlsx").content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "District" and rows[1][3] == mine

    other = api_client(city)
    _log_in(other, "coord-other")
    other.cookies.set("lang", "en")
    assert [row[3] for row in _csv(other, "en")[1:]] == [str(theirs)]


def test_removing_an_offer_from_a_preview_says_so_and_keeps_the_parent_waiting(desk, city):
    apps = [apply(desk, HOME)[0] for _ in range(2)]
    token = CSRF.search(desk.get("/coordinator/round").text).group(1)
    preview = desk.post("/coordinator/round", data={"csrf_token": token}, follow_redirects=True)
    for app in apps:
        assert f'id="proposed-{app}"' in preview.text
    again = desk.post(
        preview.url.path + "/drop",
        data={"csrf_token": token, "application": str(apps[0])},
        follow_redirects=True,
    )
    assert again.status_code == 200 and again.url.path != preview.url.path
    assert f'id="proposed-{apps[0]}"' not in again.text and f'id="proposed-{apps[1]}"' in again.text
    assert "1 removed by you" in again.text
    found = desk.get("/coordinator/find", params={"number": apps[0]})
    assert "Waiting" in found.text and "Place in the queue" in found.text
    stale = desk.post(
        preview.url.path + "/drop", data={"csrf_token": token, "application": str(apps[1])}
    )
    assert stale.status_code == 409


def _create(client, **changes: str):
    token = CSRF.search(client.get("/coordinator/groups").text).group(1)
    start = date.today() + timedelta(days=14)
    data = {
        "csrf_token": token,
        "programme": "komet",
        "start": start.isoformat(),
        "weekday": "",
        "slot": "evening",
        "language": "sv",
        "capacity": "12",
        "min_size": "6",
    } | changes
    return client.post("/coordinator/groups", data=data)


def test_the_group_form_names_a_wrong_weekday_a_past_start_and_the_seat_limit(desk):
    start = date.today() + timedelta(days=14)
    wrong = ("tue", "wed")[start.weekday() == 1]
    weekday = _create(desk, weekday=wrong)
    assert weekday.status_code == 422
    assert set(_errors(weekday.text)) == {"weekday"}
    assert start.isoformat() in _errors(weekday.text)["weekday"]
    past = _create(desk, start=(date.today() - timedelta(days=1)).isoformat())
    assert set(_errors(past.text)) == {"start"} and "past" in _errors(past.text)["start"]
    seats = _create(desk, capacity="13")
    assert _errors(seats.text) == {"capacity": "A Komet group has at most 12 places."}
    made = _create(desk)
    assert "done=created" in str(made.url)


def test_start_is_offered_only_to_a_group_that_can_start_and_otherwise_the_reason(desk, city):
    page = desk.get("/coordinator/groups").text
    home = city.groups["home"]
    assert f"/coordinator/groups/{home}/start" not in page
    assert f'id="why-not-start-{home}"' in page
    assert "Accepted a place so far: 0. At least 2 are needed to start." in page
    for app in [apply(desk, HOME)[0] for _ in range(2)]:
        offer = offers.make_offer(city.uow(), app, home)
        offers.accept_offer(city.uow(), offer.id)
    assert f"/coordinator/groups/{home}/start" in desk.get("/coordinator/groups").text


def _komet_row(page: str) -> str:
    table = page[page.index('id="needs-title"') : page.index('id="create-title"')]
    return re.sub(r"\s+", " ", table[table.index(">Komet<") :].split("</tr>")[0])


def test_the_groups_page_says_what_the_queue_needs_and_fills_the_form_with_it(desk, city):
    for _ in range(6):  # Arabic only, days only: the district's Swedish evening group fits none
        body = {"languages": ["ar"], "slots": ["day"], "cross_district": False}
        response = desk.post("/api/v1/applications", json=application_body(HOME, **body))
        assert response.status_code == 201, response.text
    apply(desk, HOME)  # Swedish, evenings: a seat in the open group is in sight
    row = _komet_row(desk.get("/coordinator/groups").text)
    # Waiting, with no seat in sight, who can come when, and the group that would seat them.
    assert re.search(r'<td class="num">7</td> <td class="num">6</td> <td>Daytime: 6</td>', row)
    assert "Daytime, in Arabic" in row and "6 parents can take only this language" in row
    form = desk.get("/coordinator/groups", params={"from_queue": "komet"}).text
    assert '<option value="day" selected>' in form and '<option value="ar" selected>' in form
    assert re.search(r'name="min_size"[^>]*value="6"', form)  # Komet's minimum, not a guess
    desk.cookies.set("lang", "sv")
    row = _komet_row(desk.get("/coordinator/groups").text)
    assert "Dagtid, på arabiska" in row and "6 föräldrar kan bara delta på det här språket" in row
    # An unknown programme in the link fills nothing in and breaks nothing.
    plain = desk.get("/coordinator/groups", params={"from_queue": "<x>"})
    assert plain.status_code == 200 and '<option value="ar" selected>' not in plain.text
