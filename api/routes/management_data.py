"""The management figures the API and the page share, cached per database state.

Figures derive from the append-only history, so they are cached under the id of the last
audit event: any change to the data makes a new key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from api.problems import ProblemError
from waitlist.config import Settings
from waitlist.domain.errors import DomainError
from waitlist.metrics.dashboard import dashboard_data
from waitlist.metrics.history import recent_weeks, weekly_snapshots
from waitlist.metrics.load import Inputs, last_event_id, load_events, load_inputs
from waitlist.metrics.periods import Period, last_closed, parse_period
from waitlist.metrics.report import Options, Report, build_reports, closed

_CACHE: dict[tuple[Any, ...], Any] = {}
_CACHE_SIZE = 16


def _cached(key: tuple[Any, ...], build: Callable[[], Any]) -> Any:
    if key not in _CACHE:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = build()
    return _CACHE[key]


def options_from(settings: Settings) -> Options:
    return Options(small_cell_min=settings.small_cell_min, target_weeks=settings.target_weeks)


def closed_quarter(label: str | None, today: date | None = None) -> Period:
    today = today or date.today()
    try:
        period = parse_period(label) if label else last_closed("quarter", today)
    except DomainError as exc:
        raise ProblemError(422, exc.message, code="invalid_input", field="period") from exc
    if period.kind != "quarter":
        raise ProblemError(
            422, f"period must be a quarter like 2026-Q1, got {label}", field="period"
        )
    if not closed(period, today):
        raise ProblemError(
            422, f"{period.label} has not ended yet (ends {period.end})", field="period"
        )
    return period


def inputs(engine: Engine) -> Inputs:
    return _cached(("inputs", id(engine), last_event_id(engine)), lambda: load_inputs(engine))


def quarter_report(engine: Engine, settings: Settings, period: Period) -> Report:
    data = inputs(engine)
    key = ("report", id(engine), last_event_id(engine), period, options_from(settings))
    return _cached(
        key,
        lambda: build_reports(
            data.applications,
            data.groups,
            [period],
            options_from(settings),
            districts=data.districts,
            programmes=data.programmes,
        )[0],
    )


# A closed week's snapshot never changes (the history is append-only): computed once.
_WEEKS: dict[tuple[int, Options, str], Report] = {}
_WEEKS_SIZE = 2_000


def snapshots(
    engine: Engine, settings: Settings, count: int, today: date | None = None
) -> list[Report]:
    """The last `count` closed weeks; only weeks not seen before are replayed."""
    weeks = recent_weeks(today or date.today(), count)
    options = options_from(settings)
    missing = [w for w in weeks if (id(engine), options, w.label) not in _WEEKS]
    if missing:
        data = inputs(engine)
        until = datetime.combine(missing[-1].end + timedelta(days=1), datetime.min.time())
        built = weekly_snapshots(
            load_events(engine, until=until),
            missing,
            options,
            districts=data.districts,
            programmes=data.programmes,
        )
        if len(_WEEKS) + len(built) > _WEEKS_SIZE:
            _WEEKS.clear()
        for week, report in zip(missing, built, strict=True):
            _WEEKS[id(engine), options, week.label] = report
    return [_WEEKS[id(engine), options, w.label] for w in weeks]


def dashboard(
    engine: Engine, settings: Settings, period: Period, names: dict[str, str], weeks: int = 26
) -> dict[str, Any]:
    return dashboard_data(
        quarter_report(engine, settings, period), snapshots(engine, settings, weeks), names
    )


def closed_quarters(today: date | None = None, count: int = 8) -> list[Period]:
    """The last `count` closed quarters, newest first (the page's choice of period)."""
    out = [last_closed("quarter", today or date.today())]
    while len(out) < count:
        out.append(last_closed("quarter", out[-1].start))
    return out
