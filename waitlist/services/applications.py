"""Applications: apply, withdraw, erase, resume; lookup by the parent's secret token.

    result = apply(uow, NewApplication(...))   # -> Applied(application, token)
    withdraw(uow, application_id)
    erase(uow, application_id)                     # personal data gone, history kept

The token ("wl_" + 256 random bits, URL-safe) is shown to the parent once; only its SHA-256 is
stored.
The lottery number is drawn once, here, from the recorded seed (waitlist.domain.lottery).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, select

from waitlist.domain import lottery
from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.eligibility import child_age_on
from waitlist.domain.errors import IllegalTransition, InvalidInput, NotEligible, NotFound
from waitlist.domain.offer import OfferStatus
from waitlist.domain.values import check_contact, parse_year_month
from waitlist.reference import load_reference
from waitlist.services import erasure, lookups
from waitlist.services.commands import NewApplication
from waitlist.services.inputs import parse
from waitlist.services.lifecycle import close_offer, pending_offer, release_seat, set_status
from waitlist.services.outbox import forget_secrets
from waitlist.services.retry import retrying
from waitlist.services.snapshots import application_state
from waitlist.storage.db import forget_old_pages
from waitlist.storage.tables import (
    Application,
    ApplicationPublic,
    LotterySeed,
)
from waitlist.storage.uow import UnitOfWork
from waitlist.translations import LANGUAGES


@dataclass(frozen=True)
class Applied:
    application: ApplicationPublic
    token: str  # shown once to the parent; never stored


TOKEN_PREFIX = "wl_"


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def to_public(app: Application) -> ApplicationPublic:
    data = app.model_dump(exclude={"contact", "token_hash", "contact_unreachable_at"})
    return ApplicationPublic(**data, erased=app.erased_at is not None)


def current_seed(uow: UnitOfWork, seed: str | None = None) -> LotterySeed:
    """The recorded lottery seed, recording a fresh (or the given) one on first use."""
    kept = uow.session.info.get("lottery_seed")
    if kept is not None:  # read once per session: a recorded seed never changes
        return kept
    row = uow.session.exec(select(LotterySeed).order_by(LotterySeed.id.desc())).first()  # type: ignore[union-attr]
    if row is not None:
        uow.session.info["lottery_seed"] = row
    else:
        row = LotterySeed(seed=seed or lottery.new_seed(), created_at=uow.now())
        uow.session.add(row)
        uow.session.flush()
        uow.record("lottery_seed", row.id, "seed_recorded", after={"seed": row.seed})
    return row


# An application carried over from an older list keeps its queue date, but no child waits
# five years for a parenting programme: an older date is a typing error.
OLDEST_QUEUE_DATE_DAYS = 5 * 366


def _validate(uow: UnitOfWork, cmd: NewApplication) -> date:
    lookups.district(uow, cmd.district)
    prog = lookups.programme(uow, cmd.programme)
    parse_year_month(cmd.child_birth)
    check_contact(cmd.contact)
    today = uow.today()
    queue_date = cmd.queue_date or today
    if queue_date > today:
        raise InvalidInput("queue_date cannot be in the future.", field="queue_date")
    if (today - queue_date).days > OLDEST_QUEUE_DATE_DAYS:
        raise InvalidInput(
            f"queue_date cannot be more than five years ago, got {queue_date}.",
            field="queue_date",
        )
    if child_age_on(cmd.child_birth, today) < 0:
        raise InvalidInput("child_birth cannot be in the future.", field="child_birth")
    if child_age_on(cmd.child_birth, today) > prog.child_age_max:
        raise NotEligible(
            f"{prog.name} is for children aged {prog.child_age_min}-{prog.child_age_max}; "
            "this child is already older.",
            field="child_birth",
        )
    check_notice_language(cmd.notice_language)
    known = set(load_reference().language_codes()) | set(prog.languages)
    unknown = [code for code in cmd.languages if code not in known]
    if unknown:
        raise InvalidInput(f"Unknown language code {unknown[0]!r}.", field="languages")
    if cmd.cross_district and cmd.max_travel_minutes <= 0:
        raise InvalidInput(
            "max_travel_minutes must be above 0 to accept seats in other districts.",
            field="max_travel_minutes",
        )
    return queue_date


def check_notice_language(code: str) -> str:
    """Notices are written in a language the parents' pages speak."""
    if code not in LANGUAGES:
        raise InvalidInput(
            f"Unknown notice language {code!r}; one of {', '.join(LANGUAGES)}.",
            field="notice_language",
        )
    return code


