"""Loading the reference data (districts, travel minutes, programmes) into the database.

Idempotent: rows that exist are updated, missing ones added; nothing is deleted. Loading
data that changes what was stored before records one `reference_data_changed` event (what
is computed from the database, such as the kept recommendations, notices it by the event).
"""

from __future__ import annotations

from sqlmodel import select

from waitlist.reference import ReferenceData, load_reference
from waitlist.storage.tables import District, Programme, Travel
from waitlist.storage.uow import UnitOfWork


def _load(uow: UnitOfWork, data: ReferenceData) -> bool:
    """Store `data`; whether it changed rows that were stored before."""
    s = uow.session
    # The rows already stored, read with one query per table (not one per row).
    districts = {row.slug: row for row in s.exec(select(District)).all()}
    travels = {(row.origin, row.destination): row for row in s.exec(select(Travel)).all()}
    programmes = {row.slug: row for row in s.exec(select(Programme)).all()}
    for info in data.districts:
        row = districts.get(info.district.slug) or District(slug=info.district.slug, name="")
        row.name = info.district.name
        row.lat, row.lon = info.lat, info.lon
        row.population, row.children_0_17 = info.population, info.children_0_17
        s.add(row)
    changed = _pending(uow)
    s.flush()
    for origin, row_minutes in data.travel_minutes.items():
        for destination, minutes in row_minutes.items():
            if origin == destination:
                continue
            travel = travels.get((origin, destination))
            if travel is None:
                travel = Travel(origin=origin, destination=destination, minutes=minutes)
            travel.minutes = minutes
            s.add(travel)
    for p in data.programmes:
        prog = programmes.get(p.slug) or Programme(
            slug=p.slug,
            name="",
            kind="",
            child_age_min=0,
            child_age_max=0,
            capacity=1,
            min_size=1,
        )
        prog.name, prog.kind = p.name, p.kind.value
        prog.child_age_min, prog.child_age_max = p.child_age_min, p.child_age_max
        prog.capacity, prog.min_size = p.capacity, p.min_size
        prog.sessions, prog.weeks = p.sessions, p.weeks
        prog.languages = list(p.languages)
        s.add(prog)
    stored_before = bool(districts or travels or programmes)
    changed = _pending(uow) or changed
    s.flush()
    return stored_before and changed


def _pending(uow: UnitOfWork) -> bool:
    """Whether the session holds rows to add or stored rows with changed values."""
    s = uow.session
    return bool(s.new) or any(s.is_modified(row) for row in s.dirty)


def load_reference_data(uow: UnitOfWork, data: ReferenceData | None = None) -> None:
    with uow:
        if _load(uow, data or load_reference()):
            uow.record("reference", "", "reference_data_changed")
        uow.commit()
