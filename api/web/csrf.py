"""CSRF protection for every form: a signed double-submit token.

The browser gets a random token in a cookie (HttpOnly, SameSite=Lax) and the same token in a
hidden field of each form. A POST is accepted only when both are present, equal, and carry a
valid HMAC under the app's secret key, so a token planted by another site (cookie injection)
is refused as well as a missing one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from starlette.requests import Request

from waitlist.config import get_settings

COOKIE = "csrf"
FIELD = "csrf_token"


class CsrfError(Exception):
    """A form arrived without a valid CSRF token."""


def _signature(nonce: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, nonce.encode(), hashlib.sha256).hexdigest()[:32]


def new_token() -> str:
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_signature(nonce)}"


def is_well_signed(token: str | None) -> bool:
    if not token or "." not in token or len(token) > 200:
        return False
    nonce, signature = token.rsplit(".", 1)
    return hmac.compare_digest(signature.encode(), _signature(nonce).encode())


def token_for(request: Request) -> str:
    """The token to put in this page's forms (reusing the browser's, when it is valid)."""
    existing = getattr(request.state, "csrf_token", None)
    if existing:
        return existing
    cookie = request.cookies.get(COOKIE)
    token = cookie if is_well_signed(cookie) else new_token()
    request.state.csrf_token = token
    return token


async def verify(request: Request) -> None:
    """Raise CsrfError unless the form's token matches the cookie and is signed by us."""
    form = await request.form()
    sent = form.get(FIELD)
    cookie = request.cookies.get(COOKIE)
    if not isinstance(sent, str) or not cookie:
        raise CsrfError("missing")
    if not hmac.compare_digest(sent.encode(), cookie.encode()) or not is_well_signed(sent):
        raise CsrfError("mismatch")
