"""Placement rounds: preview (the solver's offers, recorded; no offer made, no seat taken),
then commit (every offer made at once, or none).

The preview keeps a hash of the scenario it was solved from (for the record) and fingerprints
of what its offers depend on (`watched_inputs`, below): the groups, the parents it offers
seats to and the parents it ranked ahead of them. Committing rebuilds the scenario from the
database as of the same date: if any of those changed (a seat taken, a group cancelled, a
parent ahead withdrawn or paused), the commit raises StalePreview and writes nothing; the
coordinator runs a new preview. A parent who applied after the preview does not make it
stale: the next round serves them. Offers are made through
waitlist.services.offers, the one path for making offers (eligibility, reach, the guarded
seat UPDATE, audit event, notice), inside one transaction with the round's own update.

What a preview depends on: it is stale only if something it relied on changed, not if
anything at all in the city changed. It relies on

- every group in its snapshot of a programme someone in the snapshot applied for (seats
  taken, capacity, status, date, slot, language): a seat taken or freed, a group cancelled
  or started changes which offers are possible or best;
- every application it offers a seat to: still waiting, not paused, unchanged;
- every application it ranked ahead of an offered one: if that parent withdrew, was offered
  a seat elsewhere, or was paused, the offers behind them may no longer be the right ones.
  "Ahead" follows the home-priority policy, per host district: with `strict`, every resident
  of the host is ahead of an incoming parent and residents earlier in queue order are ahead
  of a resident; with `none`, queue order alone decides.

Everything else may change between preview and commit without making the commit stale: an
application that arrived (or a group created) after the preview is served by the next round;
a parent behind everyone offered a seat could not have been served first. The commit itself
still makes each offer through the guarded seat UPDATE, in one transaction: a seat lost at
the last moment fails the whole commit. The preview stores a short SHA-256 fingerprint of
each watched group and application with the round (never shown: an application's
fingerprint covers its birth month); the commit compares them with a fresh snapshot as of
the same date.

A round may be scoped to one group (`group=`), as when a coordinator accepts a group-start
recommendation: the solver then sees every district's waiting parents and every group (so the
placement rules hold as in any round: own district first, cross-district only past the
threshold), and the round keeps only the offers it makes in that group.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from solver.placement import solve
from solver.scenario.files import dumps, result_to_dict, scenario_to_dict
from solver.types import Application as SApplication
from solver.types import Group as SGroup
from solver.types import Offer as SOffer
from solver.types import Scenario
from waitlist.domain.errors import (
    Conflict,
    IllegalTransition,
    InvalidInput,
    NoSeatLeft,
    NotEligible,
    NotFound,
    StalePreview,
)
from waitlist.domain.queue import queue_key
from waitlist.domain.round import (
    RoundStatus,
    check_fresh,
    check_round_transition,
    check_unchanged,
)
from waitlist.domain.values import HomePriority
from waitlist.services import access, lookups, offers
from waitlist.services.access import Actor
from waitlist.services.retry import retrying
from waitlist.services.scenario_export import (
    application_ref,
    database_scenario,
    group_ref,
    parse_ref,
)
from waitlist.storage.tables import Group, PlacementRound, PlacementRoundPublic
from waitlist.storage.uow import UnitOfWork


def inputs_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario file: equal inputs, equal hash."""
    return hashlib.sha256(dumps(scenario_to_dict(scenario)).encode("utf-8")).hexdigest()


def to_public(row: PlacementRound) -> PlacementRoundPublic:
    return PlacementRoundPublic.model_validate(row, from_attributes=True)


LEFT_OUT_KEY = "left_out"
"""The applications a coordinator took out of a preview (waitlist.services.round_edits)."""


def without(scenario: Scenario, left_out: Collection[int]) -> Scenario:
    """The scenario without the applications left out of the round (nothing else changes:
    they keep their place in the queue for the next round)."""
    if not left_out:
        return scenario
    refs = {application_ref(a) for a in left_out}
    kept = tuple(a for a in scenario.applications if a.id not in refs)
    return replace(scenario, applications=kept)


# What a preview depends on (see the module's docstring).

WATCH_KEY = "watch"


