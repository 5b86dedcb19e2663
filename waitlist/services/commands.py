"""Commands: what a use case is asked to do, checked for shape before it runs (the rules are
checked by the use case itself). The HTTP schemas (api/routes/schemas.py), the pages' forms,
the import sheet and the command line each translate into these; storage models stay storage.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from waitlist.domain.values import Slot


class NewApplication(BaseModel):
    """A parent applies for one programme in their home district (applications.apply)."""

    programme: str = Field(max_length=64)
    district: str = Field(max_length=64)
    cross_district: bool = False
    max_travel_minutes: int = Field(default=0, ge=0, le=240)
    # Checked by the apply use case (waitlist.domain.values.parse_year_month), so that a bad
    # value is a domain error naming the field wherever the command was built.
    child_birth: str = Field(description="Child's birth year and month, YYYY-MM")
    languages: list[str] = Field(min_length=1)
    slots: list[Slot] = Field(default_factory=list, description="Empty: any slot")
    contact: str | None = Field(default=None, max_length=200)
    # One of waitlist.translations.LANGUAGES, checked by the apply use case.
    notice_language: str = Field(
        default="sv", max_length=8, description="Language of the notices: sv, en, ar, fa, so or ti"
    )
    queue_date: date | None = Field(default=None, description="Defaults to today")
