"""`Idempotency-Key` for apply and accept: a retried request never does the work twice.

- same key + same body  -> the stored response, replayed (header `Idempotent-Replayed: true`)
- same key + other body -> 422 `idempotency_key_reused`
- same key while the first request is still running -> 409 `idempotency_in_progress`

Insert first: the key's row is committed (unique on scope + key) *before* the work starts, so
two concurrent requests cannot both pass; the loser gets 409. The answer is stored by the work's
own transaction (`Attempt.seal`, guarded by the attempt's claim): the application and the
answer that names it are committed together or not at all. If the process dies before that
commit, nothing was done and the key stays `pending` only until its lease ends
(`idempotency_lease_seconds`); then a retry takes it over and does the work, once. An attempt
outlived by its lease cannot commit: its guarded update finds the claim taken and its
transaction rolls back. Unexpected failures (5xx) release the key so a retry can run; domain
refusals (4xx) are stored and replayed like successes.

After 24 hours (or when the parent erases their data) the stored answer is dropped but a key
that made an application stays known (`expired`): a late retry is refused with 409
`idempotency_key_expired`, never run again.

Stored responses are sealed with a key derived from the Idempotency-Key (held only by the
client; the table keeps an HMAC of it) and the server secret: an apply response holds the
parent's status token, and the database must never hold that token in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.problems import ProblemError, domain_problem
from waitlist.config import Settings
from waitlist.domain.errors import DomainError
from waitlist.storage.columns import utcnow
from waitlist.storage.idempotency import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


def _derive(secret: str, purpose: str, key: str) -> bytes:
    return hmac.new(secret.encode(), f"{purpose}:{key}".encode(), hashlib.sha256).digest()


def seal(secret: str, key: str, plaintext: bytes) -> bytes:
    """Encrypt-then-MAC with SHAKE-256 as the key stream (no extra crypto dependency)."""
    enc, mac = _derive(secret, "idem-enc", key), _derive(secret, "idem-mac", key)
    nonce = os.urandom(16)
    stream = hashlib.shake_256(enc + nonce).digest(len(plaintext))
    cipher = bytes(a ^ b for a, b in zip(plaintext, stream, strict=True))
    tag = hmac.new(mac, nonce + cipher, hashlib.sha256).digest()
    return nonce + tag + cipher


def unseal(secret: str, key: str, sealed: bytes) -> bytes:
    enc, mac = _derive(secret, "idem-enc", key), _derive(secret, "idem-mac", key)
    nonce, tag, cipher = sealed[:16], sealed[16:48], sealed[48:]
    if not hmac.compare_digest(tag, hmac.new(mac, nonce + cipher, hashlib.sha256).digest()):
        raise ValueError("stored response failed its integrity check")
    stream = hashlib.shake_256(enc + nonce).digest(len(cipher))
    return bytes(a ^ b for a, b in zip(cipher, stream, strict=True))


def request_fingerprint(request: Request, body: BaseModel | None) -> str:
    payload = body.model_dump(mode="json") if body is not None else None
    text = json.dumps([request.method, request.url.path, payload], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


DEFAULT_LEASE = timedelta(seconds=30)


class LeaseLost(Exception):
    """The attempt outlived its lease and a retry took the key over: roll this one back."""


@dataclass
class Claim:
    engine: Engine
    secret: str
    record_id: int
    key: str
    claim: str

    def _done(self, status_code: int, body: bytes, application_id: int | None) -> Any:
        return (
            update(IdempotencyRecord)
            .where(
                IdempotencyRecord.id == self.record_id,  # type: ignore[arg-type]
                IdempotencyRecord.state == "pending",  # type: ignore[arg-type]
                IdempotencyRecord.claim == self.claim,  # type: ignore[arg-type]
            )
            .values(
                state="done",
                status_code=status_code,
                response=seal(self.secret, self.key, body),
                application_id=application_id,
                lease_until=None,
            )
        )

    def seal_in(
        self, session: Session, status_code: int, body: bytes, application_id: int | None
    ) -> None:
        """Store the answer in the work's own transaction (before it commits); LeaseLost if
        another attempt holds the key now (the caller's transaction must then roll back)."""
        result = session.execute(self._done(status_code, body, application_id))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise LeaseLost()

    def finish(self, status_code: int, body: bytes) -> None:
        """Store a refusal (nothing was done, so no transaction to join)."""
        with Session(self.engine) as session:
            session.execute(self._done(status_code, body, None))
            session.commit()

    def release(self) -> None:
        with Session(self.engine) as session:
            session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.id == self.record_id,  # type: ignore[arg-type]
                    IdempotencyRecord.claim == self.claim,  # type: ignore[arg-type]
                    IdempotencyRecord.state == "pending",  # type: ignore[arg-type]
                )
            )
            session.commit()


def _take_over(engine: Engine, record: IdempotencyRecord, lease: timedelta) -> str | None:
    """Claim a pending key whose lease ended (its attempt died); the new claim, or None if
    another retry was quicker or the key is no longer pending."""
    claim = secrets.token_hex(16)
    with Session(engine) as session:
        result = session.execute(
            update(IdempotencyRecord)
            .where(
                IdempotencyRecord.id == record.id,  # type: ignore[arg-type]
                IdempotencyRecord.state == "pending",  # type: ignore[arg-type]
                IdempotencyRecord.claim == record.claim,  # type: ignore[arg-type]
            )
            .values(claim=claim, lease_until=utcnow() + lease)
        )
        session.commit()
    return claim if result.rowcount == 1 else None  # type: ignore[attr-defined]


