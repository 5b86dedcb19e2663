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

    district_level(uow, district) -> float

The district's adapted level (waitlist.domain.estimates.settle_levels), the quantiles of its
queues' ranges are taken at: replayed from the same stored history, week by week over the
last LEVEL_WEEKS weeks, as the simulation keeps it while it runs. Each week, every parent then
waiting in each of the district's queues is shown the range the status page would have shown
that day (the queue's history rebuilt as it was known that day, at the level reached so far);
each range whose outcome became known by a later week moves the level. Offers and
withdrawals up to yesterday count, so the level is the same all day; it is kept per process
for the day. A server replays every district's level when it starts and just after each
midnight (warm_levels, from api.main), so no parent's page waits for it (docs/estimates.md
gives its cost); a page asking before that pays the replay itself. The
free seats of step 4 (docs/estimates.md) are not in the replay: which seats were free on a
past day is not stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlmodel import col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.estimates import (
    COVERAGE,
    GROUP_LANGUAGE_WEEKS,
    HISTORY_WEEKS,
    LEVEL_WEEKS,
    MIN_OUTCOMES,
    PACE_WINDOW_WEEKS,
    Outcome,
    PastRange,
    QueueHistory,
    by_band,
    raw_wait_weeks,
    settle_levels,
    speaks_group_language,
)
from waitlist.domain.group import GroupStatus
from waitlist.domain.offer import OfferStatus
from waitlist.domain.queue import estimate_wait, queue_key
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


class _Waiting(NamedTuple):
    app: _App
    raw: float  # the raw prediction that day
    offer: date | None  # the day of the next offer


@dataclass
class _Queue:
    """One queue's stored applications and groups, and who waited in it on each day asked."""

    apps: list[_App]
    groups: list[tuple[str, date]]  # language and start of each group not cancelled
    _waiting: dict[date, list[_Waiting]] = field(default_factory=dict)

    def languages(self, today: date) -> frozenset[str]:
        """The languages of the groups started in the year before `today` or to start."""
        since = today - timedelta(weeks=GROUP_LANGUAGE_WEEKS)
        return frozenset(language for language, start in self.groups if start > since)

    def waiting(self, day: date) -> list[_Waiting]:
        """The parents waiting on `day`, in queue order, each with the raw prediction then."""
        if day not in self._waiting:
            waiting = sorted((a for a in self.apps if _waiting_on(a, day)), key=queue_key)
            pace = _moves(self.apps, day - timedelta(weeks=PACE_WINDOW_WEEKS), day)
            self._waiting[day] = [
                _Waiting(app, raw_wait_weeks(position, pace), _next_offer(app, day))
                for position, app in enumerate(waiting, start=1)
            ]
        return self._waiting[day]

    def outcomes(self, today: date) -> int:
        """How many outcomes the history of `today` holds (fewer than MIN_OUTCOMES: it
        calibrates no range)."""
        return sum(
            len(self.waiting(today - timedelta(weeks=k))) for k in range(1, HISTORY_WEEKS + 1)
        )

    def history(self, today: date, level: float = COVERAGE) -> QueueHistory:
        """The queue's history as known on `today`: for each of the HISTORY_WEEKS weeks before,
        the parents then waiting and what followed until `today`."""
        languages = self.languages(today)
        fits: dict[int, bool | None] = {}
        outcomes: list[Outcome] = []
        for weeks_ago in range(1, HISTORY_WEEKS + 1):
            day = today - timedelta(weeks=weeks_ago)
            for app, raw, offer in self.waiting(day):
                if app.id not in fits:
                    fits[app.id] = speaks_group_language(app.languages, languages)
                if offer is not None and offer <= today:
                    outcomes.append(Outcome(raw, (offer - day).days / 7, True, fits[app.id]))
                else:
                    ended = app.ended if app.ended is not None and app.ended <= today else today
                    outcomes.append(Outcome(raw, (ended - day).days / 7, False, fits[app.id]))
        moves = _moves(self.apps, today - timedelta(weeks=PACE_WINDOW_WEEKS), today)
        return QueueHistory(
            moves=moves, levels=(by_band(outcomes),), group_languages=languages, level=level
        )


_CACHE: dict[tuple[Any, ...], QueueHistory] = {}
_LEVELS: dict[tuple[Any, ...], tuple[tuple[Any, ...], float]] = {}


