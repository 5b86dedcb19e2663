"""Staff log-in with throttling: the one way every login route (the API's and both log-in
forms) checks a password.

Order of work, so that a guess costs nobody else anything:
1. read the account and the counters (a read-only unit of work; refused here when a pause
   runs: no password check, no write);
2. claim the attempt: one short write transaction charges it as a failure in every bucket
   that applies (`waitlist.domain.login_throttle`), or refuses it if another attempt closed a
   bucket meanwhile;
3. check the password with no transaction open, on the process's one password-check thread
   at a lower priority (`PasswordChecks`: argon2 takes about a quarter of a second of CPU on
   several threads; checks running side by side at the pages' priority took the machine's
   cores from every page); when that thread already has its queue full the attempt is refused
   unchecked and uncharged, as busy, to be tried again in a second;
4. when it was right, a second short write: the account x address bucket starts afresh, the
   address bucket gets its charge back, the address is remembered as the owner's, and the
   log-in is audited.

Buckets: the account from this address (tight: `LoginPolicy.account`); this address over all
accounts, and the account over the addresses it never logged in from (looser:
`LoginPolicy.wide`). An address the account logged in from before is not slowed by the
account-wide bucket, so guesses from elsewhere never lock the owner out of their usual place.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import delete, text
from sqlmodel import col, select

from waitlist.domain.login_throttle import Backoff, Bucket, charged, current, refunded, wait_seconds
from waitlist.services import staff as staff_accounts
from waitlist.services.access import Actor
from waitlist.services.inputs import has_control
from waitlist.storage.login_tables import LoginThrottle, StaffLoginAddress
from waitlist.storage.staff_tables import Staff, StaffPublic
from waitlist.storage.uow import UnitOfWork

KNOWN_ADDRESS_DAYS = 180
BUSY_RETRY_SECONDS = 1


@dataclass(frozen=True)
class LoginPolicy:
    account: Backoff = field(default_factory=Backoff)
    wide: Backoff = field(default_factory=lambda: Backoff(free=10))


@dataclass(frozen=True)
class LoginResult:
    """`staff` when the password was right (whatever the account's role), `retry_after`
    seconds (> 0) when the attempt was refused before any password check."""

    staff: StaffPublic | None = None
    retry_after: int = 0
    busy: bool = False  # refused because the process's password checks are all taken

    @property
    def throttled(self) -> bool:
        return self.retry_after > 0 and not self.busy


class PasswordChecks:
    """A process's password checks: one at a time, on a thread of its own whose niceness is
    raised by `niceness` (argon2's own threads inherit it), with at most `waiting` more
    attempts queued behind it. A page and a check that both want the CPU: the page gets it.

    `turn()` yields whether the caller got a place (it holds it until the block ends);
    `matches()` runs one check in that place and waits for it."""

    def __init__(self, waiting: int = 2, niceness: int = 10) -> None:
        self._places = threading.BoundedSemaphore(waiting + 1)
        self._niceness = niceness
        self._pool = ThreadPoolExecutor(
            max_workers=1, thread_name_prefix="password-check", initializer=self._lower_priority
        )

    def _lower_priority(self) -> None:
        try:  # on Linux the niceness is the thread's own, and threads it starts inherit it
            thread = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, thread)
            os.setpriority(os.PRIO_PROCESS, thread, min(19, current + self._niceness))
        except (AttributeError, OSError):  # elsewhere: the process's priority
            pass

    @contextmanager
    def turn(self) -> Iterator[bool]:
        got = self._places.acquire(blocking=False)
        try:
            yield got
        finally:
            if got:
                self._places.release()

    def matches(self, password: str, password_hash: str | None) -> bool:
        return self._pool.submit(staff_accounts.password_matches, password, password_hash).result()


# The process's checks (each worker process of a server has its own).
CHECKS = PasswordChecks()


class PauseMemory:
    """The pauses this process has seen, so that an attempt from an address already paused
    costs a dictionary lookup, not a database trip (a guessing client sends many). Only the
    buckets named by the account and the address are kept: the account-wide bucket depends
    on whether the address is known, which takes a read. A pause found in the database only
    ends at its time (or with the right password, which forgets it here), so several workers
    remembering it agree."""

    def __init__(self, size: int = 10_000) -> None:
        self._until: dict[str, float] = {}
        self._size = size
        self._lock = threading.Lock()

    def wait(self, buckets: list[str], now: float) -> float:
        with self._lock:
            return max((self._until.get(b, 0.0) - now for b in buckets), default=0.0)

    def remember(self, closes: dict[str, float], now: float) -> None:
        with self._lock:
            if len(self._until) >= self._size:  # forget pauses that are over, or all
                self._until = {b: t for b, t in self._until.items() if t > now}
                if len(self._until) >= self._size:
                    self._until.clear()
            self._until.update({b: t for b, t in closes.items() if t > now})

    def forget(self, buckets: list[str]) -> None:
        with self._lock:
            for bucket in buckets:
                self._until.pop(bucket, None)


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def _buckets(username: str, address: str, known: bool, policy: LoginPolicy) -> dict[str, Backoff]:
    """The buckets an attempt is counted in; the first two whether or not `known`."""
    account, place = _digest(username.lower()), _digest(address)
    buckets = {
        f"login:acct-addr:{account}:{place}": policy.account,
        f"login:addr:{place}": policy.wide,
    }
    if not known:
        buckets[f"login:acct:{account}"] = policy.wide
    return buckets


def _bucket(row: LoginThrottle | None) -> Bucket:
    return Bucket() if row is None else Bucket(row.failures, row.closed_until, row.last_failure)


def _retry_after(seconds: float) -> int:
    return max(1, int(seconds + 0.999))


def log_in(
    make_uow: Callable[..., UnitOfWork],
    username: str,
    password: str,
    address: str,
    policy: LoginPolicy | None = None,
    *,
    memory: PauseMemory | None = None,
    now: float | None = None,
    checks: PasswordChecks | None = None,
) -> LoginResult:
    """Check `username`'s `password` for a caller at `address`, throttled (see above).
    `memory`: the process's pauses (one per database), to refuse paused attempts cheaply;
    `checks`: where the password is checked (the process's `CHECKS` by default)."""
    policy = policy or LoginPolicy()
    checks = checks or CHECKS
    memory = memory or PauseMemory()
    moment = time.time() if now is None else now
    place = _digest(address)
    steady = list(_buckets(str(username), address, True, policy))
    wait = memory.wait(steady, moment)
    if wait > 0:
        return LoginResult(retry_after=_retry_after(wait))
    # 1. Read: the account, whether this is one of its addresses, the counters.
    with make_uow(readonly=True) as uow:
        staff = (
            None
            if not isinstance(username, str) or has_control(username)
            else uow.session.exec(select(Staff).where(Staff.username == username)).first()
        )
        known = (
            staff is not None and uow.session.get(StaffLoginAddress, (staff.id, place)) is not None
        )
        buckets = _buckets(str(username), address, known, policy)
        rows = uow.session.exec(
            select(LoginThrottle).where(col(LoginThrottle.bucket).in_(list(buckets)))
        ).all()
        wait = max(
            (wait_seconds(_bucket(row), buckets[row.bucket], moment) for row in rows), default=0.0
        )
        memory.remember(
            {row.bucket: row.closed_until for row in rows if row.bucket in steady}, moment
        )
        account = None if staff is None else StaffPublic.model_validate(staff, from_attributes=True)
        password_hash = None if staff is None or not staff.active else staff.password_hash
    if wait > 0:
        return LoginResult(retry_after=_retry_after(wait))
    with checks.turn() as ours:
        if not ours:  # busy: nothing charged, nothing checked
            return LoginResult(retry_after=BUSY_RETRY_SECONDS, busy=True)
        # 2. Claim the attempt in every bucket, or be refused.
        wait, closes = _claim(make_uow, buckets, moment)
        memory.remember({bucket: closes[bucket] for bucket in steady}, moment)
        if wait > 0:
            return LoginResult(retry_after=_retry_after(wait))
        # 3. The password, outside any transaction, in its turn.
        if not checks.matches(password, password_hash):
            return LoginResult()
    # 4. Right: settle the counters, remember the address, audit.
    assert account is not None
    _settle(make_uow, account, buckets, place, known, moment)
    memory.forget(steady)
    return LoginResult(staff=account)


_ENSURE = text(
    "INSERT INTO login_throttle (bucket, failures, closed_until, last_failure) "
    "VALUES (:bucket, 0, 0, 0) ON CONFLICT (bucket) DO NOTHING"
)


def _locked_rows(uow: UnitOfWork, buckets: dict[str, Backoff]) -> dict[str, LoginThrottle]:
    # In one order everywhere, so two attempts never wait on each other in a circle.
    for bucket in sorted(buckets):
        uow.session.execute(_ENSURE, {"bucket": bucket})
    rows = uow.session.exec(
        select(LoginThrottle)
        .where(col(LoginThrottle.bucket).in_(list(buckets)))
        .order_by(col(LoginThrottle.bucket))
        .with_for_update()
    ).all()
    return {row.bucket: row for row in rows}


def _store(row: LoginThrottle, bucket: Bucket) -> None:
    row.failures, row.closed_until, row.last_failure = (
        bucket.failures,
        bucket.closed_until,
        bucket.last_failure,
    )


def _claim(
    make_uow: Callable[..., UnitOfWork], buckets: dict[str, Backoff], now: float
) -> tuple[float, dict[str, float]]:
    """Charge the attempt in every bucket (one short transaction). The wait when one is
    closed (0 when charged), and until when each bucket is closed now."""
    with make_uow() as uow:
        rows = _locked_rows(uow, buckets)
        wait = max(wait_seconds(_bucket(rows[b]), backoff, now) for b, backoff in buckets.items())
        if wait == 0:
            for name, backoff in buckets.items():
                _store(rows[name], charged(_bucket(rows[name]), backoff, now))
            uow.commit()
        # Refused: nothing written, the unit of work rolls back.
        return wait, {name: row.closed_until for name, row in rows.items()}


def _settle(
    make_uow: Callable[..., UnitOfWork],
    account: StaffPublic,
    buckets: dict[str, Backoff],
    place: str,
    known: bool,
    now: float,
) -> None:
    with make_uow() as uow:
        uow.actor = Actor(
            kind="staff", role=account.role, district=account.district, staff_id=account.id
        ).actor
        rows = _locked_rows(uow, buckets)
        for name, row in rows.items():
            if name.startswith("login:addr:"):
                _store(row, refunded(current(_bucket(row), buckets[name], now)))
            else:  # this account's own buckets: whoever knows the password starts afresh
                _store(row, Bucket())
        address = uow.session.get(StaffLoginAddress, (account.id, place))
        if address is None:
            uow.session.add(StaffLoginAddress(staff_id=account.id, address=place, last_login=now))
        else:
            address.last_login = now
        uow.record(
            "staff",
            account.id,
            "logged_in",
            after={"new_address": not known},
            district=account.district,
        )
        uow.commit()


def purge_old(make_uow: Callable[..., UnitOfWork], *, now: float | None = None) -> None:
    """Forget counters no pause can still come from, and addresses unused for long."""
    moment = time.time() if now is None else now
    with make_uow() as uow:
        uow.session.execute(
            delete(LoginThrottle).where(
                col(LoginThrottle.last_failure) < moment - 2 * LoginPolicy().wide.forget_seconds,
                col(LoginThrottle.closed_until) < moment,
            )
        )
        uow.session.execute(
            delete(StaffLoginAddress).where(
                col(StaffLoginAddress.last_login) < moment - KNOWN_ADDRESS_DAYS * 86400
            )
        )
        uow.commit()
