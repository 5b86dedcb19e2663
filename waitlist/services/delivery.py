"""The notice sender of a configured installation: the contact decides the channel.

An e-mail address goes by SMTP and a phone number by SMS; a contact whose channel is not
configured, or that is neither, is a dead letter for the coordinator to see. Every notice
delivered is also kept in the local view (without its secret), which is the parent's list of
notices. `waitlist.bootstrap.notice_sender(settings)` builds it (or the demo's local view
when nothing is configured).
"""

from __future__ import annotations

from sqlmodel import Session

from waitlist.domain.delivery import Channel, channel_for
from waitlist.services.outbox import DeliveryFailed, DemoSender, Notice, NoticeSender


class ChannelSender:
    """E-mail to an address, SMS to a number; then the local copy."""

    def __init__(self, mail: NoticeSender | None, sms: NoticeSender | None) -> None:
        self.mail = mail
        self.sms = sms
        self.kept = DemoSender()

    def send(self, notice: Notice, session: Session) -> None:
        channel = channel_for(notice.contact)
        if notice.contact is None:
            pass  # no contact given, or erased: nothing to send, only the local record
        elif channel is None:
            raise DeliveryFailed(
                "contact is neither an e-mail address nor a phone number", contact_refused=True
            )
        else:
            sender = self.mail if channel == Channel.EMAIL else self.sms
            if sender is None:
                raise DeliveryFailed(f"no {channel} sender configured", permanent=True)
            sender.send(notice, session)
        self.kept.send(notice, session)
