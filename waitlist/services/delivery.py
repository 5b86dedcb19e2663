"""The one notice sender the jobs use, built from settings: the contact decides the channel.

    sender_from(settings) -> NoticeSender

- nothing configured (`WAITLIST_SMTP_URL` and `WAITLIST_SMS_URL` empty): the demo's local
  outbox view, as before, so the demo needs no set-up;
- otherwise an e-mail address goes by SMTP and a phone number by SMS; a contact whose channel
  is not configured, or that is neither, is a dead letter for the coordinator to see. Every
  notice delivered is also kept in the local view (without its secret), which is the
  parent's list of notices.
"""

from __future__ import annotations

from sqlmodel import Session

from waitlist.config import Settings
from waitlist.domain.delivery import Channel, channel_for
from waitlist.services.mail import SmtpSender, parse_smtp_url
from waitlist.services.outbox import DeliveryFailed, DemoSender, Notice, NoticeSender
from waitlist.services.sms import ElksGateway, SmsSender


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


def sender_from(settings: Settings) -> NoticeSender:
    """The sender the settings ask for (the demo's local view when none is configured)."""
    if not settings.smtp_url and not settings.sms_url:
        return DemoSender()
    mail = None
    if settings.smtp_url:
        mail = SmtpSender(parse_smtp_url(settings.smtp_url), settings.mail_from)
    sms = None
    if settings.sms_url:
        sms = SmsSender(ElksGateway(settings.sms_url, settings.sms_key, settings.sms_from))
    return ChannelSender(mail, sms)
