"""The words of the queue pages and the queue download, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from babel.dates import format_date

from api.web import catalogue, wording
from waitlist.services.queue_members import AgeFit, QueueMember

SLOTS = wording.SLOTS
Cell = str | int | float | None


class Words:
    def __init__(self, gettext: Callable[[str], str], lang: str) -> None:
        self._ = gettext
        self.lang = lang
        self.sheet_title = gettext("Queue")

    def day(self, value: date | None) -> str:
        return "" if value is None else format_date(value, format="medium", locale=self.lang)

    def status(self, status: str) -> str:
        _ = self._
        names = {
            "waiting": _("Waiting"),
            "offered": _("Has an offer"),
            "enrolled": _("Enrolled in a group"),
            "completed": _("Completed"),
            "withdrawn": _("Withdrawn"),
        }
        return names.get(status, status)

    def age_fit(self, member: QueueMember) -> str:
        _ = self._
        if member.age_fit == AgeFit.TOO_YOUNG:
            return _("Too young until %(day)s") % {"day": self.day(member.fits_from)}
        if member.age_fit == AgeFit.TOO_OLD:
            return _("Too old for the programme")
        return _("Fits")

    def age_fit_options(self) -> list[tuple[str, str]]:
        _ = self._
        return [
            (AgeFit.FITS.value, _("Fits")),
            (AgeFit.TOO_YOUNG.value, _("Too young yet")),
            (AgeFit.TOO_OLD.value, _("Too old")),
        ]

    def sort_options(self) -> list[tuple[str, str]]:
        _ = self._
        return [
            ("position", _("Place in the queue")),
            ("newest", _("Newest first")),
            ("travel", _("Travels furthest first")),
        ]

    def slots(self, member: QueueMember) -> str:
        names = wording.slot_names(self._)
        return ", ".join(names.get(s, s) for s in member.slots) or self._("Any time")

    def languages(self, member: QueueMember) -> str:
        return ", ".join(catalogue.language_name(c, self.lang) for c in member.languages)

    def other_districts(self, member: QueueMember) -> str:
        if not member.cross_district:
            return self._("No")
        return self._("Yes, up to %(min)d min") % {"min": member.max_travel_minutes}

    def export_table(
        self,
        rows: Sequence[QueueMember],
        districts: Mapping[str, str],
        programmes: Mapping[str, str],
    ) -> tuple[list[str], list[list[Cell]]]:
        """Headings and rows of the district's queue download: names, not codes; the wait in
        weeks; dates as dates."""
        _ = self._
        header = [
            _("District"),
            _("Programme"),
            _("Place in the queue"),
            _("Application"),
            _("In the queue since"),
            _("Weeks waiting"),
            _("Languages"),
            _("Time of day"),
            _("Other districts"),
            _("Age"),
            _("Paused"),
        ]
        table: list[list[Cell]] = [
            [
                districts.get(m.district, m.district),
                programmes.get(m.programme, m.programme),
                m.position,
                m.application_id,
                m.queue_date.isoformat(),
                m.weeks_waiting,
                self.languages(m),
                self.slots(m),
                self.other_districts(m),
                self.age_fit(m),
                _("Yes") if m.paused else _("No"),
            ]
            for m in rows
        ]
        return header, table
