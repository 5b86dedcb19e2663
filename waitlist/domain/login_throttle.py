"""Slowing down password guessing: failed log-ins open growing pauses (exponential backoff).

A counter (a *bucket*) counts failed attempts for one thing being guessed at: one account from
one address, one address over all accounts, one account from addresses it never logged in from.
The first `free` failures cost nothing; each further one closes the bucket for twice as long as
the one before, from `base_seconds` up to `max_seconds`. An attempt is charged as a failure
*before* its password is checked (and refunded when it was right), so attempts sent at once
cannot slip through together: each one either claims its place in the schedule or is refused.
A bucket left alone for `forget_seconds` starts again from nothing.

With the defaults (3 free, 2 s doubling, at most 15 min) one account from one address gets at
most 7 checks in its first minute, 11 in its first ten minutes, then 4 an hour.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Backoff:
    """How quickly one kind of bucket closes."""

    free: int = 3
    base_seconds: float = 2.0
    max_seconds: float = 900.0
    forget_seconds: float = 3600.0

    def pause_after(self, failures: int) -> float:
        """Seconds the bucket stays closed after its `failures`-th failure in a row."""
        if failures < self.free:
            return 0.0
        exponent = min(failures - self.free, 32)  # 2**32 s is past any cap
        return min(self.max_seconds, self.base_seconds * 2.0**exponent)


@dataclass(frozen=True)
class Bucket:
    """A bucket's stored state: failures in a row, closed until (epoch seconds), last failure."""

    failures: int = 0
    closed_until: float = 0.0
    last_failure: float = 0.0


def current(bucket: Bucket, backoff: Backoff, now: float) -> Bucket:
    """The bucket as it stands at `now`: forgotten after a long enough quiet spell."""
    if bucket.failures and now - bucket.last_failure >= backoff.forget_seconds:
        return Bucket()
    return bucket


def wait_seconds(bucket: Bucket, backoff: Backoff, now: float) -> float:
    """How long until the bucket lets an attempt through (0 when it does now)."""
    return max(0.0, current(bucket, backoff, now).closed_until - now)


def charged(bucket: Bucket, backoff: Backoff, now: float) -> Bucket:
    """The bucket after one more attempt, counted as a failure until proven right."""
    failures = current(bucket, backoff, now).failures + 1
    return Bucket(failures, now + backoff.pause_after(failures), now)


def refunded(bucket: Bucket) -> Bucket:
    """The bucket after a charged attempt turned out right: that attempt no longer counts.
    The pause already running is kept (other failures earned it)."""
    return Bucket(max(0, bucket.failures - 1), bucket.closed_until, bucket.last_failure)
