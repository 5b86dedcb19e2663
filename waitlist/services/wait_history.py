"""A queue's history as the calibrated wait estimate needs it (waitlist.domain.estimates).

    queue_history(uow, district, programme) -> QueueHistory

Rebuilt from the stored applications and offers of one district x programme: for each of
the last 26 weeks, who was waiting that day (queued, not withdrawn yet, no offer pending or
accepted), in queue order; the queue's pace then (offers made to its parents and withdrawals
over the half year before, less offers declined or left unanswered, whose parents came back);
and what followed: the weeks until each parent's next offer, or, while none came, the weeks
seen so far; and whether each parent speaks a language the queue's groups are run in (groups
started in the last year or still to start, not cancelled). Kept per process for the day,
until an application, offer or group changes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.estimates import (
    GROUP_LANGUAGE_WEEKS,
    HISTORY_WEEKS,
    PACE_WINDOW_WEEKS,
    Outcome,
    QueueHistory,
    by_band,
    raw_wait_weeks,
    speaks_group_language,
)
from waitlist.domain.group import GroupStatus
from waitlist.domain.offer import OfferStatus
from waitlist.domain.queue import queue_key
from waitlist.storage.tables import Application, Group, Offer
from waitlist.storage.uow import UnitOfWork

_ENDED = (S.WITHDRAWN,)
_RETURNED = (OfferStatus.DECLINED, OfferStatus.EXPIRED)


@dataclass(frozen=True)
class _App:
    id: int
    queue_date: date
    lottery: int
    ended: date | None  # withdrawn on
    languages: tuple[str, ...]
    offers: tuple[tuple[date, date | None, bool], ...]  # made, answered, came back after it


_CACHE: dict[tuple[Any, ...], QueueHistory] = {}


def queue_history(uow: UnitOfWork, district: str, programme: str) -> QueueHistory:
    today = uow.today()
    key = (str(uow.engine.url), district, programme, today, *_version(uow, district, programme))
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) > 512:
            _CACHE.clear()
        languages = _group_languages(uow, district, programme, today)
        found = _CACHE[key] = _rebuild(_load(uow, district, programme), today, languages)
    return found


def _version(uow: UnitOfWork, district: str, programme: str) -> tuple[Any, ...]:
    in_queue = (col(Application.district) == district, col(Application.programme) == programme)
    apps = uow.session.exec(
        select(func.count(), func.max(Application.updated_at)).where(*in_queue)  # type: ignore[call-overload]
    ).one()
    offers = uow.session.exec(
        select(func.count(), func.max(Offer.id), func.max(Offer.answered_at))  # type: ignore[call-overload]
        .join(Application, col(Application.id) == col(Offer.application_id))
        .where(*in_queue)
    ).one()
    groups = uow.session.exec(
        select(func.count(), func.max(Group.updated_at)).where(  # type: ignore[call-overload]
            col(Group.district) == district, col(Group.programme) == programme
        )
    ).one()
    return (*apps, *offers, *groups)


def _group_languages(uow: UnitOfWork, district: str, programme: str, today: date) -> frozenset[str]:
    """The languages the queue's groups are run in: started in the last year or to start."""
    since = today - timedelta(weeks=GROUP_LANGUAGE_WEEKS)
    rows = uow.session.exec(
        select(col(Group.language)).where(
            col(Group.district) == district,
            col(Group.programme) == programme,
            col(Group.status) != GroupStatus.CANCELLED,
            col(Group.start) > since,
        )
    ).all()
    return frozenset(rows)


def _day(moment: datetime | None) -> date | None:
    return None if moment is None else moment.date()


def _load(uow: UnitOfWork, district: str, programme: str) -> list[_App]:
    in_queue = (col(Application.district) == district, col(Application.programme) == programme)
    rows: Sequence[Any] = uow.session.exec(
        select(  # type: ignore[call-overload]
            col(Application.id),
            col(Application.queue_date),
            col(Application.lottery),
            col(Application.status),
            col(Application.updated_at),
            col(Application.languages),
        ).where(*in_queue)
    ).all()
    offers: dict[int, list[tuple[date, date | None, bool]]] = {}
    for app_id, made, answered, status in uow.session.exec(
        select(  # type: ignore[call-overload]
            col(Offer.application_id), col(Offer.made_at), col(Offer.answered_at), col(Offer.status)
        )
        .join(Application, col(Application.id) == col(Offer.application_id))
        .where(*in_queue)
    ).all():
        back = status in _RETURNED
        offers.setdefault(app_id, []).append((made.date(), _day(answered), back))
    return [
        _App(
            id=r.id,
            queue_date=r.queue_date,
            lottery=r.lottery,
            ended=r.updated_at.date() if r.status in _ENDED else None,
            languages=tuple(r.languages or ()),
            offers=tuple(sorted(offers.get(r.id, []))),
        )
        for r in rows
    ]


def _waiting_on(app: _App, day: date) -> bool:
    if app.queue_date > day or (app.ended is not None and app.ended <= day):
        return False
    for made, answered, back in app.offers:
        if made <= day and not (back and answered is not None and answered <= day):
            return False  # an offer pending or taken that day
    return True


def _moves(apps: Sequence[_App], since: date, until: date) -> float:
    """Parents who left the queue in (since, until], less those who came back to it."""
    net = 0
    for app in apps:
        net += sum(1 for made, _, _ in app.offers if since < made <= until)
        net -= sum(
            1
            for _, answered, back in app.offers
            if back and answered is not None and since < answered <= until
        )
        net += 1 if app.ended is not None and since < app.ended <= until else 0
    return float(max(net, 0))


def _next_offer(app: _App, day: date) -> date | None:
    return next((made for made, _, _ in app.offers if made > day), None)


def _rebuild(apps: list[_App], today: date, languages: frozenset[str]) -> QueueHistory:
    outcomes: list[Outcome] = []
    fits = {app.id: speaks_group_language(app.languages, languages) for app in apps}
    for weeks_ago in range(1, HISTORY_WEEKS + 1):
        day = today - timedelta(weeks=weeks_ago)
        waiting = sorted((a for a in apps if _waiting_on(a, day)), key=queue_key)
        pace = _moves(apps, day - timedelta(weeks=PACE_WINDOW_WEEKS), day)
        for position, app in enumerate(waiting, start=1):
            raw = raw_wait_weeks(position, pace)
            offer = _next_offer(app, day)
            if offer is not None and offer <= today:
                outcomes.append(Outcome(raw, (offer - day).days / 7, True, fits[app.id]))
            else:
                until = app.ended if app.ended is not None and app.ended > day else today
                outcomes.append(Outcome(raw, (until - day).days / 7, False, fits[app.id]))
    moves = _moves(apps, today - timedelta(weeks=PACE_WINDOW_WEEKS), today)
    return QueueHistory(moves=moves, levels=(by_band(outcomes),), group_languages=languages)
