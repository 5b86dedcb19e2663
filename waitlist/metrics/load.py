"""Read metrics records from the database (the only module of the package that does).

Two ways in:
- `load_inputs`: application histories and groups for the period reports, read from the
  current tables (applications, every offer, groups) plus the audit events that carry a date
  the tables do not keep (withdrawn, every return to the queue, group cancelled or started).
  Every accepted offer is a placement of its own: a parent whose group was cancelled and who
  accepted again keeps both, so a closed quarter's figures never change with later events.
- `load_events`: the audit history, for weekly snapshots replayed as of each week's end.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from waitlist.metrics.history import AuditEvent, replay
from waitlist.metrics.records import (
    UNSPECIFIED,
    ApplicationHistory,
    Decline,
    GroupRecord,
    Placement,
)
from waitlist.storage.tables import Application, District, Event, Group, Offer, Programme

_APP = Application.__table__  # type: ignore[attr-defined]
_OFFER = Offer.__table__  # type: ignore[attr-defined]
_GROUP = Group.__table__  # type: ignore[attr-defined]
_EVENT = Event.__table__  # type: ignore[attr-defined]


GroupsById = dict[int, tuple[GroupRecord, str]]  # id -> (record, host district)


@dataclass(frozen=True)
class Inputs:
    applications: list[ApplicationHistory]
    groups: list[GroupRecord]
    districts: tuple[str, ...]
    programmes: tuple[str, ...]


def load_reference(engine: Engine) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every district and programme slug, so districts without applications still show."""
    district = District.__table__.c.slug  # type: ignore[attr-defined]
    programme = Programme.__table__.c.slug  # type: ignore[attr-defined]
    with engine.connect() as conn:
        districts = tuple(conn.execute(sa.select(district).order_by(district)).scalars())
        programmes = tuple(conn.execute(sa.select(programme).order_by(programme)).scalars())
    return districts, programmes


def load_events(
    engine: Engine,
    *,
    entities: tuple[str, ...] = ("application", "offer", "group"),
    actions: tuple[str, ...] | None = None,
    until: datetime | None = None,
) -> list[AuditEvent]:
    """Audit events of `entities` (optionally only `actions`, only before `until`, naive
    UTC), in the order they happened."""
    e = _EVENT.c
    query = sa.select(
        e.id, e.at, e.entity, e.entity_id, e.action, e.before, e.after, e.district, e.programme
    ).where(e.entity.in_(entities))
    if actions is not None:
        query = query.where(e.action.in_(actions))
    if until is not None:  # the column type wants an aware datetime; stored as UTC
        query = query.where(e.at < (until if until.tzinfo else until.replace(tzinfo=UTC)))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(e.at, e.id))
        return [AuditEvent(row[0], _utc(row[1]), *row[2:]) for row in rows]


def last_event_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.max(_EVENT.c.id))).scalar() or 0)


def load_inputs(engine: Engine) -> Inputs:
    # The queries run side by side, so the database works while Python reads rows.
    with ThreadPoolExecutor(max_workers=3) as pool:
        app_rows = pool.submit(_rows, engine, _applications_query(engine))
        answer_rows = pool.submit(_rows, engine, _answers_query(engine))
        accepted_rows = pool.submit(_rows, engine, _accepted_query(engine))
        dated, returns = _application_dates(engine)
        groups = _groups(engine)
        answers = _answers(engine, groups, answer_rows.result())
        placements = _placements(engine, groups, returns, accepted_rows.result())
        rows = app_rows.result()
    day = _day_reader(engine)
    none: tuple[()] = ()
    apps: list[ApplicationHistory] = []
    append = apps.append
    # The hot loop of a million applications: positional arguments, no per-row helpers.
    for app_id, programme, district, queued, status, first in rows:
        if day is not None:
            queued = day(queued)
            first = day(first) if first is not None else None
        when = dated.get(app_id)
        declines, expiries = answers.get(app_id, (none, none))
        append(
            ApplicationHistory(
                programme,
                district,
                queued,
                status,
                first,
                withdrawn_on=when.get("withdrawn") if when else None,
                declines=declines,
                expiries=expiries,
                chose_to_wait=bool(when and "chose_to_wait" in when),
                placements=placements.get(app_id, none),
            )
        )
    districts, programmes = load_reference(engine)
    return Inputs(apps, [g for g, _ in groups.values()], districts, programmes)


def _rows(engine: Engine, query: sa.Select) -> list[tuple[Any, ...]]:
    """All rows as plain tuples, straight from the driver's cursor (no row objects)."""
    compiled = query.compile(engine, compile_kwargs={"render_postcompile": True})
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            params = compiled.params
            if engine.dialect.name == "postgresql":
                cursor.execute(str(compiled), params or None)
            else:
                positional = [params[name] for name in compiled.positiontup or ()]
                cursor.execute(str(compiled), positional)
            return list(cursor.fetchall())
        finally:
            cursor.close()


def _applications_query(engine: Engine) -> sa.Select:
    """One row per application with the day of its first offer, the aggregation done by the
    database in one pass over the offers."""
    a, o = _APP.c, _OFFER.c
    agg = (
        sa.select(o.application_id.label("app"), sa.func.min(o.made_at).label("made"))
        .group_by(o.application_id)
        .subquery()
    )
    as_day = _day_column(engine)
    return sa.select(
        a.id, a.programme, a.district, as_day(a.queue_date), a.status, as_day(agg.c.made)
    ).outerjoin(agg, agg.c.app == a.id)


