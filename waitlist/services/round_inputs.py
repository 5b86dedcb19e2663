"""What a placement round's preview depends on, and whether it still holds at commit.

A preview is stale only if something it relied on changed, not if anything at all in the
city changed. It relies on

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
the last moment fails the whole commit (waitlist.services.rounds).

The preview stores a short SHA-256 fingerprint of each watched group and application with
the round (never shown: an application's fingerprint covers its birth month); the commit
compares them with a fresh snapshot as of the same date.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from solver.types import Application, Group, Offer, Scenario
from waitlist.domain.queue import queue_key
from waitlist.domain.values import HomePriority

WATCH_KEY = "watch"


def fingerprint(item: Application | Group) -> str:
    data = asdict(item)
    if data.get("room", "") is None:  # optional field: a group without a room hashes as before
        del data["room"]
    text = json.dumps(data, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _ahead(scenario: Scenario, offers: Sequence[Offer]) -> set[str]:
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


def watched(scenario: Scenario, offers: Sequence[Offer]) -> dict[str, dict[str, str]]:
    """Fingerprints of what a preview with these offers depends on."""
    programmes = {a.programme for a in scenario.applications}
    relied = {o.application for o in offers} | _ahead(scenario, offers)
    return {
        "groups": {g.id: fingerprint(g) for g in scenario.groups if g.programme in programmes},
        "applications": {a.id: fingerprint(a) for a in scenario.applications if a.id in relied},
    }


def changes(watch: dict[str, dict[str, str]], scenario: Scenario) -> list[str]:
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
