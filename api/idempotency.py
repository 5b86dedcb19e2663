"""`Idempotency-Key` for apply and accept: a retried request never does the work twice.

- same key + same body  -> the stored response, replayed (header `Idempotent-Replayed: true`)
- same key + other body -> 422 `idempotency_key_reused`
- same key while the first request is still running -> 409 `idempotency_in_progress`

Insert first: the key's row is committed (unique on scope + key) *before* the work starts, so
two concurrent requests cannot both pass; the loser gets 409. The response is stored after the
work. If the process dies in between, the key stays `pending` and answers 409: a duplicate
application is never made. Unexpected failures (5xx) release the key so a retry can run;
domain refusals (4xx) are stored and replayed like successes.

Stored responses are sealed with a key derived from the Idempotency-Key (held only by the
client; the table keeps an HMAC of it) and the server secret: an apply response holds the
parent's status token, and the database must never hold that token in the clear.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from api.problems import ProblemError, domain_problem
from waitlist.domain.errors import DomainError
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


@dataclass
class Claim:
    engine: Engine
    secret: str
    record_id: int
    key: str

    def finish(self, status_code: int, body: bytes) -> None:
        sealed = seal(self.secret, self.key, body)
        with Session(self.engine) as session:
            session.execute(
                update(IdempotencyRecord)
                .where(IdempotencyRecord.id == self.record_id)  # type: ignore[arg-type]
                .values(state="done", status_code=status_code, response=sealed)
            )
            session.commit()

    def release(self) -> None:
        with Session(self.engine) as session:
            session.execute(
                delete(IdempotencyRecord).where(
                    IdempotencyRecord.id == self.record_id  # type: ignore[arg-type]
                )
            )
            session.commit()


def claim_key(
    engine: Engine, secret: str, *, scope: str, key: str, fingerprint: str
) -> Claim | Response:
    """Take the key for this request, or answer with the replay / the refusal."""
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ProblemError(
            422, f"{HEADER} must be 1 to {MAX_KEY_LENGTH} printable characters.", field=HEADER
        )
    key_hash = _derive(secret, "idem-key", key).hex()
    with Session(engine) as session:
        record = IdempotencyRecord(scope=scope, key_hash=key_hash, request_hash=fingerprint)
        session.add(record)
        try:
            session.commit()
            assert record.id is not None
            return Claim(engine=engine, secret=secret, record_id=record.id, key=key)
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


def run_idempotent(
    request: Request,
    *,
    engine: Engine,
    secret: str,
    key: str | None,
    scope: str,
    body: BaseModel | None,
    work: Callable[[], BaseModel],
    status_code: int = 200,
) -> Response:
    """Run `work` at most once per (scope, key); without a key, just run it."""
    if key is None:
        result = work()
        return JSONResponse(result.model_dump(mode="json"), status_code=status_code)
    claimed = claim_key(
        engine, secret, scope=scope, key=key, fingerprint=request_fingerprint(request, body)
    )
    if isinstance(claimed, Response):
        return claimed
    try:
        result = work()
    except DomainError as exc:
        refusal = domain_problem(request, exc)
        claimed.finish(refusal.status_code, bytes(refusal.body))
        return refusal
    except BaseException:
        claimed.release()
        raise
    response = JSONResponse(result.model_dump(mode="json"), status_code=status_code)
    claimed.finish(status_code, bytes(response.body))
    return response
