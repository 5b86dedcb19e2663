"""Where a parent's personal link was sent when they applied, for the page that shows it.

`applications.apply` queues an "applied" notice with the link in the outbox when the parent
gave a contact (an e-mail address or a phone number), and none when they gave no contact. The
page shown right after applying says where the link went, with the contact masked: the page
is open to anyone who has the link, and the contact is personal data.
"""

from __future__ import annotations

from sqlmodel import select

from waitlist.services import access
from waitlist.services.access import Actor
from waitlist.storage.record_tables import Outbox
from waitlist.storage.tables import Application
from waitlist.storage.uow import UnitOfWork

PHONE_SHOWN = 4  # the last digits of a phone number shown
MASK = "***"
PHONE_MASK = "******"  # always the same width, so the mask tells nothing of the length


def mask_contact(contact: str) -> str:
    """`a***@example.se` for an e-mail address, `******1234` for a phone number."""
    contact = contact.strip()
    local, at, domain = contact.rpartition("@")
    if at and local:
        return f"{local[0]}{MASK}@{domain}"
    digits = [c for c in contact if c.isdigit()]
    return PHONE_MASK + "".join(digits[-PHONE_SHOWN:])


def link_sent_to(uow: UnitOfWork, actor: Actor) -> str | None:
    """The masked contact the parent's personal link was sent to when they applied, or None
    when no link was sent (no contact given) or the contact has been erased since."""
    if actor.application_id is None:
        return None
    with uow:
        app = access.check_application(uow, actor, actor.application_id)
        if not app.contact or app.erased_at is not None:
            return None
        notice = uow.session.exec(
            select(Outbox.id).where(
                Outbox.recipient == f"application:{app.id}", Outbox.kind == "applied"
            )
        ).first()
        return mask_contact(app.contact) if notice is not None else None


def unreachable_contact(uow: UnitOfWork, actor: Actor) -> str | None:
    """The masked contact a notice could not be delivered to for good (a bounce, a refused
    number), for the status page to ask the parent to check it; None when all is well."""
    if actor.application_id is None:
        return None
    with uow:
        return unreachable_of(access.check_application(uow, actor, actor.application_id))


def unreachable_of(app: Application) -> str | None:
    """`unreachable_contact` for an application already read (and access-checked)."""
    if not app.contact or app.contact_unreachable_at is None or app.erased_at is not None:
        return None
    return mask_contact(app.contact)
