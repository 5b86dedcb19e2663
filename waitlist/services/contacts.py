"""A parent's contact for notices: changed by the parent, e.g. after a notice bounced.

    change_contact(uow, application_id, contact, *, notice_language) -> ApplicationPublic

The contact decides the channel (waitlist.domain.delivery): an e-mail address or a phone
number, or None for no notices. A contact marked unreachable is cleared, and the notices
given up on it are queued again for the new one (all but the "applied" notice, whose
personal link is not kept once given up).
"""

from __future__ import annotations

from sqlmodel import col, select

from waitlist.domain.delivery import channel_for
from waitlist.domain.errors import IllegalTransition, InvalidInput
from waitlist.services import lookups
from waitlist.services.applications import check_notice_language, to_public
from waitlist.services.inputs import check_text
from waitlist.services.retry import retrying
from waitlist.storage.tables import ApplicationPublic, Outbox
from waitlist.storage.uow import UnitOfWork

MAX_CONTACT = 200


def _checked(contact: str | None) -> str | None:
    contact = (contact or "").strip() or None
    if contact is not None:
        check_text(contact, "contact")
        if len(contact) > MAX_CONTACT or channel_for(contact) is None:
            raise InvalidInput(
                "contact must be an e-mail address or a phone number.", field="contact"
            )
    return contact


@retrying
def change_contact(
    uow: UnitOfWork, application_id: int, contact: str | None, *, notice_language: str | None = None
) -> ApplicationPublic:
    """Set the parent's contact for notices (None: no notices) and, if given, the language they
    are written in (the language the parent is reading the page in)."""
    contact = _checked(contact)
    if notice_language is not None:
        check_notice_language(notice_language)
    with uow:
        app = lookups.application(uow, application_id)
        if app.erased_at is not None:
            raise IllegalTransition("This application has been erased.", field="application")
        app.contact = contact
        app.notice_language = notice_language or app.notice_language
        app.contact_unreachable_at = None
        app.updated_at = uow.now()
        uow.session.add(app)
        if contact is not None:
            given_up = uow.session.exec(
                select(Outbox).where(
                    Outbox.recipient == f"application:{app.id}",
                    col(Outbox.dead_at).is_not(None),
                    col(Outbox.sent_at).is_(None),
                    Outbox.kind != "applied",
                )
            ).all()
            for row in given_up:
                row.dead_at = row.next_attempt_at = None
                row.attempts = 0
                uow.session.add(row)
        # The event says that it changed, never what to: the contact is personal data.
        uow.record_row("application", app, "contact_changed")
        uow.commit()
        return to_public(app)