def fingerprint(item: SApplication | SGroup) -> str:
    data = asdict(item)
    if data.get("room", "") is None:  # optional field: a group without a room hashes as before
        del data["room"]
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _ahead(scenario: Scenario, offers: Sequence[SOffer]) -> set[str]:
    """Applications the preview ranked ahead of an offered one (not offered themselves)."""
    apps = {a.id: a for a in scenario.applications}
    hosts = {g.id: g.district for g in scenario.groups}
    offered = {o.application for o in offers}
    strict = scenario.policy.home_priority == HomePriority.STRICT
    # Per programme and host district: the latest queue key offered to a resident and to an
    # incoming parent (with `none`, the host does not matter: one entry per programme).
    latest: dict[tuple[str, str, bool], tuple[Any, ...]] = {}
    for offer in offers:
        app, host = apps[offer.application], hosts[offer.group]
        resident = app.district == host
        slot = (app.programme, host if strict else "", resident if strict else True)
        key = queue_key(app)
        latest[slot] = max(latest.get(slot, key), key)
    ahead: set[str] = set()
    for app in scenario.applications:
        if app.id in offered:
            continue
        key = queue_key(app)
        for (programme, host, resident), last in latest.items():
            if app.programme != programme:
                continue
            if not strict:
                before = key < last
            elif resident:  # an offer to a resident: earlier residents of that host
                before = app.district == host and key < last
            else:  # an offer to an incoming parent: every resident, earlier incoming parents
                before = app.district == host or key < last
            if before:
                ahead.add(app.id)
                break
    return ahead


def watched_inputs(scenario: Scenario, offers: Sequence[SOffer]) -> dict[str, dict[str, str]]:
    """Fingerprints of what a preview with these offers depends on."""
    programmes = {a.programme for a in scenario.applications}
    relied = {o.application for o in offers} | _ahead(scenario, offers)
    return {
        "groups": {g.id: fingerprint(g) for g in scenario.groups if g.programme in programmes},
        "applications": {a.id: fingerprint(a) for a in scenario.applications if a.id in relied},
    }


def changed_inputs(watch: dict[str, dict[str, str]], scenario: Scenario) -> list[str]:
    """What changed since the preview, in words (empty: the preview still holds)."""
    groups = {g.id: fingerprint(g) for g in scenario.groups}
    apps = {a.id: fingerprint(a) for a in scenario.applications}
    found = []
    for ref, print_ in sorted(watch.get("groups", {}).items()):
        if groups.get(ref) != print_:
            found.append(f"group {ref} changed (seats taken, capacity or status)")
    for ref, print_ in sorted(watch.get("applications", {}).items()):
        if apps.get(ref) != print_:
            found.append(f"application {ref} is no longer waiting as it was")
    return found


