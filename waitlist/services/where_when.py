"""Where and when a group meets, as a parent needs it: venue, time of day, the dates of the
meetings, whom to contact, the leader's first name. Read by the status page, the notices, the
coordinator's views and the calendar file (waitlist.services.calendar_file).

    where_and_when(uow, group_id) -> WhereAndWhen
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from waitlist.domain.errors import NotFound
from waitlist.domain.schedule import group_times, meeting_dates
from waitlist.holidays import holidays
from waitlist.services import lookups
from waitlist.storage.tables import District, Group, Programme, Venue
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class Place:
    name: str
    address: str
    accessibility: str = ""
    directions: str = ""


@dataclass(frozen=True)
class WhereAndWhen:
    group_id: int
    programme: str
    programme_name: str
    district: str
    district_name: str
    language: str
    time_start: str  # 'HH:MM'
    time_end: str
    meetings: tuple[date, ...]
    venue: Place | None = None
    phone: str | None = None
    email: str | None = None
    leader_first_name: str | None = None

    @property
    def first(self) -> date:
        return self.meetings[0]

    @property
    def last(self) -> date:
        return self.meetings[-1]


def of_group(session: Session, group: Group) -> WhereAndWhen:
    """Inside an open session: the group's where and when."""
    prog = session.get(Programme, group.programme)
    district = session.get(District, group.district)
    venue = session.get(Venue, group.venue_id) if group.venue_id is not None else None
    start, end = group_times(group.slot, group.time_start, group.time_end)
    count = group.meetings or (prog.sessions if prog else None) or 1
    return WhereAndWhen(
        group_id=group.id or 0,
        programme=group.programme,
        programme_name=prog.name if prog else group.programme,
        district=group.district,
        district_name=district.name if district else group.district,
        language=group.language,
        time_start=start,
        time_end=end,
        meetings=tuple(meeting_dates(group.start, group.weekday, count, holidays())),
        venue=Place(venue.name, venue.address, venue.accessibility, venue.directions)
        if venue is not None
        else None,
        phone=district.contact_phone if district else None,
        email=district.contact_email if district else None,
        leader_first_name=group.leader_first_name,
    )


def where_and_when(uow: UnitOfWork, group_id: int) -> WhereAndWhen:
    with uow:
        group = lookups.by_id(uow, Group, group_id)
        if group is None:
            raise NotFound(f"There is no group {group_id}.", field="group")
        return of_group(uow.session, group)
