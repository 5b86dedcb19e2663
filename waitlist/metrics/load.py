"""Read metrics records from the database (the only module of the package that does).

Two ways in:
- `load_inputs`: application histories and groups for the period reports, read from the
  current tables (applications, offers, groups) plus the few audit events that carry a date
  the tables do not keep (withdrawn, returned to the queue, group cancelled or started).
- `load_events`: the audit history, for weekly snapshots replayed as of each week's end.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from waitlist.metrics.history import AuditEvent, replay
from waitlist.metrics.records import UNSPECIFIED, ApplicationHistory, Decline, GroupRecord
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
) -> list[AuditEvent]:
    """Audit events of `entities` (optionally only `actions`), in the order they happened."""
    e = _EVENT.c
    query = sa.select(
        e.id, e.at, e.entity, e.entity_id, e.action, e.before, e.after, e.district, e.programme
    ).where(e.entity.in_(entities))
    if actions is not None:
        query = query.where(e.action.in_(actions))
    with engine.connect() as conn:
        rows = conn.execute(query.order_by(e.at, e.id))
        return [AuditEvent(row[0], _utc(row[1]), *row[2:]) for row in rows]


def last_event_id(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.max(_EVENT.c.id))).scalar() or 0)


def load_inputs(engine: Engine) -> Inputs:
    groups = _groups(engine)
    offers = _offers(engine, groups)
    dated = _application_dates(engine)
    apps: list[ApplicationHistory] = []
    a = _APP.c
    query = sa.select(a.id, a.programme, a.district, _text(a.queue_date), a.status)
    with engine.connect() as conn:
        for app_id, programme, district, queued, status in conn.execute(query).all():
            made = offers.get(app_id, {})
            when = dated.get(str(app_id), {})
            returned = when.get("returned_to_queue")
            placed = made.get("placed_on")
            apps.append(
                ApplicationHistory(
                    programme=programme,
                    home_district=district,
                    queue_date=_day(queued),
                    status=status,
                    withdrawn_on=when.get("withdrawn"),
                    returned_on=returned if placed and returned and returned >= placed else None,
                    **made,
                )
            )
    districts, programmes = load_reference(engine)
    return Inputs(apps, [g for g, _ in groups.values()], districts, programmes)


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


def _offers(
    engine: Engine, groups: dict[int, tuple[GroupRecord, str]]
) -> dict[int, dict[str, Any]]:
    o = _OFFER.c
    # Dates as text, parsed here: much faster than the column types' own conversion.
    query = sa.select(
        o.application_id,
        o.group_id,
        o.status,
        _text(o.made_at),
        _text(o.answered_at),
        _text(o.respond_by),
        o.decline_reason,
    ).order_by(o.made_at, o.id)
    out: dict[int, dict[str, Any]] = defaultdict(dict)
    with engine.connect() as conn:
        for app_id, gid, status, made, answered, respond_by, reason in conn.execute(query).all():
            fields = out[app_id]
            fields.setdefault("first_offer_on", _day(made))
            group = groups.get(gid)
            host = group[1] if group else None
            if status == "accepted":
                fields["placed_on"] = _day(answered or made)
                fields["host_district"] = host
                fields["group_start_on"] = group[0].start_on if group else None
            elif status == "declined":
                decline = Decline(_day(answered or made), reason or UNSPECIFIED, host)
                fields["declines"] = (*fields.get("declines", ()), decline)
            elif status == "expired":
                day = _day(answered) if answered else _day(respond_by) + timedelta(days=1)
                fields["expiries"] = (*fields.get("expiries", ()), day)
    return out


def _application_dates(engine: Engine) -> dict[str, dict[str, date]]:
    """The last day each application withdrew or was returned to the queue."""
    out: dict[str, dict[str, date]] = defaultdict(dict)
    for ev in load_events(engine, entities=("application",), actions=_DATED):
        out[ev.entity_id][ev.action] = ev.at.date()
    return out


_DATED = ("withdrawn", "returned_to_queue")


def _utc(at: datetime) -> datetime:
    """Naive UTC, as every datetime column is meant to hold."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


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
