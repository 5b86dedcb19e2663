"""Importing a district's existing queue (SQLite and PostgreSQL): rows are read as people type
them, checked with the rules of applying, stored with their queue dates in one transaction;
a dry run changes nothing, --strict stores nothing unless every row is valid, and importing
the same rows again changes nothing."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import select

from tests.support.foundation import World, new_world
from waitlist.services.imports import import_applications
from waitlist.storage.tables import Application, Event


@pytest.fixture
def world(database_url) -> World:
    w = new_world(database_url)
    yield w
    w.engine.dispose()


def _row(external_id: str, **overrides) -> dict:
    row = {
        "external_id": external_id,
        "programme": "Komet",
        "queue_date": "2025-11-03",
        "child_birth": "2019-05",
        "languages": "sv; en",
        "slots": "evening",
        "cross_district": "ja",
        "max_travel_minutes": "30",
        "contact": "",
    }
    return row | overrides


def _sheet() -> list[tuple[int, dict]]:
    rows = [
        _row("F-1"),
        _row("F-2", queue_date=datetime(2025, 6, 1), cross_district="nej", languages="sv"),
        _row("F-3", queue_date="03/11/2025"),  # not a date
        _row("F-4", child_birth="2001-01"),  # too old for Komet
        _row("F-5", programme="no-such"),
        _row("F-1"),  # the same id twice
        _row("F-6", cross_district="kanske"),
        _row("F-7", child_birth=date(2020, 2, 14), slots="", cross_district="1"),
    ]
    return list(enumerate(rows, start=2))


def _applications(world: World) -> list[Application]:
    with world.uow(readonly=True) as uow:
        return list(uow.session.exec(select(Application).order_by(Application.id)))


def test_a_dry_run_names_every_bad_row_and_changes_nothing(world):
    report = import_applications(world.uow(), "farsta", _sheet(), dry_run=True)
    assert [(p.row, p.field) for p in report.problems] == [
        (4, "queue_date"),
        (5, "child_birth"),
        (6, "programme"),
        (7, "external_id"),
        (8, "cross_district"),
    ]
    assert report.new == 3 and report.stored == 0
    assert _applications(world) == []


def test_an_import_stores_the_valid_rows_with_their_queue_dates(world):
    report = import_applications(world.uow(actor="cli"), "farsta", _sheet())
    assert report.stored == 3 and len(report.problems) == 5
    stored = {a.external_id: a for a in _applications(world)}
    assert sorted(stored) == ["F-1", "F-2", "F-7"]
    assert stored["F-1"].queue_date == date(2025, 11, 3)
    assert stored["F-2"].queue_date == date(2025, 6, 1) and not stored["F-2"].cross_district
    assert stored["F-1"].languages == ["sv", "en"] and stored["F-1"].max_travel_minutes == 30
    assert stored["F-7"].child_birth == "2020-02" and stored["F-7"].cross_district
    assert {a.district for a in stored.values()} == {"farsta"}
    with world.uow(readonly=True) as uow:
        events = list(uow.session.exec(select(Event).where(Event.entity == "import")))
    assert [(e.action, e.after) for e in events] == [
        ("applications_imported", {"stored": 3, "unchanged": 0, "rejected": 5})
    ]


def test_importing_the_same_rows_again_changes_nothing(world):
    import_applications(world.uow(), "farsta", _sheet())
    before = [(a.id, a.queue_date, a.lottery) for a in _applications(world)]
    again = import_applications(world.uow(), "farsta", _sheet())
    assert again.stored == 0 and again.unchanged == 3
    assert [(a.id, a.queue_date, a.lottery) for a in _applications(world)] == before


def test_a_strict_import_stores_nothing_unless_every_row_is_valid(world):
    report = import_applications(world.uow(), "farsta", _sheet(), strict=True)
    assert report.stored == 0 and len(report.problems) == 5
    assert _applications(world) == []
    good = [(n, r) for n, r in _sheet() if n in (2, 3, 9)]
    assert import_applications(world.uow(), "farsta", good, strict=True).stored == 3


def test_the_same_external_id_in_another_district_is_another_application(world):
    import_applications(world.uow(), "farsta", _sheet()[:1])
    assert import_applications(world.uow(), "skarpnack", _sheet()[:1]).stored == 1
    assert len(_applications(world)) == 2
