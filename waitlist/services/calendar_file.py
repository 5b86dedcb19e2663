"""A group's meetings as an iCalendar file (RFC 5545), for a parent's calendar: one event per
meeting in the Europe/Stockholm time zone, with the venue as location and the district's
contact in the description, in the parent's language. Downloaded from the status page, and
attached to the offer's e-mail (registered in waitlist.services.notice_texts.ATTACHMENTS).

    meetings_ics(where, *, lang, stamp) -> bytes
    offer_calendar(session, payload, language) -> [Attachment]  (the offer mail's file)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal
from icalendar import Calendar, Event
from sqlmodel import Session

from waitlist.services.notice_texts import ATTACHMENTS, Attachment
from waitlist.services.where_when import WhereAndWhen, of_group
from waitlist.storage.tables import Group
from waitlist.translations import Gettext, gettext_for

ZONE = "Europe/Stockholm"
MEDIA_TYPE = "text/calendar; charset=utf-8"


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _description(where: WhereAndWhen, _: Gettext) -> str:
    lines = []
    if where.leader_first_name:
        lines.append(f"{_('Group leader')}: {where.leader_first_name}")
    contact = ", ".join(c for c in (where.phone, where.email) if c)
    if contact:
        lines.append(f"{_('Contact')}: {where.district_name}, {contact}")
    if where.venue and where.venue.accessibility:
        lines.append(f"{_('Accessibility')}: {where.venue.accessibility}")
    if where.venue and where.venue.directions:
        lines.append(f"{_('Getting there')}: {where.venue.directions}")
    return "\n".join(lines)


def meetings_ics(where: WhereAndWhen, *, lang: str = "sv", stamp: datetime | None = None) -> bytes:
    """The calendar file: equal input and stamp, equal bytes (UIDs name group and meeting)."""
    _ = gettext_for(lang)
    zone = ZoneInfo(ZONE)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", "-//waitlist//group meetings//" + lang.upper())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", where.programme_name)
    cal.add("x-wr-timezone", ZONE)
    location = f"{where.venue.name}, {where.venue.address}" if where.venue else where.district_name
    description = _description(where, _)
    count = len(where.meetings)
    for number, day in enumerate(where.meetings, start=1):
        event = Event()
        event.add("uid", f"group-{where.group_id}-meeting-{number}@waitlist")
        event.add("dtstamp", stamp)
        event.add("dtstart", datetime.combine(day, _clock(where.time_start), zone))
        event.add("dtend", datetime.combine(day, _clock(where.time_end), zone))
        summary = _("%(programme)s, meeting %(number)s of %(count)s") % {
            "programme": where.programme_name,
            "number": format_decimal(number, locale=lang),
            "count": format_decimal(count, locale=lang),
        }
        event.add("summary", summary)
        event.add("location", location)
        if description:
            event.add("description", description)
        cal.add_component(event)
    first, last = where.meetings[0], where.meetings[-1]
    cal.add_missing_timezones(
        first_date=date(first.year, 1, 1), last_date=date(last.year + 1, 1, 1)
    )
    return cal.to_ical()


def offer_calendar(session: Session, payload: dict[str, Any], language: str) -> list[Attachment]:
    """The offered group's meetings, for the offer's e-mail (none if the group is gone)."""
    group_id = payload.get("group_id")
    group = session.get(Group, group_id) if isinstance(group_id, int) else None
    if group is None:
        return []
    data = meetings_ics(of_group(session, group), lang=language)
    return [Attachment("meetings.ics", "text/calendar", data)]


ATTACHMENTS["offer_made"] = offer_calendar