def _lease_over(record: IdempotencyRecord) -> bool:
    if record.lease_until is None:  # a row from before leases: its attempt is long gone
        return True
    until = record.lease_until
    if until.tzinfo is None:  # SQLite may hand back a naive UTC timestamp
        until = until.replace(tzinfo=utcnow().tzinfo)
    return until < utcnow()


def claim_key(
    engine: Engine,
    secret: str,
    *,
    scope: str,
    key: str,
    fingerprint: str,
    lease: timedelta = DEFAULT_LEASE,
) -> Claim | Response:
    """Take the key for this request, or answer with the replay / the refusal."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ProblemError(
            422, f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters.", field=HEADER
        )
    key_hash = _derive(secret, "idem-key", key).hex()
    claim = secrets.token_hex(16)
    with Session(engine) as session:
        record = IdempotencyRecord(
            scope=scope,
            key_hash=key_hash,
            request_hash=fingerprint,
            claim=claim,
            lease_until=utcnow() + lease,
        )
        session.add(record)
        try:
            session.commit()
            assert record.id is not None
            return Claim(engine=engine, secret=secret, record_id=record.id, key=key, claim=claim)
        except IntegrityError:
            session.rollback()
        existing = session.exec(
            select(IdempotencyRecord).where(
                IdempotencyRecord.scope == scope, IdempotencyRecord.key_hash == key_hash
            )
        ).first()
    if existing is None:  # released between our insert and our read: the caller may retry
        raise ProblemError(
            409, "This request is being retried right now; try again.", code="idempotency_retry"
        )
    if not hmac.compare_digest(existing.request_hash, fingerprint):
        raise ProblemError(
            422,
            f"This {HEADER} was already used for a different request.",
            code="idempotency_key_reused",
            field=HEADER,
        )
    if existing.state == "pending" and _lease_over(existing):
        taken = _take_over(engine, existing, lease)
        if taken is not None:
            assert existing.id is not None
            return Claim(engine=engine, secret=secret, record_id=existing.id, key=key, claim=taken)
    if existing.state == "expired":
        raise ProblemError(
            409,
            f"This {HEADER} was used more than 24 hours ago, or its data was erased; its "
            "application exists (follow it with its status link) and is not made again.",
            code="idempotency_key_expired",
            field=HEADER,
        )
    if existing.state != "done" or existing.response is None or existing.status_code is None:
        raise ProblemError(
            409,
            f"A request with this {HEADER} is still being processed.",
            code="idempotency_in_progress",
            field=HEADER,
        )
    media = "application/problem+json" if existing.status_code >= 400 else "application/json"
    return Response(
        unseal(secret, key, existing.response),
        status_code=existing.status_code,
        media_type=media,
        headers={"Idempotent-Replayed": "true"},
    )


class Attempt:
    """One run of an idempotent write, as a route does it:

        attempt = idempotent.claim("apply", body, status_code=201)
        if isinstance(attempt, Response):
            return attempt  # an earlier request with this key: its answer (or a refusal)
        with attempt.running():
            done = use_case(uow, ..., then=lambda session, done: attempt.seal(session, ...))
        return attempt.respond(...)

    The use case calls `then` inside its transaction, just before it commits: `seal` stores
    the answer there. A domain refusal (4xx) is stored too; on any other failure the key is
    released so a retry can run. Without an Idempotency-Key nothing is stored."""

    def __init__(self, request: Request, claimed: Claim | None, status_code: int) -> None:
        self.request = request
        self.claimed = claimed
        self.status_code = status_code

    def seal(self, session: Session, answer: BaseModel, application_id: int | None) -> None:
        """Store `answer` (about `application_id`) in the work's transaction."""
        if self.claimed is not None:
            body = self.respond(answer).body
            self.claimed.seal_in(session, self.status_code, bytes(body), application_id)

    def respond(self, answer: BaseModel) -> JSONResponse:
        return JSONResponse(answer.model_dump(mode="json"), status_code=self.status_code)

    @contextmanager
    def running(self) -> Iterator[None]:
        """Around the use case: a domain refusal (4xx) is stored, and answered by the app's
        handler the same way; on any other failure the key is released."""
        if self.claimed is None:
            yield
            return
        try:
            yield
        except LeaseLost:
            raise ProblemError(
                409,
                f"A request with this {HEADER} is still being processed.",
                code="idempotency_in_progress",
                field=HEADER,
            ) from None
        except DomainError as exc:
            refusal = domain_problem(self.request, exc)
            self.claimed.finish(refusal.status_code, bytes(refusal.body))
            raise
        except BaseException:
            self.claimed.release()
            raise


@dataclass(frozen=True)
class Idempotent:
    """A write the client may retry safely by sending the same Idempotency-Key (see
    api/idempotency.py): `claim` lets the work run at most once per key."""

    request: Request
    engine: Engine
    settings: Settings
    key: str | None

    def claim(
        self, scope: str, body: BaseModel | None, status_code: int = 200
    ) -> Attempt | Response:
        """The attempt to run now, or the answer to an earlier request with this key."""
        if self.key is None:
            return Attempt(self.request, None, status_code)
        claimed = claim_key(
            self.engine,
            self.settings.secret_key,
            scope=scope,
            key=self.key,
            fingerprint=request_fingerprint(self.request, body),
            lease=timedelta(seconds=self.settings.idempotency_lease_seconds),
        )
        if isinstance(claimed, Response):
            return claimed
        return Attempt(self.request, claimed, status_code)
