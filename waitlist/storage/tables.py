"""Every table, imported in one place so `SQLModel.metadata` is complete (for Alembic too)."""

from __future__ import annotations

from sqlmodel import SQLModel

from waitlist.storage.application_tables import (
    Application,
    ApplicationPublic,
    ApplicationsPublic,
    ApplicationUpdate,
    LotterySeed,
)
from waitlist.storage.group_tables import (
    Group,
    GroupCreate,
    GroupLeaderLink,
    GroupPublic,
    GroupsPublic,
    GroupUpdate,
    Leader,
    LeaderCreate,
    LeaderPublic,
    LeadersPublic,
    LeaderUpdate,
)
from waitlist.storage.idempotency import IdempotencyRecord, RateLimitWindow
from waitlist.storage.job_tables import (
    RecommendationJob,
    RecommendationProgress,
    SimulationJob,
    TermPlanJob,
)
from waitlist.storage.login_tables import LoginThrottle, StaffLoginAddress
from waitlist.storage.notices import SentNotice
from waitlist.storage.offer_tables import Offer, OfferCreate, OfferPublic, OffersPublic, OfferUpdate
from waitlist.storage.record_tables import (
    Event,
    EventPublic,
    Outbox,
    OutboxPublic,
    PlacementRound,
    PlacementRoundPublic,
)
from waitlist.storage.reference_tables import (
    District,
    DistrictPublic,
    Programme,
    ProgrammePublic,
    Travel,
)
from waitlist.storage.staff_tables import Staff, StaffCreate, StaffPublic, StaffRole, StaffUpdate
from waitlist.storage.venue_tables import (
    Venue,
    VenueCreate,
    VenuePublic,
    VenuesPublic,
    VenueUpdate,
)

metadata = SQLModel.metadata

__all__ = [
    "Venue",
    "VenueCreate",
    "VenuePublic",
    "VenueUpdate",
    "VenuesPublic",
    "Application",
    "ApplicationPublic",
    "ApplicationUpdate",
    "ApplicationsPublic",
    "District",
    "DistrictPublic",
    "Event",
    "EventPublic",
    "Group",
    "GroupCreate",
    "GroupLeaderLink",
    "GroupPublic",
    "GroupUpdate",
    "GroupsPublic",
    "IdempotencyRecord",
    "Leader",
    "LeaderCreate",
    "LeaderPublic",
    "LeadersPublic",
    "LeaderUpdate",
    "LoginThrottle",
    "LotterySeed",
    "Offer",
    "OfferCreate",
    "OfferPublic",
    "OfferUpdate",
    "OffersPublic",
    "Outbox",
    "OutboxPublic",
    "PlacementRound",
    "PlacementRoundPublic",
    "RecommendationJob",
    "RecommendationProgress",
    "SimulationJob",
    "TermPlanJob",
    "Programme",
    "ProgrammePublic",
    "RateLimitWindow",
    "SentNotice",
    "Staff",
    "StaffCreate",
    "StaffLoginAddress",
    "StaffPublic",
    "StaffRole",
    "StaffUpdate",
    "Travel",
    "metadata",
]
