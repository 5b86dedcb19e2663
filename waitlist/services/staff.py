"""Staff accounts: coordinators (one district) and management. Passwords hashed with argon2
(pwdlib); the API builds its authentication on `authenticate`."""

from __future__ import annotations

import functools
from typing import Any

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import select

from waitlist.domain.errors import Conflict, InvalidInput, NotFound
from waitlist.services import lookups
from waitlist.services.inputs import has_control, parse
from waitlist.storage.tables import Staff, StaffCreate, StaffPublic, StaffRole
from waitlist.storage.uow import UnitOfWork

_hasher = PasswordHash((Argon2Hasher(),))


@functools.cache
def _dummy_hash() -> str:
    """Verifying against this keeps the time of a failed login the same for unknown usernames
    (made on first use: hashing is slow on purpose, and most processes never need it)."""
    return _hasher.hash("not-a-real-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    try:
        return _hasher.verify(password, password_hash)
    except Exception:  # a malformed hash is a failed login, never a crash
        return False


def password_matches(password: str, password_hash: str | None) -> bool:
    """Whether `password` is right; with no hash (no such account) as slow as with one."""
    if password_hash is None:
        verify_password(password, _dummy_hash())
        return False
    return verify_password(password, password_hash)


def _create(uow: UnitOfWork, cmd: StaffCreate, password_hash: str | None = None) -> Staff:
    if cmd.role == StaffRole.COORDINATOR and not cmd.district:
        raise InvalidInput("A coordinator belongs to a district.", field="district")
    if cmd.role == StaffRole.MANAGEMENT and cmd.district:
        raise InvalidInput("Management accounts are city-wide (no district).", field="district")
    if cmd.district:
        lookups.district(uow, cmd.district)
    if uow.session.exec(select(Staff).where(Staff.username == cmd.username)).first():
        raise Conflict(f"The username {cmd.username!r} is taken.", field="username")
    staff = Staff(
        username=cmd.username,
        role=str(cmd.role),
        district=cmd.district,
        password_hash=password_hash or hash_password(cmd.password),
        created_at=uow.now(),
    )
    uow.session.add(staff)
    uow.session.flush()
    uow.record(
        "staff", staff.id, "staff_created", after={"role": staff.role}, district=staff.district
    )
    return staff


def create_staff(
    uow: UnitOfWork, cmd: StaffCreate | dict[str, Any], *, password_hash: str | None = None
) -> StaffPublic:
    """Create a staff account. `password_hash` (an argon2 hash of cmd.password) lets a batch
    of accounts with one password share a single slow hash (the demo does); the caller vouches
    that it is the hash of that password."""
    command = parse(StaffCreate, cmd)
    with uow:
        staff = _create(uow, command, password_hash)
        uow.commit()
        return StaffPublic.model_validate(staff, from_attributes=True)


def authenticate(uow: UnitOfWork, username: str, password: str) -> StaffPublic | None:
    """The active staff member with these credentials, or None."""
    with uow:
        # A username with a control character matches no account (PostgreSQL would refuse
        # a NUL in the query).
        staff = (
            None
            if not isinstance(username, str) or has_control(username)
            else uow.session.exec(select(Staff).where(Staff.username == username)).first()
        )
        if staff is None or not staff.active:
            verify_password(password, _dummy_hash())
            return None
        if not verify_password(password, staff.password_hash):
            return None
        return StaffPublic.model_validate(staff, from_attributes=True)


def _by_username(uow: UnitOfWork, username: str) -> Staff:
    staff = uow.session.exec(select(Staff).where(Staff.username == username)).first()
    if staff is None:
        raise NotFound(f"There is no staff account {username!r}.", field="username")
    return staff


def _revoke(uow: UnitOfWork, staff: Staff, action: str) -> None:
    """Every token issued to `staff` so far stops working (they carry the old version)."""
    staff.token_version += 1
    uow.session.add(staff)
    uow.record("staff", staff.id, action, district=staff.district)


def log_out_everywhere(uow: UnitOfWork, staff_id: int) -> None:
    """End every session of the account (logout): its tokens are refused from now on."""
    with uow:
        staff = lookups.by_id(uow, Staff, staff_id)
        if staff is not None:
            _revoke(uow, staff, "staff_logged_out")
            uow.commit()


def deactivate_staff(uow: UnitOfWork, username: str) -> StaffPublic:
    """The account can no longer log in, and its tokens are refused at once."""
    with uow:
        staff = _by_username(uow, username)
        staff.active = False
        _revoke(uow, staff, "staff_deactivated")
        uow.commit()
        return StaffPublic.model_validate(staff, from_attributes=True)


def change_password(uow: UnitOfWork, username: str, password: str) -> StaffPublic:
    """A new password (8 to 128 characters); every token issued before is refused."""
    if not isinstance(password, str) or not 8 <= len(password) <= 128:
        raise InvalidInput("A password has 8 to 128 characters.", field="password")
    with uow:
        staff = _by_username(uow, username)
        staff.password_hash = hash_password(password)
        _revoke(uow, staff, "staff_password_changed")
        uow.commit()
        return StaffPublic.model_validate(staff, from_attributes=True)


def get_staff(uow: UnitOfWork, staff_id: int) -> StaffPublic | None:
    with uow:
        staff = lookups.by_id(uow, Staff, staff_id)
        return None if staff is None else StaffPublic.model_validate(staff, from_attributes=True)


def demo_accounts(uow: UnitOfWork, password: str) -> list[StaffPublic]:
    """Active accounts that still have the demo password, for `waitlist serve` to print.

    Accounts with a real password are never listed. Each distinct hash is checked once (the
    demo city shares one hash), so this stays fast."""
    with uow:
        rows = uow.session.exec(
            select(Staff).where(Staff.active == True).order_by(Staff.role, Staff.username)  # noqa: E712
        ).all()
        verdict: dict[str, bool] = {}
        found = []
        for row in rows:
            if row.password_hash not in verdict:
                verdict[row.password_hash] = verify_password(password, row.password_hash)
            if verdict[row.password_hash]:
                found.append(StaffPublic.model_validate(row, from_attributes=True))
        return found
