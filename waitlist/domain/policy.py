"""The policy values a use case needs, as plain data (built from Settings at the edge)."""

from __future__ import annotations

from dataclasses import dataclass

from waitlist.domain.values import HomePriority


@dataclass(frozen=True)
class Rules:
    offer_response_days: int = 10
    """Days a parent has to answer an offer (respond-by = made on + this)."""
    min_response_days: int = 3
    """Rule 10: an offer's deadline is shortened to the day before the group's first meeting
    only when this many days are left to answer; otherwise the group takes no more offers."""
    max_expired_offers: int = 2
    """Repeated-expiry policy: after this many unanswered offers in a row, pause (0 = never)."""
    deadline_notice_days: int = 2
    """A 'deadline near' notice goes out when this many days or fewer are left."""
    start_notice_days: int = 3
    """A 'group starts soon' notice goes to the enrolled parents this many days before."""
    cross_district_after_weeks: int = 8
    cross_district_test: str = "waited"
    """Rule 5: 'waited' or 'projected' own-district wait over the limit (domain/crossing.py)."""
    home_priority: str = HomePriority.STRICT.value
    target_weeks: int = 8
