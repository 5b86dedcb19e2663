"""Delivering notices: which channel a contact means, and when a failed send is tried again.

- The contact a parent gave decides the channel: an e-mail address goes by mail, a phone
  number by SMS (as E.164, a Swedish number's leading 0 read as +46). Anything else has no
  channel, and a notice to it can never be delivered.
- A failed send is tried again after a delay that doubles with every attempt, from `base`
  up to `cap`; after `max_attempts` attempts it is given up (a dead letter). A permanent
  failure (the address bounced, the number was refused) is given up at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


_EMAIL = re.compile(r"^[^@\s<>\"',;]{1,64}@[^@\s<>\"',;]{1,190}\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")
COUNTRY_PREFIX = "+46"


def phone_number(contact: str) -> str | None:
    """The contact as an E.164 number (`070-123 45 67` -> `+46701234567`), or None."""
    text = contact.strip()
    if not _PHONE.match(text):
        return None
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.startswith("+"):
        number = "+" + digits
    elif digits.startswith("00"):
        number = "+" + digits[2:]
    elif digits.startswith("0"):
        number = COUNTRY_PREFIX + digits[1:]
    else:
        number = "+" + digits
    return number if 8 <= len(number) <= 16 else None


def channel_for(contact: str | None) -> Channel | None:
    """E-mail for an address, SMS for a phone number, None when the contact is neither."""
    if not contact:
        return None
    text = contact.strip()
    if _EMAIL.match(text):
        return Channel.EMAIL
    if phone_number(text) is not None:
        return Channel.SMS
    return None


@dataclass(frozen=True)
class Retry:
    """When to try a failed notice again, and when to give up."""

    max_attempts: int = 10
    base: timedelta = timedelta(minutes=1)
    cap: timedelta = timedelta(hours=1)

    def delay(self, attempts: int) -> timedelta:
        """The wait after the `attempts`-th failed attempt (1, 2, ...): base * 2^(n-1), capped."""
        exponent = max(0, attempts - 1)
        if exponent >= 32:  # far beyond any cap; keeps the multiplication small
            return self.cap
        return min(self.cap, self.base * (2**exponent))

    def next_attempt(self, attempts: int, now: datetime) -> datetime | None:
        """When to try again after `attempts` failed attempts, or None to give up."""
        if attempts >= self.max_attempts:
            return None
        return now + self.delay(attempts)
