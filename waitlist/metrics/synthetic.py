"""A synthetic city: application histories and groups drawn from a seeded generator, with
waits that differ by district. For benchmarks and property tests; no real person in it."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from waitlist.metrics.records import DECLINE_REASONS, ApplicationHistory, Decline, GroupRecord


def city(
    n: int,
    *,
    districts: int | Sequence[str] = 14,
    programmes: int | Sequence[str] = 11,
    start: date = date(2026, 1, 1),
    days: int = 365,
    today: date | None = None,
    seed: int = 2026,
) -> tuple[list[ApplicationHistory], list[GroupRecord]]:
    rng = random.Random(seed)
    ds = [f"d{i:02d}" for i in range(districts)] if isinstance(districts, int) else list(districts)
    ps = (
        [f"p{i:02d}" for i in range(programmes)]
        if isinstance(programmes, int)
        else list(programmes)
    )
    today = today or start + timedelta(days=days)
    slowness = {d: 20 + 8 * i for i, d in enumerate(ds)}  # mean days to an offer
    apps: list[ApplicationHistory] = []
    for _ in range(n):
        home, prog = rng.choice(ds), rng.choice(ps)
        queued = start + timedelta(days=rng.randrange(days))
        apps.append(_history(rng, home, prog, queued, today, ds, slowness[home]))
    groups: list[GroupRecord] = []
    for d in ds:
        for p in ps:
            for _ in range(max(1, n // (len(ds) * len(ps) * 10))):
                begin = start + timedelta(days=rng.randrange(days))
                status = rng.choice(("running", "completed", "cancelled", "recruiting"))
                cap = rng.choice((8, 10, 12))
                groups.append(
                    GroupRecord(
                        district=d,
                        programme=p,
                        start_on=begin,
                        status=status,
                        capacity=cap,
                        enrolled=rng.randint(0, cap) if status != "cancelled" else 0,
                        cancelled_on=begin - timedelta(days=3) if status == "cancelled" else None,
                        too_few=status == "cancelled",
                    )
                )
    return apps, groups


def _history(
    rng: random.Random,
    home: str,
    prog: str,
    queued: date,
    today: date,
    ds: list[str],
    mean_wait: int,
) -> ApplicationHistory:
    chose = rng.random() < 0.08
    offer = queued + timedelta(days=int(rng.expovariate(1 / mean_wait)))
    if offer >= today:
        withdrawn = queued + timedelta(days=rng.randrange(120)) if rng.random() < 0.1 else None
        if withdrawn is not None and withdrawn >= today:
            withdrawn = None
        status = "withdrawn" if withdrawn else "waiting"
        return ApplicationHistory(prog, home, queued, status, withdrawn_on=withdrawn)
    declines: list[Decline] = []
    expiries: list[date] = []
    answer = offer
    while rng.random() < 0.2 and answer + timedelta(days=30) < today:
        if rng.random() < 0.7:
            declines.append(Decline(answer + timedelta(days=3), rng.choice(DECLINE_REASONS)))
        else:
            expiries.append(answer + timedelta(days=11))
        answer += timedelta(days=rng.randrange(10, 40))
    host = home if rng.random() < 0.85 else rng.choice(ds)
    placed = answer + timedelta(days=4)
    if placed >= today:
        return ApplicationHistory(
            prog, home, queued, "offered", offer, declines=tuple(declines), expiries=tuple(expiries)
        )
    begin = placed + timedelta(days=rng.randrange(7, 30))
    return ApplicationHistory(
        prog,
        home,
        queued,
        "enrolled" if begin >= today else "completed",
        first_offer_on=offer,
        host_district=host,
        placed_on=placed,
        group_start_on=begin,
        declines=tuple(declines),
        expiries=tuple(expiries),
        chose_to_wait=chose,
    )
