"""Offers: make, accept, decline (optional reason), revoke, expire; deadline notices.

A pending offer holds its seat (taken on making, released on decline/expiry/revoke).
One pending offer per application. Declining never changes the queue date (rule 6).

Repeated expiry (rule 6, documented in docs/rules.md): each expiry adds one to the
application's `expired_in_a_row`; at `rules.max_expired_offers` the application is paused:
it keeps queue date and lottery, but no new offer is made until the parent confirms
(`applications.resume`) — any answer to an offer resets the count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from waitlist.domain.application import ApplicationStatus as S
from waitlist.domain.application import is_paused
from waitlist.domain.eligibility import why_not
from waitlist.domain.errors import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NotEligible,
    NotFound,
)
from waitlist.domain.group import OFFERABLE_STATUSES
from waitlist.domain.offer import (
    OfferStatus,
    answer_deadline,
    check_offer_transition,
    is_overdue,
    parse_decline_reason,
)
from waitlist.domain.reasons import ReasonFacts, Rule
from waitlist.services import access, lookups
from waitlist.services.access import Actor
from waitlist.services.lifecycle import close_offer, pending_offer, set_status, take_seat
from waitlist.services.retry import retrying
from waitlist.services.snapshots import offer_state
from waitlist.storage.tables import Application, Group, Offer, OfferPublic
from waitlist.storage.uow import UnitOfWork

_WHY_NOT = {
    "age": "the child's age at group start is outside the programme's range",
    "language": "the group's language is not one of the parent's languages",
    "slot": "the group's time slot is not one the parent can attend",
}


def to_public(offer: Offer) -> OfferPublic:
    return OfferPublic.model_validate(offer, from_attributes=True)


def _check_fits(uow: UnitOfWork, app: Application, group: Group) -> int:
    """Raise unless the application may take a seat in the group; returns travel minutes."""
    if group.status not in OFFERABLE_STATUSES:
        raise IllegalTransition(f"A {group.status} group takes no new offers.", field="group")
    if group.programme != app.programme:
        raise NotEligible(
            "The group runs another programme than the one applied for.", field="group"
        )
    prog = lookups.programme(uow, group.programme)
    if app.child_birth is None:
        raise NotEligible("The application's data was erased.", field="application")
    why = why_not(app, group, prog)
    if why is not None:
        raise NotEligible(f"Not eligible: {_WHY_NOT[why]}.", field=why)
    travel = lookups.travel_minutes(uow, app.district, group.district)
    if group.district != app.district:
        if not app.cross_district:
            raise NotEligible(
                "The parent did not opt in to seats in other districts.", field="group"
            )
        if travel is None or travel > app.max_travel_minutes:
            raise NotEligible(
                f"The group is beyond the parent's travel limit of {app.max_travel_minutes} min.",
                field="group",
            )
    return travel or 0


def _deadline(
    uow: UnitOfWork, group: Group, today: date, asked: date | None, *, immediate: bool
) -> date:
    """Rule 10, never too late (waitlist.domain.offer.answer_deadline): the offer's respond-by
    date. A coordinator may ask for another one, as long as it falls before the first meeting.
    A seat taken and accepted at once (`immediate`) needs no time to answer."""
    if immediate:
        return today
    rules = uow.rules
    latest = answer_deadline(today, rules.offer_response_days, group.start, rules.min_response_days)
    if latest is None:
        raise IllegalTransition(
            f"The group starts on {group.start.isoformat()}: too soon for an offer that leaves "
            f"at least {rules.min_response_days} days to answer before the first meeting.",
            field="group",
        )
    if asked is None:
        return latest
    if asked < today:
        raise IllegalTransition("respond_by cannot be in the past.", field="respond_by")
    if asked >= group.start:
        raise IllegalTransition(
            f"respond_by must be before {group.start.isoformat()}: the answer is due before "
            "the group's first meeting.",
            field="respond_by",
        )
    return asked


def add_offer(
    uow: UnitOfWork,
    application_id: int,
    group_id: int,
    *,
    reason: str = "",
    round_id: int | None = None,
    respond_by: date | None = None,
    notify: bool = True,
    direct: bool = False,
    facts: dict[str, Any] | None = None,
) -> Offer:
    """One offer, inside the caller's open transaction (a round commits all of its offers in
    one): checks the application, eligibility and reach, takes the seat, records the event and
    the parent's notice. `make_offer` is the same as a use case of its own."""
    app = lookups.application(uow, application_id)
    if app.status != S.WAITING:
        raise IllegalTransition(
            f"Only a waiting application can get an offer (it is {app.status}).",
            field="application",
        )
    if app.paused:
        raise Conflict(
            "The application is paused after unanswered offers; the parent must "
            "confirm they still want a place.",
            field="application",
        )
    if pending_offer(uow, application_id) is not None:
        raise Conflict("The application already has a pending offer.", field="application")
    # Read without a row lock: the guarded UPDATE in take_seat is what keeps the seats.
    group = uow.session.get(Group, group_id)
    if group is None:
        raise NotFound(f"There is no group {group_id}.", field="group")
    travel = _check_fits(uow, app, group)
    today = uow.today()
    deadline = _deadline(uow, group, today, respond_by, immediate=not notify)
    take_seat(uow, group_id)
    offer = Offer(
        application_id=application_id,
        group_id=group_id,
        status=OfferStatus.PENDING,
        made_at=uow.now(),
        respond_by=deadline,
        cross_district=group.district != app.district,
        travel_minutes=travel,
        reason=reason,
        reason_facts=facts or _direct_facts(uow, app, group, travel).to_dict(),
        round_id=round_id,
        actor=uow.actor,
    )
    uow.session.add(offer)
    uow.session.flush()
    uow.record(
        "offer",
        offer.id,
        "offer_made",
        # A seat given outside a round says why in the audit log (a round's offers are
        # explained by the round's own record).
        after=offer_state(offer) | ({"reason": reason} if direct else {}),
        district=group.district,
        programme=group.programme,
    )
    set_status(uow, app, S.OFFERED, "offered")
    if notify:
        uow.notify("offer_made", f"application:{app.id}", offer_made_notice(offer, group))
    return offer


