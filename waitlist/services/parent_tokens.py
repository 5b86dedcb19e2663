"""A parent's secret status token: replace it (which revokes the old one).

The token is issued once by `applications.apply`; only its SHA-256 is stored. A parent who
fears their link leaked gets a new one here; the old one stops working at once.
"""

from __future__ import annotations

from dataclasses import dataclass

from waitlist.domain.errors import IllegalTransition
from waitlist.services import lookups
from waitlist.services.applications import hash_token, new_token
from waitlist.services.outbox import forget_secrets
from waitlist.storage.uow import UnitOfWork


@dataclass(frozen=True)
class NewToken:
    application_id: int
    token: str  # shown once; never stored


def rotate(uow: UnitOfWork, application_id: int) -> NewToken:
    with uow:
        app = lookups.application(uow, application_id)
        if app.erased_at is not None:
            raise IllegalTransition("This application's data was erased.", field="application")
        token = new_token()
        app.token_hash = hash_token(token)
        uow.session.add(app)
        forget_secrets(uow.session, f"application:{app.id}")  # the old link is dead anyway
        uow.record_row("application", app, "token_replaced")
        uow.commit()
        return NewToken(application_id=application_id, token=token)
