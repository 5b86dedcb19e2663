"""Who is calling: staff by password + short-lived token, parents by a secret status token.

Staff log in with their password (argon2id hashes, pwdlib) and get a JWT (pyjwt, HS256, a few
minutes of life) both as a bearer token and as a `Secure; HttpOnly; SameSite=Lax` session
cookie the server-rendered pages use. The token carries role, district and the account's
token version; each request checks the version (and that the account is active) with one
primary-key read, so logout, deactivation and a password change revoke every earlier token
at once.

Parents have no account (e-ID login is out of scope). At application they get a secret status
token (256 random bits, shown once); the database holds only its SHA-256. It is checked behind
one interface, `ParentIdentity`, so an e-ID login can replace it without touching the routes.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Protocol

import jwt
from sqlalchemy import Connection, Table
from sqlalchemy import bindparam as sa_bindparam
from sqlalchemy import select as sa_select
from sqlalchemy.orm import Session

from waitlist.services.access import Actor
from waitlist.services.applications import hash_token
from waitlist.storage.staff_tables import Staff
from waitlist.storage.tables import Application

SESSION_COOKIE = "waitlist_session"
ACCESS_TOKEN_MINUTES = 30
_JWT_ALGORITHM = "HS256"
_AUDIENCE = "waitlist-staff"

Principal = Actor  # the caller of one request, as the services know it


# --- staff tokens -----------------------------------------------------------------------------


def issue_access_token(
    *, secret: str, staff_id: int, role: str, district: str | None, minutes: int, version: int
) -> tuple[str, datetime]:
    if not secret:
        raise ValueError("no secret key to sign with")
    expires = datetime.now(UTC) + timedelta(minutes=minutes)
    claims = {
        "sub": str(staff_id),
        "role": role,
        "district": district,
        "ver": version,
        "aud": _AUDIENCE,
        "exp": expires,
        "iat": datetime.now(UTC),
        "jti": secrets.token_hex(8),
    }
    return jwt.encode(claims, secret, algorithm=_JWT_ALGORITHM), expires


def read_access_token(token: str, *, keys: Sequence[str]) -> tuple[Principal, int] | None:
    """The staff principal a token names and the token version it was issued under, or None
    when it is invalid or expired under every key in `keys` (current first, then a previous
    key during rotation). The version still has to be checked: `token_is_current`."""
    for key in keys:
        if not key:
            continue
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[_JWT_ALGORITHM],
                audience=_AUDIENCE,
                options={"require": ["exp", "sub", "role", "aud", "ver"]},
            )
            principal = Principal(
                kind="staff",
                role=str(claims["role"]),
                district=claims.get("district"),
                staff_id=int(claims["sub"]),
            )
            return principal, int(claims["ver"])
        except jwt.InvalidSignatureError:
            continue
        except (jwt.PyJWTError, ValueError, KeyError, TypeError):
            return None
    return None


_STAFF: Table = Staff.__table__  # type: ignore[attr-defined]
_TOKEN_VERSION = (
    sa_select(_STAFF.c.token_version)
    .where(
        _STAFF.c.id == sa_bindparam("staff_id"),
        _STAFF.c.active == True,  # noqa: E712
    )
    .limit(1)
)


def token_is_current(conn: Session | Connection, staff_id: int, version: int) -> bool:
    """Whether a token of this version still stands: the account is active and has not logged
    out or changed its password since (one primary-key read)."""
    found = conn.execute(_TOKEN_VERSION, {"staff_id": staff_id}).scalar_one_or_none()
    return found is not None and int(found) == version


# --- parent identity --------------------------------------------------------------------------


def looks_like_parent_token(token: str) -> bool:
    """Status tokens are URL-safe base64 (no dots); staff JWTs always have two dots."""
    return "." not in token and 0 < len(token) <= 200


class ParentIdentity(Protocol):
    """The one place a parent's identity is established (an e-ID login would replace it)."""

    def resolve(self, session: Session | Connection, credential: str) -> int | None:
        """The application the credential belongs to, or None (one read, on a session or a
        plain connection)."""
        ...


class StatusTokenIdentity:
    """The secret status token issued at application (`applications.apply`). Only its SHA-256
    is stored, on the application; erasure clears it and `parent_tokens.rotate` replaces it,
    which revokes the old one."""

    def resolve(self, session: Session | Connection, credential: str) -> int | None:
        if not looks_like_parent_token(credential):
            return None
        found = session.execute(
            _BY_TOKEN, {"token_hash": hash_token(credential)}
        ).scalar_one_or_none()
        return int(found) if found is not None else None


_APPLICATIONS: Table = Application.__table__  # type: ignore[attr-defined]
_BY_TOKEN = (
    sa_select(_APPLICATIONS.c.id)
    .where(
        _APPLICATIONS.c.token_hash == sa_bindparam("token_hash"),
        _APPLICATIONS.c.erased_at.is_(None),
    )
    .limit(1)
)


parent_identity: ParentIdentity = StatusTokenIdentity()
