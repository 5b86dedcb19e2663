"""A queue's past for the wait-estimate tests: parents who joined the home Komet queue, were
offered a seat some days later and took it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from tests.support.api import HOME, City
from waitlist.storage.tables import Application, Offer


@dataclass(frozen=True)
class PastParent:
    joined: date
    wait_days: int  # from joining to the offer
    languages: tuple[str, ...] = ("sv",)
    group: str = "home"  # the key in City.groups of the group offered
    district: str = HOME  # the queue they joined


def add_past_parents(built: City, parents: list[PastParent]) -> None:
    """Each parent as a completed application with an accepted offer, in one transaction."""
    today = date.today()
    with Session(built.engine) as session:
        for n, past in enumerate(parents):
            app = Application(
                programme="komet", district=past.district, child_birth=f"{today.year - 6}-03",
                languages=list(past.languages), slots=["evening"], queue_date=past.joined,
                lottery=n, status="completed",
            )  # fmt: skip
            session.add(app)
            session.flush()
            offered = datetime.combine(past.joined + timedelta(days=past.wait_days), time(9), UTC)
            session.add(
                Offer(
                    application_id=app.id or 0,
                    group_id=built.groups[past.group],
                    status="accepted",
                    made_at=offered,
                    answered_at=offered + timedelta(days=1),
                    respond_by=offered.date() + timedelta(days=10),
                )  # fmt: skip
            )
        session.commit()