def preview_round(
    uow: UnitOfWork,
    *,
    as_of: date | None = None,
    district: str | None = None,
    group: int | None = None,
    left_out: Collection[int] = (),
) -> PlacementRoundPublic:
    """Solve a round over a snapshot of the database and record it as a preview.

    `group`: only the offers in that group (parents of every district are considered).
    `left_out`: applications this round leaves out (the coordinator removed their offer)."""
    with uow:
        day = as_of or uow.today()
        _check_scope(uow, day, district, group)
        scenario = database_scenario(uow, day, None if group is not None else district)
        scenario = without(scenario, left_out)
        result = solve(scenario)
        scope: dict[str, Any] = {}
        if group is not None:
            result = result.in_group(group_ref(group), scenario.groups)
            scope = {"group": group}
        if left_out:
            scope[LEFT_OUT_KEY] = sorted(left_out)
        scope[WATCH_KEY] = watched_inputs(scenario, result.offers)
        stored = result_to_dict(result)
        row = PlacementRound(
            at=uow.now(),
            actor=uow.actor,
            district=district,
            as_of=day,
            inputs_hash=inputs_hash(scenario),
            objective=stored["objective"],
            status=RoundStatus.PREVIEW.value,
            offers=stored["offers"],
            result={k: stored[k] for k in ("status", "unplaced", "metrics")} | scope,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.record(
            "placement_round", row.id, "round_previewed", after=_summary(row), district=district
        )
        uow.commit()
        return to_public(row)


# A round looks at most a year back or ahead: a date outside is a typing error.
AS_OF_WINDOW_DAYS = 366


def _check_scope(uow: UnitOfWork, day: date, district: str | None, group: int | None) -> None:
    if abs((day - uow.today()).days) > AS_OF_WINDOW_DAYS:
        raise InvalidInput(
            f"as_of must be within {AS_OF_WINDOW_DAYS} days of today, got {day}.", field="as_of"
        )
    if district is not None:
        lookups.district(uow, district)
    if group is not None and lookups.by_id(uow, Group, group) is None:
        raise NotFound(f"There is no group {group}.", field="group")


def _round(uow: UnitOfWork, round_id: int, actor: Actor | None) -> PlacementRound:
    """The round; `actor`, when given, must coordinate the district it was run for (None: a
    trusted caller, such as the command line)."""
    row = lookups.by_id(uow, PlacementRound, round_id)
    if actor is not None:
        return access.check_round(actor, row, round_id)
    if row is None:
        raise NotFound(f"There is no placement round {round_id}.", field="round")
    return row


@retrying  # a deadlock with a parent's answer rolls the whole commit back: run it again
def commit_round(
    uow: UnitOfWork, round_id: int, *, actor: Actor | None = None
) -> PlacementRoundPublic:
    """Make every offer of a fresh preview, atomically; StalePreview if the inputs changed."""
    with uow:
        row = _round(uow, round_id, actor)
        check_round_transition(row.status, RoundStatus.COMMITTED.value)
        scoped = (row.result or {}).get("group") is not None
        current = database_scenario(uow, row.as_of, None if scoped else row.district)
        current = without(current, (row.result or {}).get(LEFT_OUT_KEY, ()))
        watch = (row.result or {}).get(WATCH_KEY)
        if watch is None:  # a preview recorded before fingerprints: the whole snapshot
            check_fresh(row.inputs_hash, inputs_hash(current))
        else:
            check_unchanged(changed_inputs(watch, current))
        for offer in proposed(row):
            _make(uow, round_id, offer)
        row.status = RoundStatus.COMMITTED.value
        row.committed_at = uow.now()
        row.committed_by = uow.actor
        uow.session.add(row)
        uow.record(
            "placement_round", row.id, "round_committed", after=_summary(row), district=row.district
        )
        uow.commit()
        return to_public(row)


@retrying
def discard_round(
    uow: UnitOfWork, round_id: int, *, actor: Actor | None = None
) -> PlacementRoundPublic:
    with uow:
        row = _round(uow, round_id, actor)
        check_round_transition(row.status, RoundStatus.DISCARDED.value)
        row.status = RoundStatus.DISCARDED.value
        uow.session.add(row)
        uow.record("placement_round", row.id, "round_discarded", district=row.district)
        uow.commit()
        return to_public(row)


def _make(uow: UnitOfWork, round_id: int, offer: Proposed) -> None:
    """One offer of the round, in the round's transaction; a seat or application that moved
    since means a stale preview (the exception leaves the transaction, which then rolls
    everything back)."""
    try:
        offers.add_offer(
            uow,
            offer.application,
            offer.group,
            reason=offer.reason,
            round_id=round_id,
            facts=offer.facts,
        )
    except (NoSeatLeft, Conflict, IllegalTransition, NotEligible, NotFound) as exc:
        raise StalePreview(
            f"Offer {application_ref(offer.application)} -> {group_ref(offer.group)} can no "
            f"longer be made ({exc.message}); run the preview again.",
            field="round",
        ) from exc


@dataclass(frozen=True, kw_only=True)
class Reasoned:
    """An application a round's preview speaks of, with the reason it gives (its facts, when
    it has them, word it in any language)."""

    application: int
    reason: str = ""
    reason_sv: str = ""
    facts: dict[str, Any] | None = None


@dataclass(frozen=True, kw_only=True)
class Proposed(Reasoned):
    """An offer a preview proposes, as kept with the round."""

    group: int
    respond_by: date
    cross_district: bool = False
    travel_minutes: int = 0


def _reasoned(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "application": parse_ref(entry["application"]),
        "reason": str(entry.get("reason", "")),
        "reason_sv": str(entry.get("reason_sv", "")),
        "facts": entry.get("facts") or None,
    }


def proposed(row: PlacementRound | PlacementRoundPublic) -> list[Proposed]:
    """The offers a round proposes (or made, once committed), in the round's order."""
    return [
        Proposed(
            **_reasoned(o),
            group=parse_ref(o["group"]),
            respond_by=date.fromisoformat(str(o["respond_by"])),
            cross_district=bool(o.get("cross_district")),
            travel_minutes=int(o.get("travel_minutes", 0)),
        )
        for o in row.offers
    ]


def unplaced(row: PlacementRound | PlacementRoundPublic) -> list[Reasoned]:
    """The applications a round's preview leaves waiting, each with its reason."""
    return [Reasoned(**_reasoned(u)) for u in (row.result or {}).get("unplaced", [])]


def _summary(row: PlacementRound) -> dict[str, Any]:
    return {
        "status": row.status,
        "as_of": row.as_of.isoformat() if row.as_of else None,
        "inputs_hash": row.inputs_hash,
        "objective": row.objective,
        "offers": len(row.offers),
    }
