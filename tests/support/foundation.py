"""Helpers for the storage, service and CLI tests: a fresh database with the reference data,
a clock the test moves, and small builders for applications and groups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from tests.support.databases import reference_database
from waitlist.domain.policy import Rules
from waitlist.domain.schedule import WEEKDAYS
from waitlist.services import applications, groups
from waitlist.services.access import Actor
from waitlist.storage.uow import UnitOfWork

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def coordinator(district: str, staff_id: int = 1) -> Actor:
    """A coordinator of `district`, as a signed-in member of staff."""
    return Actor(kind="staff", role="coordinator", district=district, staff_id=staff_id)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: int) -> None:
        self.now += timedelta(days=days)

    @property
    def today(self) -> date:
        return self.now.date()


@dataclass
class World:
    engine: Engine
    clock: Clock = field(default_factory=Clock)
    rules: Rules = field(default_factory=Rules)

    def uow(self, **kwargs: Any) -> UnitOfWork:
        return UnitOfWork(self.engine, clock=self.clock, rules=self.rules, **kwargs)

    def rows(self, table: type) -> list[Any]:
        """Every row of `table`, read in a transaction of its own."""
        with self.uow(readonly=True) as uow:
            return list(uow.session.exec(select(table)))

    def apply(self, **overrides: Any) -> applications.Applied:
        data: dict[str, Any] = {
            "programme": "komet",
            "district": "farsta",
            "child_birth": "2019-05",
            "languages": ["sv"],
            "slots": [],
        }
        data.update(overrides)
        return applications.apply(self.uow(), data)

    def group(self, **overrides: Any) -> int:
        return groups.create_group(self.uow(), self.group_command(**overrides)).id

    def group_command(self, **overrides: Any) -> dict[str, Any]:
        """A group starting in four weeks (on the first `weekday` from then, when given)."""
        start = self.clock.today + timedelta(weeks=4)
        if "weekday" in overrides and "start" not in overrides:
            start += timedelta(days=(WEEKDAYS.index(overrides["weekday"]) - start.weekday()) % 7)
        data: dict[str, Any] = {
            "programme": "komet",
            "district": "farsta",
            "start": start,
            "slot": "evening",
            "language": "sv",
            "capacity": 12,
            "min_size": 6,
        }
        data.update(overrides)
        return data


def new_world(url: str, rules: Rules | None = None) -> World:
    world = World(engine=reference_database(url), rules=rules or Rules())
    with world.uow() as uow:  # a fixed lottery seed: the same draws, the same histories
        applications.current_seed(uow, "5eed" * 8)
        uow.commit()
    return world