def queue_history(uow: UnitOfWork, district: str, programme: str) -> QueueHistory:
    """The queue's history as the status page, the apply form and the API use it, its
    quantiles taken at the district's level (district_level)."""
    today = uow.today()
    key = (str(uow.engine.url), district, programme, today, *_version(uow, district, programme))
    found = _CACHE.get(key)
    rebuilt = found is None
    if found is None:
        if len(_CACHE) > 512:
            _CACHE.clear()
        found = _CACHE[key] = _queue(uow, district, programme).history(today)
    if not any(len(past.outcomes) >= MIN_OUTCOMES for past in found.levels[0].values()):
        return found  # it calibrates no range: the level would change nothing
    return replace(found, level=district_level(uow, district, recheck=rebuilt))


def district_level(uow: UnitOfWork, district: str, *, recheck: bool = True) -> float:
    """The district's adapted level today, replayed from its stored history, kept per process
    for the day while the applications queued before today stay the same (checked when
    `recheck`: a queue's history rebuilt because it changed, or asked for the level alone)."""
    today = uow.today()
    key = (str(uow.engine.url), district, today)
    found = _LEVELS.get(key)
    if found is not None and not recheck:
        return found[1]
    # Not today's applications and offers (they count from tomorrow): only a history that
    # changed before today (data imported, a database restored) replays the level again.
    before = tuple(
        uow.session.exec(
            select(func.count(), func.max(Application.id)).where(  # type: ignore[call-overload]
                col(Application.district) == district, col(Application.queue_date) < today
            )
        ).one()
    )
    if found is None or found[0] != before:
        if len(_LEVELS) > 512:
            _LEVELS.clear()
        programmes = uow.session.exec(
            select(col(Application.programme))
            .where(col(Application.district) == district)
            .distinct()
            .order_by(col(Application.programme))
        ).all()
        queues = [_queue(uow, district, programme) for programme in programmes]
        found = _LEVELS[key] = (before, replay_level(district, queues, today))
    return found[1]


def warm_levels(uow: UnitOfWork) -> list[str]:
    """Replay today's level of every district with stored applications ahead of the first page
    that would ask for it; the districts, in order. A level already kept for today is only
    checked (the applications queued before today unchanged)."""
    with uow:
        districts = uow.session.exec(
            select(col(Application.district)).distinct().order_by(col(Application.district))
        ).all()
        for district in districts:
            district_level(uow, district)
    return list(districts)


def replay_level(district: str, queues: Sequence[_Queue], today: date) -> float:
    """The level reached by showing, every week of the LEVEL_WEEKS before `today`, each parent
    then waiting the range the status page would have shown (its quantiles at the level
    reached so far), and settling what followed as it became known, up to yesterday."""
    levels: dict[str, float] = {}
    pending: list[PastRange] = []
    for weeks_ago in range(LEVEL_WEEKS, 0, -1):
        day = today - timedelta(weeks=weeks_ago)
        levels, pending = settle_levels(levels, pending, day)
        level = levels.get(district, COVERAGE)
        for queue in queues:
            waiting = queue.waiting(day)
            if not waiting or queue.outcomes(day) < MIN_OUTCOMES:
                continue  # no range calibrated on history: nothing to replay
            history = queue.history(day, level)
            for position, (app, _, offer) in enumerate(waiting, start=1):
                shown = estimate_wait(
                    position=position,
                    today=day,
                    seats=(),
                    placements_in_window=0,
                    history=history,
                    languages=app.languages,
                )
                if shown.low_weeks is None:
                    continue
                closed = app.ended  # withdrew: it counts only if no offer came before it
                if offer is not None and closed is not None and offer <= closed:
                    closed = None
                pending.append(
                    PastRange(district, day, shown.low_weeks, shown.high_weeks, offer, closed)
                )
    levels, _ = settle_levels(levels, pending, today - timedelta(days=1))
    return levels.get(district, COVERAGE)


def _queue(uow: UnitOfWork, district: str, programme: str) -> _Queue:
    groups = uow.session.exec(
        select(col(Group.language), col(Group.start)).where(
            col(Group.district) == district,
            col(Group.programme) == programme,
            col(Group.status) != GroupStatus.CANCELLED,
        )
    ).all()
    return _Queue(_load(uow, district, programme), [(lang, start) for lang, start in groups])


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
