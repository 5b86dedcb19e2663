"""The facts a reason is built from (rule 8): one record per offer or unplaced application.

A reason a parent or coordinator reads is rendered from these facts in each language
(`waitlist.reasons`), never written as free text: every language then states the same numbers,
and no sentence can claim more than the facts hold (no "among the first in the queue" for the
24th). Names are display names (a district's or programme's name), never internal ids.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from waitlist.domain.crossing import CrossTest


class Rule(StrEnum):
    """Which placement rule made the offer."""

    OWN_DISTRICT = "own_district"  # rule 4: a seat at home fits
    CROSS_DISTRICT = "cross_district"  # rule 5: long wait at home, a seat within reach

    __hash__ = str.__hash__  # as its value hashes (and in C: reasons are memoised by facts)


class Blocked(StrEnum):
    """Why no seat came from one side (home, or the districts within reach)."""

    NO_GROUP = "no_group"  # no group with a free seat
    NO_FIT = "no_fit"  # groups with seats, none eligible (see misfits)
    EARLIER = "earlier"  # the seats that fit went to parents who queued earlier
    RESIDENTS_OR_EARLIER = "residents_or_earlier"  # … or to the host district's residents
    NOT_ASKED = "not_asked"  # the parent did not opt in to other districts
    TOO_SOON = "too_soon"  # not yet waited long enough for other districts

    __hash__ = str.__hash__


MISFITS = ("age", "language", "slot")
_AT_HOME = frozenset((Blocked.NO_GROUP, Blocked.NO_FIT, Blocked.EARLIER))
_WITHIN_REACH = frozenset((*_AT_HOME, Blocked.RESIDENTS_OR_EARLIER))


@dataclass(frozen=True)
class ReasonFacts:
    """Why this parent got this offer, or why no offer this round.

    `group_start`, `host` and `travel_minutes` only for an offer (`rule` set); `why_not_home`
    for an offer elsewhere or an unplaced application; `why_not_away` only when unplaced.
    `queue_place` is None when it was not recorded (a coordinator's direct offer).
    """

    programme: str
    home: str
    weeks_waited: int
    queue_place: int | None = None
    rule: Rule | None = None
    group_start: date | None = None
    host: str | None = None
    travel_minutes: int | None = None
    travel_limit: int | None = None
    cross_after_weeks: int | None = None
    cross_test: CrossTest | None = None  # an offer elsewhere: rule 5's test that applied
    projected_weeks: int | None = None  # the projected own-district wait, when that test
    why_not_home: Blocked | None = None
    home_misfits: tuple[str, ...] = ()
    why_not_away: Blocked | None = None
    away_misfits: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        rule, home, away = self.rule, self.why_not_home, self.why_not_away
        if self.weeks_waited < 0:
            raise ValueError("weeks_waited must not be negative")
        if self.cross_test is not None and rule is not Rule.CROSS_DISTRICT:
            raise ValueError("only an offer elsewhere names rule 5's test")
        if self.queue_place is not None and self.queue_place < 1:
            raise ValueError("queue_place starts at 1")
        if rule is not None:
            if self.group_start is None:
                raise ValueError("an offer names its group's start")
            if away is not None:
                raise ValueError("an offer has no reason about other districts")
            if rule is Rule.CROSS_DISTRICT and None in (
                self.host,
                self.travel_minutes,
                self.travel_limit,
                self.cross_after_weeks,
            ):
                raise ValueError("an offer elsewhere names the host, travel time, limit and rule")
            if self.cross_test is CrossTest.PROJECTED and self.projected_weeks is None:
                raise ValueError("an offer on the projected wait names the projected weeks")
        elif away is not None:
            if away in _WITHIN_REACH and self.travel_limit is None:
                raise ValueError("a reason about districts within reach names the travel limit")
            if away is Blocked.TOO_SOON and self.cross_after_weeks is None:
                raise ValueError("a reason about waiting for other districts names the weeks")
        if home is not None and home not in _AT_HOME:
            raise ValueError(f"{home} is no reason about the own district")
        if self.home_misfits or self.away_misfits:
            if (self.home_misfits and home is not Blocked.NO_FIT) or (
                self.away_misfits and away is not Blocked.NO_FIT
            ):
                raise ValueError("misfits are told only for groups that do not fit")
            for kind in (*self.home_misfits, *self.away_misfits):
                if kind not in MISFITS:
                    raise ValueError(f"unknown misfit {kind!r}")

    @property
    def offered(self) -> bool:
        return self.rule is not None

    def _projected(self) -> bool:
        return self.rule is Rule.CROSS_DISTRICT and self.cross_test is CrossTest.PROJECTED

    def _states_limit(self) -> bool:
        return self.rule is None and self.why_not_away in _WITHIN_REACH

    def numbers(self) -> dict[str, int]:
        """The figures any rendering must state, by name (a test checks every language)."""
        cross = self.rule is Rule.CROSS_DISTRICT
        candidates = {
            "weeks_waited": self.weeks_waited,
            "queue_place": self.queue_place,
            "travel_minutes": self.travel_minutes if cross else None,
            "travel_limit": self.travel_limit if cross or self._states_limit() else None,
            "cross_after_weeks": self.cross_after_weeks
            if cross or (self.rule is None and self.why_not_away is Blocked.TOO_SOON)
            else None,
            "projected_weeks": self.projected_weeks if self._projected() else None,
        }
        return {k: v for k, v in candidates.items() if v is not None}

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["group_start"] = self.group_start.isoformat() if self.group_start else None
        out["home_misfits"] = list(self.home_misfits)
        out["away_misfits"] = list(self.away_misfits)
        return {k: v for k, v in out.items() if v not in (None, [])}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReasonFacts:
        start = data.get("group_start")
        return cls(
            programme=str(data["programme"]),
            home=str(data["home"]),
            weeks_waited=int(data["weeks_waited"]),
            queue_place=data.get("queue_place"),
            rule=Rule(data["rule"]) if data.get("rule") else None,
            group_start=date.fromisoformat(start) if start else None,
            host=data.get("host"),
            travel_minutes=data.get("travel_minutes"),
            travel_limit=data.get("travel_limit"),
            cross_after_weeks=data.get("cross_after_weeks"),
            cross_test=CrossTest(data["cross_test"]) if data.get("cross_test") else None,
            projected_weeks=data.get("projected_weeks"),
            why_not_home=Blocked(data["why_not_home"]) if data.get("why_not_home") else None,
            home_misfits=tuple(data.get("home_misfits", ())),
            why_not_away=Blocked(data["why_not_away"]) if data.get("why_not_away") else None,
            away_misfits=tuple(data.get("away_misfits", ())),
        )


@dataclass(frozen=True)
class RecommendationFacts:
    """Why start this group: whom it serves (counts per district, never names) and what it
    does to waiting times (weeks, one decimal; the city's max/min ratio, two decimals).

    `leader` is a person's display name when one is known, else the reason says "a certified
    leader"; `language` is a language code, `weekday` and `slot` the group's codes.
    """

    programme: str
    host: str
    language: str
    weekday: str
    slot: str
    start: date
    served: tuple[tuple[str, int], ...]  # (district name, parents), by name
    median_waited_weeks: int
    median_before: float
    median_after: float
    p90_before: float
    p90_after: float
    ratio_before: float
    ratio_after: float
    leader: str | None = None

    def __post_init__(self) -> None:
        if not self.served or any(n < 1 for _, n in self.served):
            raise ValueError("a recommendation serves at least one parent in each district named")
        if self.median_waited_weeks < 0:
            raise ValueError("median_waited_weeks must not be negative")

    @property
    def parents(self) -> int:
        return sum(n for _, n in self.served)

    def numbers(self) -> list[float]:
        """The figures any rendering must state, in order of mention."""
        return [
            self.parents,
            *(n for _, n in self.served),
            self.median_waited_weeks,
            self.median_before,
            self.median_after,
            self.p90_before,
            self.p90_after,
            self.ratio_before,
            self.ratio_after,
        ]
