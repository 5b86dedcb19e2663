"""Queues, positions and wait estimates (rule 1).

    queue_of(uow, district, programme)   -> list[QueueEntry], in queue order
    standing(uow, application_id)        -> Standing: position and estimate at home, and in
                                            every district within the parent's reach
    standing_by_token(uow, token)        -> the same, for the parent's secret link

A queue holds the *waiting* applications of one district x programme (paused ones included,
flagged), ordered by (queue date, lottery). Wait estimates come from
waitlist.domain.queue.estimate_wait: calibrated on the queue's own history
(waitlist.services.wait_history) once it has enough of it, else from the seats in upcoming
groups the parent fits and the queue's placements over the last 52 weeks.

Positions count the way placement rounds serve: a paused application gets no offer (rounds
skip it), so it does not push anyone behind it back; it keeps its own place (queue date and
lottery) for when it resumes. Its position is the one it would have on resuming: one more
than the unpaused applications ahead of it. Queue lengths count the unpaused applications
(plus the paused parent asking, for their own standing), and the wait estimate uses that
position, so a paused parent sees the wait they would have from the day they confirm.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import String, and_, bindparam, cast, func, or_, true
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.eligibility import too_young_until, why_not
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.offer import OfferStatus
from waitlist.domain.queue import (
    THROUGHPUT_WINDOW_WEEKS,
    SeatBatch,
    WaitEstimate,
    estimate_wait,
    in_queue_order,
    queue_key,
)
from waitlist.domain.values import HomePriority
from waitlist.services import lookups
from waitlist.services.applications import by_token
from waitlist.services.wait_history import queue_history
from waitlist.storage.tables import Application, Group, Offer, Programme, Travel
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class QueueEntry:
    position: int
    application_id: int
    queue_date: date
    lottery: int
    weeks_waiting: float
    paused: bool
    cross_district: bool


@dataclass(frozen=True)
class DistrictStanding:
    district: str
    travel_minutes: int
    position: int
    queue_length: int
    estimate: WaitEstimate
    home: bool


@dataclass(frozen=True)
class Standing:
    application_id: int
    status: str
    programme: str
    home: DistrictStanding | None  # None unless the application is waiting
    elsewhere: tuple[DistrictStanding, ...] = ()
    can_start_from: date | None = None  # a child too young today: the first day they can start


# Queue work needs only these columns; loading whole rows (JSON lists and all) for every
# waiting parent made each status request read thousands of objects.
def _queue_select() -> Any:
    return select(  # type: ignore[call-overload]
        col(Application.id),
        col(Application.queue_date),
        col(Application.lottery),
        col(Application.paused),
        col(Application.cross_district),
    )


def _in_queue(district: Any, programme: Any) -> Any:
    """The rows of one district x programme queue (values or bound parameters)."""
    return and_(
        col(Application.district) == district,
        col(Application.programme) == programme,
        col(Application.status) == S.WAITING,
    )


def _served() -> Any:
    """Applications a placement round serves: not paused (rounds skip paused ones)."""
    return Application.paused == False  # noqa: E712


def _queue(uow: UnitOfWork, district: str, programme: str) -> list[Any]:
    """The whole queue, paused applications included, in queue order."""
    rows = uow.session.exec(_queue_select().where(_in_queue(district, programme))).all()
    return in_queue_order(rows)


def _waiting(uow: UnitOfWork, district: str, programme: str) -> list[Any]:
    """The applications a round would serve from this queue, in queue order."""
    rows = uow.session.exec(_queue_select().where(_in_queue(district, programme), _served())).all()
    return in_queue_order(rows)


# The statements every status request runs are built once per process (building one costs
# more than running it); the values go in as bound parameters.


def _before(dialect: str) -> Any:
    """Rows ahead, in queue order, of the application given as the parameters `queue_date`,
    `lottery` and `id_text`: waitlist.domain.queue.queue_key in SQL (the id compared as text,
    byte by byte, as the key does; SQLite compares text that way)."""
    day, lottery = col(Application.queue_date), col(Application.lottery)
    my_day: Any = bindparam("queue_date")
    my_lottery: Any = bindparam("lottery")
    id_text: Any = cast(Application.id, String)
    if dialect == "postgresql":
        id_text = id_text.collate("C")
    return or_(
        day < my_day,
        and_(day == my_day, lottery < my_lottery),
        and_(day == my_day, lottery == my_lottery, id_text < bindparam("id_text")),
    )


@cache
def _home_statement(dialect: str) -> Any:
    """The home standing in one statement: the queue's counts (one row, counted on index
    ix_application_queue) beside each row of the seats statement."""
    counts = (
        select(  # type: ignore[call-overload]
            (func.count().filter(and_(_before(dialect), _served())) + 1).label("position"),
            func.count().filter(_served()).label("length"),
            _placements_statement().scalar_subquery().label("placed"),
        )
        .where(_in_queue(bindparam("district"), bindparam("programme")))
        .subquery("counts")
    )
    seats = _seats_statement().subquery("seats")
    return select(counts, seats).select_from(  # type: ignore[call-overload]
        counts.join(seats, true())
    )


@dataclass(frozen=True)
class _Home:
    position: int
    length: int
    placed: int
    seats: list[SeatBatch]
    age_min: int


def _home(uow: UnitOfWork, app: Application) -> _Home:
    """Position and length of the application's own queue, the queue's placements in the
    throughput window, and the free seats the parent fits there: one query.
    Paused applications are not counted (see the module docstring); a paused applicant counts
    themselves, at the place they keep."""
    rows = (
        uow.session.connection()
        .execute(
            _home_statement(uow.dialect),
            {
                "district": app.district,
                "programme": app.programme,
                "queue_date": app.queue_date,
                "lottery": app.lottery,
                "id_text": str(app.id),
                "since": _window_start(uow),
                "today": uow.today(),
            },
        )
        .all()
    )
    first = rows[0]  # the programme exists (a foreign key), so there is always a row
    return _Home(
        position=int(first.position),
        length=int(first.length) + (1 if app.paused else 0),
        placed=int(first.placed),
        seats=_fitting(app, rows),
        age_min=int(first.child_age_min),
    )


def queue_of(uow: UnitOfWork, district: str, programme: str) -> list[QueueEntry]:
    with uow:
        lookups.district(uow, district)
        lookups.programme(uow, programme)
        today = uow.today()
        entries, served = [], 0
        for a in _queue(uow, district, programme):
            # A paused entry shows the place it keeps; it does not move those behind it.
            entries.append(
                QueueEntry(
                    position=served + 1,
                    application_id=a.id or 0,
                    queue_date=a.queue_date,
                    lottery=a.lottery,
                    weeks_waiting=round((today - a.queue_date).days / 7, 1),
                    paused=a.paused,
                    cross_district=a.cross_district,
                )
            )
            served += 0 if a.paused else 1
        return entries


@cache
def _seats_statement() -> Any:
    """The programme's age range, with each upcoming group of a district x programme that has
    a free seat (one row with no group when there is none)."""
    upcoming = and_(
        col(Group.programme) == col(Programme.slug),
        col(Group.district) == bindparam("district"),
        col(Group.status).in_(list(OFFERABLE_STATUSES)),
        col(Group.start) >= bindparam("today"),
        col(Group.taken) < col(Group.capacity),
    )
    return (
        select(  # type: ignore[call-overload]
            col(Programme.child_age_min),
            col(Programme.child_age_max),
            col(Group.start),
            col(Group.capacity),
            col(Group.taken),
            col(Group.language),
            col(Group.slot),
        )
        .select_from(Programme)
        .outerjoin(Group, upcoming)
        .where(col(Programme.slug) == bindparam("programme"))
    )


def _seats(uow: UnitOfWork, app: Application, district: str) -> list[SeatBatch]:
    """Free seats in the district's upcoming groups the parent fits (the eligibility rule)."""
    groups = (
        uow.session.connection()
        .execute(
            _seats_statement(),
            {"district": district, "programme": app.programme, "today": uow.today()},
        )
        .all()
    )
    return _fitting(app, groups)