def _apply(
    uow: UnitOfWork,
    cmd: NewApplication,
    token: str | None = None,
    *,
    validated: date | None = None,
    external_id: str | None = None,
) -> Applied:
    """`validated`: the queue date `_validate` gave for this command in this transaction
    (an import checks every row first); `external_id`: its id in a district's own list."""
    queue_date = validated or _validate(uow, cmd)
    seed = current_seed(uow)
    token = token or new_token()
    app = Application(
        programme=cmd.programme,
        district=cmd.district,
        cross_district=cmd.cross_district,
        max_travel_minutes=cmd.max_travel_minutes if cmd.cross_district else 0,
        child_birth=cmd.child_birth,
        languages=list(dict.fromkeys(cmd.languages)),
        slots=[str(s) for s in dict.fromkeys(cmd.slots)],
        queue_date=queue_date,
        lottery_seed_id=seed.id,
        contact=cmd.contact or None,
        notice_language=cmd.notice_language,
        token_hash=hash_token(token),
        external_id=external_id,
        created_at=uow.now(),
        updated_at=uow.now(),
    )
    uow.session.add(app)
    uow.session.flush()
    assert app.id is not None
    app.lottery = lottery.draw(seed.seed, app.id)
    uow.record_row("application", app, "applied", after=application_state(app))
    if app.contact:
        # The personal link goes to the contact address too; the outbox keeps the token only
        # until the notice is sent (waitlist.services.outbox).
        uow.notify("applied", f"application:{app.id}", {"token": token})
    return Applied(application=to_public(app), token=token)


@retrying
def apply(
    uow: UnitOfWork,
    cmd: NewApplication | dict[str, Any],
    *,
    then: Callable[[Session, Applied], None] | None = None,
) -> Applied:
    """A parent applies: validated, queue date today, lottery drawn once, token issued.

    `then` gets the transaction's session just before it commits (the HTTP layer stores the
    idempotent answer there, so the application and its answer exist together or not at all).
    """
    command = parse(NewApplication, cmd)
    with uow:
        result = _apply(uow, command)
        if then is not None:
            then(uow.session, result)
        uow.commit()
    return result


def _withdraw(uow: UnitOfWork, app: Application) -> None:
    if app.status == S.OFFERED:
        offer = pending_offer(uow, app.id)  # type: ignore[arg-type]
        if offer is not None:
            close_offer(uow, offer, OfferStatus.REVOKED, "revoked", application=app)
    elif app.status == S.ENROLLED and app.group_id is not None:
        release_seat(uow, app.group_id)
    set_status(uow, app, S.WITHDRAWN, "withdrawn")


@retrying
def withdraw(uow: UnitOfWork, application_id: int) -> ApplicationPublic:
    """The parent leaves the queue (or the group they were enrolled in); the seat is freed."""
    with uow:
        app = lookups.application(uow, application_id)
        _withdraw(uow, app)
        uow.commit()
        return to_public(app)


@retrying
def erase(uow: UnitOfWork, application_id: int) -> ApplicationPublic:
    """Erase a parent's personal data: contact, token, child birth month, stored idempotent
    answers about the application, and free text staff wrote about it (a direct offer's
    reason). An active application is withdrawn first; the anonymous history (events, queue
    date, outcome) stays. On SQLite the old pages are then checkpointed out of the WAL."""
    with uow:
        app = lookups.application(uow, application_id)
        if app.status in (S.WAITING, S.OFFERED, S.ENROLLED):
            _withdraw(uow, app)
        app.contact = None
        app.token_hash = None
        app.child_birth = None
        forget_secrets(uow.session, f"application:{app.id}")
        erasure.forget_answers_and_notes(uow.session, application_id)
        app.erased_at = uow.now()
        uow.session.add(app)
        uow.record_row("application", app, "erased")
        uow.commit()
        public = to_public(app)
    forget_old_pages(uow.engine)
    return public


@retrying
def resume(uow: UnitOfWork, application_id: int) -> ApplicationPublic:
    """The parent confirms they still want a place: a paused application is served again."""
    with uow:
        app = lookups.application(uow, application_id)
        before = application_state(app)
        app.paused = False
        app.expired_in_a_row = 0
        uow.session.add(app)
        uow.record_row("application", app, "resumed", before=before, after=application_state(app))
        uow.commit()
        return to_public(app)


WAIT_REASONS = ("language", "slot")


@retrying
def choose_to_wait(uow: UnitOfWork, application_id: int, reason: str) -> ApplicationPublic:
    """Record that the parent asked to wait for a language or a time slot: the wait that
    follows is the parent's choice, and equality reports count it apart. Nothing else changes
    (queue date, lottery and status stay)."""
    if reason not in WAIT_REASONS:
        raise InvalidInput(
            f"reason must be one of {', '.join(WAIT_REASONS)}, got {reason!r}", field="reason"
        )
    with uow:
        app = lookups.application(uow, application_id)
        if app.status not in (S.WAITING, S.OFFERED):
            raise IllegalTransition(
                f"Only a waiting application can choose to wait (it is {app.status}).",
                field="application",
            )
        uow.record_row("application", app, "chose_to_wait", after={"reason": reason})
        uow.commit()
        return to_public(app)


def get_application(uow: UnitOfWork, application_id: int) -> ApplicationPublic:
    with uow:
        return to_public(lookups.application_read(uow, application_id))


def by_token(uow: UnitOfWork, token: str) -> Application:
    """The application a parent's secret token belongs to (NotFound if none or erased), inside
    the caller's `with uow:`."""
    app = uow.session.exec(
        select(Application).where(Application.token_hash == hash_token(token or ""))
    ).first()
    if app is None:
        raise NotFound("No application matches this link.", field="token")
    return app


def find_by_token(uow: UnitOfWork, token: str) -> ApplicationPublic:
    """The application a parent's secret token belongs to (NotFound if none or erased)."""
    with uow:
        return to_public(by_token(uow, token))
