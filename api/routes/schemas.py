"""Request and response models of the HTTP API that the storage layer does not already have.

Request models forbid unknown fields (`extra="forbid"`): a body carrying `status`, `taken`,
`queue_date` or `lottery` is refused with 422 naming the field, never stored.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)

from waitlist.domain.errors import InvalidInput
from waitlist.domain.values import (
    DeclineReason,
    Slot,
    Weekday,
    check_contact,
    parse_year_month,
)
from waitlist.services import lookups
from waitlist.storage.tables import (
    ApplicationPublic,
    EventPublic,
    GroupPublic,
    OfferPublic,
)


def _near_today(day: date) -> date:
    if abs((day - date.today()).days) > PLANNING_WINDOW_DAYS:
        raise ValueError(f"must be within {PLANNING_WINDOW_DAYS} days of today")
    return day


PLANNING_WINDOW_DAYS = 366
PlanningDay = Annotated[
    date, AfterValidator(_near_today), Field(description="A day within a year of today")
]


def _plausible_start(day: date) -> date:
    offset = (day - date.today()).days
    if not -366 <= offset <= 2 * 366:
        raise ValueError("must be within a year before and two years after today")
    return day


GroupStartDay = Annotated[
    date, AfterValidator(_plausible_start), Field(description="First session of the group")
]


MAX_ID = lookups.MAX_ID  # ids are 32-bit integers in every database


# The same rules as the HTML form and the apply use case (waitlist.domain.values), so that no
# way in is looser than another. Numbers are strict: `true` is not 1.
def _year_month(value: str) -> str:
    try:
        parse_year_month(value)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None
    return value


def _contact(value: str) -> str:
    try:
        return check_contact(value) or value
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


YearMonth = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$"), AfterValidator(_year_month)
]
Contact = Annotated[str, AfterValidator(_contact)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplyRequest(Strict):
    programme: str = Field(min_length=1, max_length=64, examples=["komet"])
    district: str = Field(min_length=1, max_length=64, examples=["farsta"])
    child_birth: YearMonth = Field(
        description="Child's birth year and month (ASCII digits)", examples=["2019-05"]
    )
    languages: list[str] = Field(min_length=1, max_length=10, examples=[["sv", "ar"]])
    slots: list[Slot] = Field(default_factory=list, max_length=4, description="Empty: any slot")
    cross_district: StrictBool = False
    max_travel_minutes: StrictInt = Field(default=0, ge=0, le=240)
    contact: Contact | None = Field(
        default=None, max_length=200, description="E-mail or phone for notices (optional)"
    )
    notice_language: str = Field(
        default="sv",
        max_length=8,
        description="Language of the notices sent to the contact: sv, en, ar, fa, so or ti",
    )


class Applied(BaseModel):
    application: ApplicationPublic
    status_token: str = Field(
        description="The parent's secret: send it as `Authorization: Bearer <token>`. "
        "Shown once; keep it safe."
    )


class NewStatusToken(BaseModel):
    status_token: str


class WaitEstimatePublic(BaseModel):
    low_weeks: int | None
    high_weeks: int | None
    basis: str
    reason: str | None = None
    # A calibrated range (basis "history"): the most likely wait, and the share of parents in
    # the same place whose wait fell inside such a range.
    likely_weeks: int | None = None
    coverage: float | None = None
    open_ended: bool = False  # no upper end (high_weeks null): "low weeks or more"


class DistrictStandingPublic(BaseModel):
    district: str
    travel_minutes: int
    position: int
    queue_length: int
    home: bool
    estimate: WaitEstimatePublic


class ParentStatusPublic(BaseModel):
    application: ApplicationPublic
    status: str
    home: DistrictStandingPublic | None = Field(
        description="Queue position and wait estimate in the home district (while waiting)."
    )
    pending_offer: OfferPublic | None
    pending_group: GroupPublic | None = Field(description="The group of the pending offer")
    can_start_from: date | None = Field(
        None,
        description="For a child younger than the programme's minimum age: the first day they "
        "can start (no offer before then; the wait estimate counts from then).",
    )


class OutlookPublic(BaseModel):
    status: str
    home: DistrictStandingPublic | None
    elsewhere: list[DistrictStandingPublic] = Field(
        description="Position and wait estimate in each district within the travel limit "
        "(empty unless the parent opted in to other districts)."
    )


class ApplicationsPage(BaseModel):
    data: list[ApplicationPublic]
    count: int


class OffersPage(BaseModel):
    data: list[OfferPublic]
    count: int


class GroupsPage(BaseModel):
    data: list[GroupPublic]
    count: int


class EventsPage(BaseModel):
    data: list[EventPublic]
    count: int


class DataExport(BaseModel):
    application: dict[str, Any]
    offers: list[dict[str, Any]]
    history: list[dict[str, Any]]
    notices: list[dict[str, Any]]


class DeclineRequest(Strict):
    reason: DeclineReason | None = Field(default=None, description="Optional: why not")


class GroupCreateRequest(Strict):
    programme: str = Field(min_length=1, max_length=64)
    district: str = Field(min_length=1, max_length=64)
    start: GroupStartDay
    weekday: Weekday | None = Field(
        default=None, description="Must be the start date's weekday (default: that day's)"
    )
    slot: Slot
    language: str = Field(min_length=1, max_length=8)
    capacity: StrictInt = Field(ge=1, le=1000)
    min_size: StrictInt = Field(ge=1, le=1000)
    planned: StrictBool = Field(default=False, description="Planned (not yet recruiting)")
    venue_id: StrictInt | None = Field(
        default=None, ge=1, le=MAX_ID, description="A venue of the district"
    )
    time_start: str | None = Field(
        default=None, max_length=5, description="Like 18:00 (default: the slot's usual time)"
    )
    time_end: str | None = Field(default=None, max_length=5, description="Like 20:00")
    meetings: StrictInt | None = Field(
        default=None, ge=1, le=60, description="Number of meetings (default: the programme's)"
    )
    leader_first_name: str | None = Field(default=None, max_length=40)


class VenueCreateRequest(Strict):
    district: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=120, description="The room, e.g. 'Sal 2'")
    address: str = Field(min_length=1, max_length=200)
    accessibility: str = Field(default="", max_length=500)
    directions: str = Field(default="", max_length=500, description="How to get there")
    capacity: StrictInt | None = Field(
        default=None, ge=1, le=1000, description="Most parents in a group there (none: no limit)"
    )
    weekdays: list[Weekday] = Field(default=[], max_length=7, description="Bookable (none: any)")
    slots: list[Slot] = Field(default=[], max_length=4, description="Bookable (none: any)")


class VenueUpdateRequest(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    address: str | None = Field(default=None, min_length=1, max_length=200)
    accessibility: str | None = Field(default=None, max_length=500)
    directions: str | None = Field(default=None, max_length=500)
    capacity: StrictInt | None = Field(default=None, ge=1, le=1000)
    weekdays: list[Weekday] | None = Field(default=None, max_length=7)
    slots: list[Slot] | None = Field(default=None, max_length=4)
    active: StrictBool | None = None


_Code = Annotated[str, StringConstraints(min_length=1, max_length=64)]
_Week = Annotated[str, StringConstraints(min_length=1, max_length=10)]


class LeaderCreateRequest(Strict):
    label: str = Field(min_length=1, max_length=64, description="Name or initials")
    district: str = Field(min_length=1, max_length=64)
    programmes: list[_Code] = Field(min_length=1, max_length=20, description="Certified for")
    languages: list[_Code] = Field(min_length=1, max_length=20, description="Language codes")
    max_groups: StrictInt = Field(default=1, ge=1, le=20, description="Groups at once")
    unavailable_weeks: list[_Week] = Field(
        default=[], max_length=200, description="ISO weeks away, e.g. 2026-W14"
    )


class LeaderUpdateRequest(Strict):
    label: str | None = Field(default=None, min_length=1, max_length=64)
    programmes: list[_Code] | None = Field(default=None, min_length=1, max_length=20)
    languages: list[_Code] | None = Field(default=None, min_length=1, max_length=20)
    max_groups: StrictInt | None = Field(default=None, ge=1, le=20)
    unavailable_weeks: list[_Week] | None = Field(default=None, max_length=200)
    active: StrictBool | None = None


class CancelRequest(Strict):
    reason: str = Field(default="", max_length=500)


class MakeOfferRequest(Strict):
    application_id: StrictInt = Field(ge=1, le=MAX_ID)
    reason: str = Field(
        max_length=500,
        description="Why this seat goes to this parent outside a placement round (audited)",
    )


class ExpiredOffers(BaseModel):
    expired: list[int]


class SentNoticePublic(BaseModel):
    id: int
    outbox_id: int
    kind: str
    message: str
    sent_at: datetime
