"""Notices by SMS, through a provider behind one small interface (`SmsGateway`).

The first adapter speaks 46elks' HTTP API (a Swedish SMS gateway): `POST {WAITLIST_SMS_URL}`
(https://api.46elks.com/a1/sms) with the form fields `from`, `to` (E.164) and `message`,
HTTP basic auth with the API user and password (`WAITLIST_SMS_KEY=user:password`). It also
sends the outbox id as an `Idempotency-Key` header, for a gateway that drops duplicates by it.

A 4xx answer other than 401/403/408/429 refuses this message for good (a bad or unreachable
number); anything else (5xx, no answer, refused login) is tried again later.
"""

from __future__ import annotations

from typing import Protocol

import httpx
from sqlmodel import Session

from waitlist.domain.delivery import phone_number
from waitlist.domain.errors import InvalidInput
from waitlist.services.notice_texts import compose
from waitlist.services.outbox import DeliveryFailed, Notice

RETRYABLE = frozenset({401, 403, 408, 429})
MAX_SENDER_NAME = 11  # an alphanumeric sender id has at most 11 characters


class SmsGateway(Protocol):
    """Sends one text message; raises `DeliveryFailed` when it does not go through."""

    def send_sms(self, to: str, message: str, message_id: str) -> None: ...


class ElksGateway:
    def __init__(self, url: str, key: str, sender_name: str, *, timeout: float = 20.0) -> None:
        user, colon, password = key.partition(":")
        if not url.startswith(("https://", "http://")):
            raise InvalidInput(
                "WAITLIST_SMS_URL must be the gateway's http(s) address", field="WAITLIST_SMS_URL"
            )
        if not colon or not user or not password:
            field = "WAITLIST_SMS_KEY"
            raise InvalidInput(f"{field} must be API-user:API-password", field=field)
        if not sender_name or len(sender_name) > MAX_SENDER_NAME:
            field = "WAITLIST_SMS_FROM"
            raise InvalidInput(f"{field} must be 1 to 11 characters", field=field)
        self.url = url
        self.auth = (user, password)
        self.sender_name = sender_name
        self.timeout = timeout

    def send_sms(self, to: str, message: str, message_id: str) -> None:
        try:
            response = httpx.post(
                self.url,
                data={"from": self.sender_name, "to": to, "message": message},
                auth=self.auth,
                headers={"Idempotency-Key": message_id},
                timeout=self.timeout,
            )
        except httpx.HTTPError as exc:
            raise DeliveryFailed(f"sms unavailable ({type(exc).__name__})") from None
        code = response.status_code
        if code < 300:
            return
        refused = 400 <= code < 500 and code not in RETRYABLE
        raise DeliveryFailed(f"sms {code}", contact_refused=refused)


class SmsSender:
    """Sends a notice's short text to the parent's number through `gateway`."""

    def __init__(self, gateway: SmsGateway) -> None:
        self.gateway = gateway

    def send(self, notice: Notice, session: Session) -> None:
        number = phone_number(notice.contact or "")
        if number is None:
            raise DeliveryFailed("not a phone number", contact_refused=True)
        content = notice.content or compose(notice.kind, {}, notice.language)
        self.gateway.send_sms(number, content.sms, f"outbox-{notice.outbox_id}")
