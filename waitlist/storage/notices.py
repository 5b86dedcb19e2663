"""The local view of notices sent: one row per notice, never two per outbox row.

The demo writes only here; the e-mail and SMS senders write here too after delivering (the
parent's list of notices). Either way the row is written in the same transaction that marks
the outbox row sent, so a notice is recorded exactly once; e-mail and SMS providers get the
outbox id as message id for the same guarantee. It holds the recipient *reference*, never the
contact itself.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from waitlist.storage.columns import utcnow


class SentNotice(SQLModel, table=True):
    __tablename__ = "sent_notice"

    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int = Field(unique=True, index=True)
    kind: str = Field(max_length=32)
    recipient: str = Field(max_length=64)
    message: str = Field(max_length=1000)
    sent_at: datetime = Field(default_factory=utcnow, index=True)


class SentNoticePublic(SQLModel):
    id: int
    outbox_id: int
    kind: str
    recipient: str
    message: str
    sent_at: datetime
