"""Who is calling: staff by password + short-lived token, parents by a secret status token.

Staff log in with their password (argon2id hashes, pwdlib) and get a JWT (pyjwt, HS256, a few
minutes of life) both as a bearer token and as a `Secure; HttpOnly; SameSite=Lax` session
cookie the server-rendered pages use. The token carries role and district, so every request's
principal has them without a database read.

Parents have no account (e-ID login is out of scope). At application they get a secret status
token (256 random bits, shown once); the database holds only its SHA-256. It is checked behind
one interface, `ParentIdentity`, so an e-ID login can replace it without touching the routes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import jwt
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlmodel import Session, select

from waitlist.storage.application_tables import Application

SESSION_COOKIE = "waitlist_session"
PARENT_TOKEN_PREFIX = "wl_"
ACCESS_TOKEN_MINUTES = 30
_JWT_ALGORITHM = "HS256"
_AUDIENCE = "waitlist-staff"

password_hash = PasswordHash((Argon2Hasher(),))
# Verified against when the account does not exist, so timing does not reveal which do.
_DUMMY_HASH = password_hash.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Principal:
    """The caller of one request. `kind` is `staff` or `parent`."""

    kind: str
    role: str | None = None  # coordinator | management | admin (staff only)
    district: str | None = None  # staff's district (coordinators)
    staff_id: int | None = None
    username: str | None = None
    application_id: int | None = None  # the parent's own application

    @property
    def actor(self) -> str:
        """A pseudonymous name for audit and logs: never a parent's personal data."""
        if self.kind == "parent":
            return f"parent:application/{self.application_id}"
        return f"{self.role}:{self.district or 'city'}:{self.staff_id}"


def verify_password(plain: str, hashed: str | None) -> bool:
    if not hashed:
        password_hash.verify(plain, _DUMMY_HASH)
        return False
    try:
        return password_hash.verify(plain, hashed)
    except Exception:  # a malformed stored hash is a failed login, not a server error
        return False


def hash_password(plain: str) -> str:
    return password_hash.hash(plain)


# --- staff tokens -----------------------------------------------------------------------------


def issue_access_token(
    *, secret: str, staff_id: int, role: str, district: str | None, minutes: int
) -> tuple[str, datetime]:
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    claims = {
        "sub": str(staff_id),
        "role": role,
        "district": district,
        "aud": _AUDIENCE,
        "exp": expires,
        "iat": datetime.now(UTC),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=_JWT_ALGORITHM), expires


def read_access_token(token: str, *, secret: str) -> Principal | None:
    """The staff principal a token names, or None when it is invalid or expired."""
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[_JWT_ALGORITHM],
            audience=_AUDIENCE,
            options={"require": ["exp", "sub", "role", "aud"]},
        )
        return Principal(
            kind="staff",
            role=str(claims["role"]),
            district=claims.get("district"),
            staff_id=int(claims["sub"]),
        )
    except (jwt.PyJWTError, ValueError, KeyError):
        return None


# --- parent identity --------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_parent_token(token: str) -> bool:
    return token.startswith(PARENT_TOKEN_PREFIX)


class ParentIdentity(Protocol):
    """The one place a parent's identity is established."""

    def issue(self, application: Application) -> str: ...

    def resolve(self, session: Session, credential: str) -> int | None: ...

    def revoke(self, application: Application) -> None: ...


class StatusTokenIdentity:
    """A secret status token per application; only its SHA-256 is stored (on the application,
    `token_hash`); revoked by clearing it (erasure does, and a new token replaces the old)."""

    def issue(self, application: Application) -> str:
        token = new_status_token()
        application.token_hash = hash_token(token)
        return token

    def resolve(self, session: Session, credential: str) -> int | None:
        if not looks_like_parent_token(credential) or len(credential) > 200:
            return None
        found = session.exec(
            select(Application.id).where(
                Application.token_hash == hash_token(credential),
                Application.erased_at.is_(None),  # type: ignore[union-attr]
            )
        ).first()
        return int(found) if found is not None else None

    def revoke(self, application: Application) -> None:
        application.token_hash = None


def new_status_token() -> str:
    return PARENT_TOKEN_PREFIX + secrets.token_urlsafe(32)  # 256 random bits


parent_identity: ParentIdentity = StatusTokenIdentity()