def _accepted_query(engine: Engine) -> sa.Select:
    """Every accepted offer (an offer stays accepted when its group is cancelled later)."""
    o = _OFFER.c
    return (
        sa.select(o.application_id, o.group_id, _day_column(engine)(o.answered_at))
        .where(o.status == "accepted")
        .order_by(o.application_id, o.answered_at, o.id)
    )


def _placements(
    engine: Engine,
    groups: GroupsById,
    returns: dict[int, list[date]],
    rows: list[tuple[Any, ...]],
) -> dict[int, tuple[Placement, ...]]:
    """Each application's accepted offers in order, each ended by the first return to the
    queue on or after it was accepted (its group was cancelled) and before the next one."""
    day = _day_reader(engine) or (lambda value: value)
    accepted: dict[int, list[tuple[date, int]]] = defaultdict(list)
    for app_id, gid, answered in rows:
        if answered is not None:
            accepted[app_id].append((day(answered), gid))
    out: dict[int, tuple[Placement, ...]] = {}
    for app_id, seats in accepted.items():
        back = sorted(returns.get(app_id, ()))
        made: list[Placement] = []
        for n, (on, gid) in enumerate(seats):
            following = seats[n + 1][0] if n + 1 < len(seats) else None
            ended = next(
                (r for r in back if r >= on and (following is None or r <= following)), None
            )
            if ended is not None:
                back.remove(ended)
            record, host = groups[gid] if gid in groups else (None, None)
            made.append(
                Placement(
                    on,
                    host,
                    record.start_on if record else None,
                    bool(record and record.started),
                    ended,
                )
            )
        out[app_id] = tuple(made)
    return out


def _groups(engine: Engine) -> GroupsById:
    """Group records by id, with the facts only the audit history keeps (cancelled on, for
    too few, enrolled when it started)."""
    history = replay(load_events(engine, entities=("group",))).groups
    g = _GROUP.c
    query = sa.select(g.id, g.district, g.programme, _text(g.start), g.status, g.capacity, g.taken)
    out: GroupsById = {}
    with engine.connect() as conn:
        for gid, district, programme, start, status, capacity, taken in conn.execute(query).all():
            known = history.get(str(gid))
            record = GroupRecord(
                district=district,
                programme=programme,
                start_on=_day(start),
                status=status,
                capacity=capacity,
                enrolled=known.enrolled if known and known.enrolled else taken,
                cancelled_on=known.cancelled_on if known else None,
                too_few=known.too_few if known else False,
            )
            out[gid] = (record, district)
    return out


def _answers_query(engine: Engine) -> sa.Select:
    o = _OFFER.c
    as_day = _day_column(engine)
    return (
        sa.select(
            o.application_id,
            o.group_id,
            o.status,
            as_day(o.made_at),
            as_day(o.answered_at),
            as_day(o.respond_by),
            o.decline_reason,
        )
        .where(o.status.in_(("declined", "expired")))
        .order_by(o.made_at, o.id)
    )


def _answers(
    engine: Engine, groups: GroupsById, rows: list[tuple[Any, ...]]
) -> dict[int, tuple[tuple[Decline, ...], tuple[date, ...]]]:
    """Declined and expired offers per application, in the order they were made."""
    day = _day_reader(engine) or (lambda value: value)
    declines: dict[int, list[Decline]] = defaultdict(list)
    expiries: dict[int, list[date]] = defaultdict(list)
    for app_id, gid, status, made, answered, respond_by, reason in rows:
        if status == "declined":
            host = groups[gid][1] if gid in groups else None
            when = day(answered if answered is not None else made)
            declines[app_id].append(Decline(when, reason or UNSPECIFIED, host))
        else:
            when = day(answered) if answered is not None else day(respond_by) + timedelta(days=1)
            expiries[app_id].append(when)
    return {
        app: (tuple(declines.get(app, ())), tuple(expiries.get(app, ())))
        for app in declines.keys() | expiries.keys()
    }


def _application_dates(
    engine: Engine,
) -> tuple[dict[int, dict[str, date]], dict[int, list[date]]]:
    """The last day each application withdrew or the parent asked to wait for a language or
    time slot (an event `chose_to_wait`, if recorded); and every day it was returned to the
    queue."""
    out: dict[int, dict[str, date]] = defaultdict(dict)
    returns: dict[int, list[date]] = defaultdict(list)
    for ev in load_events(engine, entities=("application",), actions=_DATED):
        if ev.entity_id.isdigit():
            if ev.action == "returned_to_queue":
                returns[int(ev.entity_id)].append(ev.at.date())
            else:
                out[int(ev.entity_id)][ev.action] = ev.at.date()
    return out, returns


_DATED = ("withdrawn", "returned_to_queue", "chose_to_wait")


def _utc(at: datetime) -> datetime:
    """Naive UTC, as every datetime column is meant to hold."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def _day_column(engine: Engine) -> Any:
    """How to select a date or timestamp column as a day, fast: PostgreSQL casts to DATE (its
    driver builds dates in C); SQLite gives the stored text, parsed by `_day_reader`."""
    if engine.dialect.name == "postgresql":
        return lambda column: sa.cast(column, sa.Date)
    return lambda column: sa.cast(column, sa.String)


def _day_reader(engine: Engine) -> Any:
    """None when the driver already gives dates; else a parser of the stored text."""
    if engine.dialect.name == "postgresql":
        return None
    return lambda value: date.fromisoformat(value[:10])


def _text(column: Any) -> Any:
    return sa.cast(column, sa.String)


def _day(value: date | datetime | str) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])
