"""Log-in throttling: failure counters with their pauses, and the addresses each staff
account has logged in from (where its owner gets in even while others guess its password).

Addresses are stored as hashes; the rows are purged by the scheduled jobs once they no longer
matter (`waitlist.services.logins.purge_old`)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class LoginThrottle(SQLModel, table=True):
    """Failed log-ins in a row for one bucket (account x address, address, or account)."""

    __tablename__ = "login_throttle"

    bucket: str = Field(primary_key=True, max_length=120)
    failures: int = 0
    # Epoch seconds: no attempt is checked before `closed_until`.
    closed_until: float = 0.0
    last_failure: float = Field(default=0.0, index=True)


class StaffLoginAddress(SQLModel, table=True):
    """An address (hashed) a staff account logged in from with its right password."""

    __tablename__ = "staff_login_address"

    staff_id: int = Field(foreign_key="staff.id", primary_key=True, ondelete="CASCADE")
    address: str = Field(primary_key=True, max_length=64)
    last_login: float = Field(default=0.0, index=True)
