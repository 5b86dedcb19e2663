"""Importing a queue on the coordinator's pages (HTTP, no browser): checking a file lists
the rows with problems and changes nothing, importing stores the valid rows in the
coordinator's district, a missing or unreadable file is named next to the field."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.support.api import CSRF, HOME, api_client, build_city, form_login
from waitlist.storage.tables import Application
from waitlist.storage.uow import UnitOfWork

SHEET = (
    "external_id;programme;queue_date;child_birth;languages;cross_district\n"
    "A-1;komet;2025-10-01;2019-05;sv;nej\n"
    "A-2;komet;1 oktober;2019-05;sv;nej\n"
)


@pytest.fixture
def desk(tmp_path):
    city = build_city(f"sqlite:///{tmp_path / 'waitlist.db'}")
    client = api_client(city)
    form_login(client, "/coordinator", "coord-home")
    yield client, city
    city.engine.dispose()


def _send(client, mode: str, content: bytes = SHEET.encode(), name: str = "queue.csv"):
    token = CSRF.search(client.get("/coordinator/import").text).group(1)
    return client.post(
        "/coordinator/import",
        data={"csrf_token": token, "mode": mode},
        files={"file": (name, content, "text/csv")},
    )


def _imported(city) -> list[tuple[str | None, str]]:
    with UnitOfWork(city.engine, readonly=True) as uow:
        return [(a.external_id, a.district) for a in uow.session.exec(select(Application))]


def test_checking_lists_the_rows_with_problems_and_changes_nothing(desk):
    client, city = desk
    page = _send(client, "check")
    assert page.status_code == 200, page.text
    assert "Inget har ändrats" in page.text  # Swedish by default
    assert re.search(r"<td>3</td><td>queue_date</td>", page.text)
    assert _imported(city) == []


def test_importing_stores_the_valid_rows_in_the_coordinators_district(desk):
    client, city = desk
    page = _send(client, "import")
    assert page.status_code == 200, page.text
    assert _imported(city) == [("A-1", HOME)]
    assert _send(client, "import").status_code == 200
    assert _imported(city) == [("A-1", HOME)]  # the same file again changes nothing


def test_a_file_that_is_not_a_spreadsheet_is_named_next_to_the_field(desk):
    client, city = desk
    page = _send(client, "import", b"hello", "notes.txt")
    assert page.status_code == 422
    assert 'id="error-file"' in page.text and ".xlsx" in page.text
    assert _imported(city) == []