def offer_made_notice(offer: Any, group: Any) -> dict[str, Any]:
    """What the parent's notice of a new offer says: the offer, its group and the deadline
    (`offer` and `group` as stored, or as the demo seeder holds them)."""
    return {
        "offer_id": offer.id,
        "group_id": group.id,
        "programme": group.programme,
        "district": group.district,
        "start": group.start.isoformat(),
        "respond_by": offer.respond_by.isoformat(),
    }


def _direct_facts(uow: UnitOfWork, app: Application, group: Group, travel: int) -> ReasonFacts:
    """The facts of an offer made outside a round (no queue place was recorded then)."""
    cross = group.district != app.district
    return direct_facts(
        programme=lookups.programme(uow, group.programme).name,
        home=lookups.district(uow, app.district).name,
        host=lookups.district(uow, group.district).name if cross else None,
        weeks_waited=max(0, (uow.today() - app.queue_date).days // 7),
        group_start=group.start,
        travel=travel,
        travel_limit=max(travel, app.max_travel_minutes or 0),
        cross_after_weeks=uow.rules.cross_district_after_weeks,
    )


def direct_facts(
    *,
    programme: str,
    home: str,
    host: str | None,
    weeks_waited: int,
    group_start: date,
    travel: int,
    travel_limit: int,
    cross_after_weeks: int,
) -> ReasonFacts:
    """An offer outside a round in the parent's own district (`host` None) or in `host`."""
    facts = ReasonFacts(
        programme=programme,
        home=home,
        weeks_waited=weeks_waited,
        rule=Rule.OWN_DISTRICT,
        group_start=group_start,
    )
    if host is None:
        return facts
    return replace(
        facts,
        rule=Rule.CROSS_DISTRICT,
        host=host,
        travel_minutes=travel,
        travel_limit=travel_limit,
        cross_after_weeks=cross_after_weeks,
    )


@retrying
def make_offer(
    uow: UnitOfWork,
    application_id: int,
    group_id: int,
    *,
    reason: str = "",
    respond_by: date | None = None,
    facts: dict[str, Any] | None = None,
) -> OfferPublic:
    """Offer a seat: checks eligibility, reach and one-pending-offer, takes the seat."""
    with uow:
        offer = add_offer(
            uow,
            application_id,
            group_id,
            reason=reason,
            respond_by=respond_by,
            facts=facts,
        )
        uow.commit()
        return to_public(offer)


@retrying
def accept_offer(
    uow: UnitOfWork,
    offer_id: int,
    *,
    actor: Actor | None = None,
    then: Callable[[Session, OfferPublic], None] | None = None,
) -> OfferPublic:
    """The parent says yes before the deadline: enrolled in the group (the seat is already held).
    `actor`, when given, must be that parent (None: a trusted caller, such as a job).
    `then` gets the transaction's session just before it commits (see applications.apply)."""
    with uow:
        _may_answer(uow, actor, offer_id)
        offer, _ = lookups.offer_and_application(uow, offer_id)
        offer = _accept(uow, offer)
        public = to_public(offer)
        if then is not None:
            then(uow.session, public)
        uow.commit()
        return public


def _accept(uow: UnitOfWork, offer: Offer) -> Offer:
    check_offer_transition(offer.status, OfferStatus.ACCEPTED)
    if is_overdue(offer.respond_by, uow.today()):
        raise IllegalTransition(
            "This offer has expired (the answer deadline passed).", field="offer"
        )
    before = offer_state(offer)
    offer.status = OfferStatus.ACCEPTED
    offer.answered_at = uow.now()
    uow.session.add(offer)
    group = uow.session.get(Group, offer.group_id)  # read only: the seat is already held
    assert group is not None
    uow.record_row("offer", offer, "accepted", before=before, after=offer_state(offer), place=group)
    app = lookups.application(uow, offer.application_id)
    app.group_id = offer.group_id
    app.expired_in_a_row = 0
    app.paused = False
    set_status(uow, app, S.ENROLLED, "enrolled")
    return offer


def direct_reason(reason: str) -> str:
    """A coordinator placing a parent outside a round must say why (kept in the audit log)."""
    text = reason.strip()
    if not text:
        raise InvalidInput(
            "Say why this seat is given outside a placement round (the reason is audited).",
            field="reason",
        )
    return text


@retrying
def offer_directly(
    uow: UnitOfWork,
    actor: Actor,
    application_id: int,
    group_id: int,
    *,
    reason: str,
    enrol: bool = False,
) -> OfferPublic:
    """A coordinator offers a seat in their district's group to one application they may see
    (`enrol`: accepted at once). An application outside the caller's scope is NotFound,
    exactly as one that does not exist: its status, opt-in or fit are never told."""
    text = direct_reason(reason)
    with uow:
        access.check_group_change(uow, actor, group_id)
        access.check_application(uow, actor, application_id)
        offer = add_offer(uow, application_id, group_id, reason=text, notify=not enrol, direct=True)
        if enrol:
            _accept(uow, offer)
        uow.commit()
        return to_public(offer)


@retrying
def accept_seat(uow: UnitOfWork, application_id: int, group_id: int, *, reason: str) -> OfferPublic:
    """Enrol directly (staff and jobs only; no parent request reaches this): take a free seat
    and accept it at once, with the same guarded seat update as an offer and an audited reason.
    """
    text = direct_reason(reason)
    with uow:
        offer = add_offer(uow, application_id, group_id, reason=text, notify=False, direct=True)
        _accept(uow, offer)
        uow.commit()
        return to_public(offer)


def _may_answer(uow: UnitOfWork, actor: Actor | None, offer_id: int) -> None:
    if actor is not None:
        access.check_offer(uow, actor, offer_id, to_answer=True)


@retrying
def decline_offer(
    uow: UnitOfWork, offer_id: int, reason: str | None = None, *, actor: Actor | None = None
) -> OfferPublic:
    """The parent says no (reason: time, language, distance, other). Queue date unchanged.
    `actor`, when given, must be that parent."""
    decline_reason = parse_decline_reason(reason)
    with uow:
        _may_answer(uow, actor, offer_id)
        offer, app = lookups.offer_and_application(uow, offer_id)
        close_offer(
            uow,
            offer,
            OfferStatus.DECLINED,
            "declined",
            application=app,
            decline_reason=decline_reason.value if decline_reason else None,
        )
        app.expired_in_a_row = 0  # an answer is not silence: the expiry count starts over
        app.paused = False
        uow.session.add(app)
        uow.commit()
        return to_public(offer)


@retrying
def revoke_offer(uow: UnitOfWork, offer_id: int, *, actor: Actor | None = None) -> OfferPublic:
    """The district withdraws a pending offer (the parent keeps their queue place). `actor`,
    when given, must coordinate the district of the offer's group."""
    with uow:
        if actor is not None:
            access.check_offer_district(uow, actor, offer_id)
        offer, app = lookups.offer_and_application(uow, offer_id)
        close_offer(uow, offer, OfferStatus.REVOKED, "revoked", application=app)
        uow.notify("offer_revoked", f"application:{app.id}", {"offer_id": offer.id})
        uow.commit()
        return to_public(offer)


def _expire_due(uow: UnitOfWork) -> list[int]:
    today = uow.today()
    due_rows = uow.session.exec(
        select(Offer.id, Offer.application_id)
        .where(Offer.status == OfferStatus.PENDING, Offer.respond_by < today)
        .order_by(col(Offer.id))
    ).all()
    # Lock every application first, then the offers, then touch the groups: one batch may
    # hold a group's row lock while another use case holds an application it needs.
    apps = {
        a.id: a
        for a in uow.session.exec(
            select(Application)
            .where(col(Application.id).in_(sorted({a for _, a in due_rows})))
            .order_by(col(Application.id))
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
    }
    locked = uow.session.exec(
        select(Offer)
        .where(col(Offer.id).in_([o for o, _ in due_rows]))
        .order_by(col(Offer.id))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    due: list[Offer] = []
    for offer in locked:
        if offer.status != OfferStatus.PENDING:  # answered meanwhile
            continue
        app = apps[offer.application_id]
        due.append(offer)
        close_offer(uow, offer, OfferStatus.EXPIRED, "expired", application=app)
        uow.notify(
            "offer_expired",
            f"application:{app.id}",
            {"offer_id": offer.id, "respond_by": offer.respond_by.isoformat()},
        )
        app.expired_in_a_row += 1
        app.paused = is_paused(app.expired_in_a_row, uow.rules.max_expired_offers)
        uow.session.add(app)
        if app.paused:
            uow.record_row(
                "application", app, "paused", after={"expired_in_a_row": app.expired_in_a_row}
            )
    return [o.id for o in due if o.id is not None]


@retrying
def expire_offers(uow: UnitOfWork) -> list[int]:
    """Expire every pending offer past its respond-by date; returns their ids."""
    with uow:
        ids = _expire_due(uow)
        uow.commit()
        return ids


def _deadline_notices(uow: UnitOfWork) -> int:
    today = uow.today()
    soon = today + timedelta(days=uow.rules.deadline_notice_days)
    rows = uow.session.exec(
        select(Offer)
        .where(
            Offer.status == OfferStatus.PENDING,
            Offer.reminded_at.is_(None),  # type: ignore[union-attr]
            Offer.respond_by >= today,
            Offer.respond_by <= soon,
        )
        .order_by(col(Offer.id))  # the notices in the order the offers were made
    ).all()
    for offer in rows:
        offer.reminded_at = uow.now()
        uow.session.add(offer)
        uow.notify(
            "deadline_near",
            f"application:{offer.application_id}",
            {"offer_id": offer.id, "respond_by": offer.respond_by.isoformat()},
        )
    return len(rows)


@retrying
def send_deadline_notices(uow: UnitOfWork) -> int:
    """Queue one 'deadline near' notice per pending offer close to its respond-by date."""
    with uow:
        count = _deadline_notices(uow)
        uow.commit()
        return count