def _fitting(app: Application, groups: Sequence[Any]) -> list[SeatBatch]:
    """Rows of the seats statement whose group the parent fits, as seat batches."""
    return [
        SeatBatch(start=g.start, free=g.capacity - g.taken)
        for g in groups
        if g.start is not None and why_not(app, g, g) is None
    ]


def _placements(uow: UnitOfWork, district: str, programme: str) -> int:
    """Parents of this district placed (offer accepted) for this programme in the window."""
    params = {"district": district, "programme": programme, "since": _window_start(uow)}
    return int(uow.session.connection().execute(_placements_statement(), params).scalar_one())


def _window_start(uow: UnitOfWork) -> datetime:
    return uow.now() - timedelta(weeks=THROUGHPUT_WINDOW_WEEKS)


@cache
def _placements_statement() -> Any:
    return (
        select(func.count())
        .select_from(Offer)
        .join(Group, Group.id == Offer.group_id)  # type: ignore[arg-type]
        .where(
            Offer.status == OfferStatus.ACCEPTED,
            Offer.answered_at >= bindparam("since"),  # type: ignore[operator]
            Group.district == bindparam("district"),
            Group.programme == bindparam("programme"),
        )
    )


def _ahead_in(uow: UnitOfWork, app: Application, host: str) -> tuple[int, int]:
    """Position and queue length the application would have among the host's queue.

    strict home priority: every waiting resident of the host comes first, then incoming
    parents by queue order. none: queue order alone across residents and incoming parents.
    Paused applications are skipped by rounds and are not counted (the module docstring).
    """
    residents = _waiting(uow, host, app.programme)
    incoming = [a for a in _incoming(uow, host, app.programme) if a.id != app.id]
    key = queue_key(app)
    earlier_incoming = sum(1 for a in incoming if queue_key(a) < key)
    if uow.rules.home_priority == HomePriority.STRICT:
        ahead = len(residents) + earlier_incoming
    else:
        ahead = sum(1 for a in residents if queue_key(a) < key) + earlier_incoming
    return ahead + 1, len(residents) + len(incoming) + 1


