"""Password hashes for the test accounts: argon2id like the product's own, at the smallest cost.

The product verifies an argon2 hash with the parameters written in it, so a log-in against
these takes a millisecond instead of a fifth of a second of CPU, while the hashes the product
makes itself stay slow on purpose (`waitlist.services.staff`)."""

from __future__ import annotations

import functools

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

_QUICK = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))


@functools.cache
def quick_hash(password: str) -> str:
    """An argon2id hash of `password` that is cheap to check (one per password and process)."""
    return _QUICK.hash(password)
