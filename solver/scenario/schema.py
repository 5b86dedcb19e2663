"""The scenario and result files as pydantic models: the JSON Schema and the first line of
validation (types, unknown keys, ranges). Cross-field rules live in solver/scenario/files.py.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from waitlist.domain.group import GroupStatus
from waitlist.domain.values import HomePriority, ProgrammeKind, Slot, Weekday

SCENARIO_FORMAT = "waitlist-scenario/1"
RESULT_FORMAT = "waitlist-result/1"

NonNegative = Annotated[int, Field(ge=0)]
Id = Annotated[str, Field(min_length=1, max_length=200)]
IsoWeek = Annotated[str, Field(pattern=r"^\d{4}-W\d{2}$", description="ISO week, e.g. 2026-W14")]
YearMonth = Annotated[str, Field(pattern=r"^\d{4}-\d{2}$", description="Birth year and month")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class PolicyIn(_Strict):
    cross_district_after_weeks: NonNegative = 8
    cross_district_test: Literal["waited", "projected"] = "waited"
    home_priority: HomePriority = HomePriority.STRICT
    offer_response_days: Annotated[int, Field(ge=1)] = 10
    min_response_days: Annotated[int, Field(ge=1)] = 3
    target_weeks: NonNegative = 8
    small_cell_min: NonNegative = 5


class DistrictIn(_Strict):
    slug: Id
    name: str


class ProgrammeIn(_Strict):
    slug: Id
    name: str
    kind: ProgrammeKind
    child_age_min: NonNegative
    child_age_max: NonNegative
    capacity: NonNegative
    min_size: NonNegative
    languages: list[str] = []
    sessions: NonNegative | None = None
    weeks: NonNegative | None = None


class _GroupRunIn(_Strict):
    """What every group of a scenario, running or only a candidate, says about its run."""

    id: Id
    programme: str
    district: str
    start: date
    weekday: Weekday
    slot: Slot
    language: str
    capacity: NonNegative
    min_size: NonNegative


class GroupIn(_GroupRunIn):
    taken: NonNegative = 0
    status: GroupStatus = GroupStatus.RECRUITING
    room: Id | None = Field(None, description="A listed room in the group's district it holds")


class ApplicationIn(_Strict):
    id: Id
    programme: str
    district: str
    queue_date: date
    lottery: int
    child_birth: YearMonth
    languages: list[str]
    slots: list[Slot] = []
    cross_district: bool = False
    max_travel_minutes: NonNegative = 0


class LeaderIn(_Strict):
    id: Id
    district: str
    programmes: list[str]
    max_groups: NonNegative
    languages: list[str]
    unavailable_weeks: list[IsoWeek] = []


class CandidateGroupIn(_GroupRunIn):
    room: Id | None = Field(None, description="A listed room in the host district")


class RoomIn(_Strict):
    """A room groups meet in: one group at a time per weekday and slot."""

    id: Id
    district: str
    name: str = ""
    capacity: Annotated[int, Field(ge=1)] | None = None
    weekdays: list[Weekday] = []
    slots: list[Slot] = []


class ScenarioFile(_Strict):
    """A placement round or group-start recommendation, everything it needs in one file."""

    format: Literal["waitlist-scenario/1"]
    as_of: date
    policy: PolicyIn = PolicyIn()
    districts: list[DistrictIn]
    travel_minutes: dict[str, dict[str, NonNegative]] = {}
    programmes: list[ProgrammeIn]
    groups: list[GroupIn] = []
    applications: list[ApplicationIn] = []
    leaders: list[LeaderIn] = []
    candidate_groups: list[CandidateGroupIn] = []
    rooms: list[RoomIn] = []


class OfferOut(_Strict):
    application: str
    group: str
    respond_by: date = Field(
        description="Last day to answer: after as_of and before the group's start (rule 10, "
        "checked by solver.scenario.files.offer_problems)"
    )
    cross_district: bool
    travel_minutes: NonNegative
    reason: str
    reason_sv: str = ""
    facts: dict[str, Any] | None = Field(None, description="What the reason is rendered from")


class UnplacedOut(_Strict):
    application: str
    reason: str
    reason_sv: str = ""
    facts: dict[str, Any] | None = Field(None, description="What the reason is rendered from")


class RecommendationOut(_Strict):
    candidate: str
    leader: str
    serves: dict[str, NonNegative]
    reason: str
    reason_sv: str = ""
    effect: dict[str, float]
    applications: list[str] = []
    room: str | None = Field(None, description="The room it meets in, when the candidate names one")


class ResultFile(_Strict):
    """Offers, unplaced applications and recommendations, each with its reason."""

    format: Literal["waitlist-result/1"]
    as_of: date
    status: Literal["optimal", "feasible", "infeasible", "model_invalid", "unknown"]
    offers: list[OfferOut] = []
    unplaced: list[UnplacedOut] = []
    recommendations: list[RecommendationOut] = []
    objective: dict[str, float] = {}
    metrics: dict[str, dict[str, Any]] = {}