def _incoming(uow: UnitOfWork, host: str, programme: str) -> list[Any]:
    reach = select(Travel.origin, Travel.minutes).where(Travel.destination == host).subquery()
    return list(
        uow.session.exec(
            _queue_select()
            .join(reach, reach.c.origin == Application.district)
            .where(
                Application.programme == programme,
                Application.status == S.WAITING,
                _served(),
                Application.cross_district == True,  # noqa: E712
                Application.max_travel_minutes >= reach.c.minutes,
            )
        ).all()
    )


def _standing(uow: UnitOfWork, app: Application, *, elsewhere_too: bool = True) -> Standing:
    """Home standing, and (unless `elsewhere_too` is False) every district within reach."""
    if app.status != S.WAITING:
        return Standing(app.id or 0, app.status, app.programme, None)
    mine = _home(uow, app)
    young = too_young_until(app.child_birth, mine.age_min, uow.today()) if app.child_birth else None
    home = DistrictStanding(
        district=app.district,
        travel_minutes=0,
        position=mine.position,
        queue_length=mine.length,
        estimate=estimate_wait(
            position=mine.position,
            today=uow.today(),
            seats=mine.seats,
            placements_in_window=mine.placed,
            not_before=young,
            history=queue_history(uow, app.district, app.programme),
        ),
        home=True,
    )
    elsewhere: list[DistrictStanding] = []
    if app.cross_district and elsewhere_too:
        reachable = uow.session.exec(
            select(Travel)
            .where(Travel.origin == app.district, Travel.minutes <= app.max_travel_minutes)
            .order_by(col(Travel.minutes))
        ).all()
        for t in reachable:
            pos, length = _ahead_in(uow, app, t.destination)
            elsewhere.append(
                DistrictStanding(
                    district=t.destination,
                    travel_minutes=t.minutes,
                    position=pos,
                    queue_length=length,
                    home=False,
                    estimate=estimate_wait(
                        position=pos,
                        today=uow.today(),
                        seats=_seats(uow, app, t.destination),
                        placements_in_window=_placements(uow, t.destination, app.programme),
                        not_before=young,
                        history=queue_history(uow, t.destination, app.programme),
                    ),
                )
            )
    return Standing(app.id or 0, app.status, app.programme, home, tuple(elsewhere), young)


def standing(uow: UnitOfWork, application_id: int) -> Standing:
    with uow:
        return _standing(uow, lookups.application_read(uow, application_id))


def standing_by_token(uow: UnitOfWork, token: str) -> Standing:
    with uow:
        return _standing(uow, by_token(uow, token))
