"""CSRF protection for every form: a signed double-submit token bound to the session.

The browser gets a token in a cookie (HttpOnly, SameSite=Lax, Secure behind https) and the
same token in a hidden field of each form. A POST is accepted only when both are present,
equal, and carry a valid HMAC under the app's secret key over the token's nonce *and the
session it belongs to*: the staff session cookie, or, for anonymous parent forms, a random
per-browser id in its own cookie. A token another browser obtained (and planted as a cookie,
"cookie tossing") names another session and is refused, as is a made-up one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence

from starlette.requests import Request

from api.security import SESSION_COOKIE
from waitlist.config import Settings, get_settings

COOKIE = "csrf"
BROWSER_COOKIE = "csrf_browser"  # the per-browser id anonymous forms are bound to
FIELD = "csrf_token"
_MAX_LENGTH = 200


class CsrfError(Exception):
    """A form arrived without a valid CSRF token."""


def _signature(key: str, binding: str, nonce: str) -> str:
    message = f"csrf|{binding}|{nonce}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def new_token(key: str, binding: str) -> str:
    """A fresh token for the session `binding`, signed with `key`."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_signature(key, binding, nonce)}"


def is_well_signed(token: str | None, keys: Sequence[str], binding: str | None) -> bool:
    """Whether `token` was made by us (under one of `keys`) for the session `binding`."""
    if not token or not binding or "." not in token or len(token) > _MAX_LENGTH:
        return False
    nonce, signature = token.rsplit(".", 1)
    return any(
        key and hmac.compare_digest(signature.encode(), _signature(key, binding, nonce).encode())
        for key in keys
    )


def _settings(request: Request) -> Settings:
    return getattr(request.app.state, "settings", None) or get_settings()


def binding_of(request: Request) -> str | None:
    """The session a token of this request belongs to: the staff session cookie (hashed),
    else the browser's id (the cookie, or one made for this page); None without either."""
    session = request.cookies.get(SESSION_COOKIE)
    if session:
        return "session:" + hashlib.sha256(session.encode()).hexdigest()
    browser = getattr(request.state, "csrf_browser", None) or request.cookies.get(BROWSER_COOKIE)
    if isinstance(browser, str) and 16 <= len(browser) <= 64:
        return "browser:" + browser
    return None


def new_browser_id(request: Request) -> str:
    """A random id for this browser, set as a cookie by the page being rendered."""
    browser = secrets.token_urlsafe(24)
    request.state.csrf_browser = browser
    return browser


def token_for(request: Request) -> str:
    """The token to put in this page's forms (reusing the browser's, when it is valid for this
    session)."""
    existing = getattr(request.state, "csrf_token", None)
    if isinstance(existing, str):
        return existing
    binding = binding_of(request)
    if binding is None:
        new_browser_id(request)
        binding = binding_of(request)
        assert binding is not None
    settings = _settings(request)
    cookie = request.cookies.get(COOKIE)
    if not is_well_signed(cookie, settings.verification_keys(), binding):
        cookie = new_token(settings.signing_secret(), binding)
    assert cookie is not None
    request.state.csrf_token = cookie
    return cookie


async def verify(request: Request) -> None:
    """Raise CsrfError unless the form's token matches the cookie and is signed by us for
    this request's session."""
    form = await request.form()
    sent = form.get(FIELD)
    cookie = request.cookies.get(COOKIE)
    if not isinstance(sent, str) or not cookie:
        raise CsrfError("missing")
    keys = _settings(request).verification_keys()
    if not hmac.compare_digest(sent.encode(), cookie.encode()) or not is_well_signed(
        sent, keys, binding_of(request)
    ):
        raise CsrfError("mismatch")
