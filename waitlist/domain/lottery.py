"""Lottery numbers: drawn once per application from a recorded seed, reproducible.

lottery = first 4 bytes of HMAC-SHA256(seed, "application:<id>") as an unsigned integer, kept
below 2**31 so it fits every database's INTEGER. Anyone holding the recorded seed can recompute
every number and check the tie-breaks (rule 1).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

LOTTERY_MAX = 2**31


def new_seed() -> str:
    """A fresh 128-bit seed, hex encoded, to be recorded before drawing."""
    return secrets.token_hex(16)


def draw(seed: str, application_id: int | str) -> int:
    digest = hmac.new(seed.encode(), f"application:{application_id}".encode(), hashlib.sha256)
    return int.from_bytes(digest.digest()[:4], "big") % LOTTERY_MAX
