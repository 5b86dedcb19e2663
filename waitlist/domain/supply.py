"""Where planned groups go, and in which language: two rules a city's plan can follow.

- `share_groups`: a budget of groups shared among districts in proportion to a weight each
  (for example the applications each district sent last term), whole groups only, the total
  exactly the budget (largest remainders).
- `share_by_projected_wait`: a budget of groups given out one at a time, each to the district
  whose parents would wait longest for a seat without it (the parents it must still seat per
  group it has): every district with parents to seat gets a group before any gets a second,
  and the longest projected wait left is as short as any sharing of the budget can make it.
- `unseated_demand`: the parents a district's queue must still seat in the coming term.
- `language_for_queue`: the language a planned group is announced in, chosen from the queue
  it will serve: the language that enough parents of its district's queue with no seat in
  sight can only take (among the languages its leaders can run it in) to start it.
- `slot_for_queue`: the time of day a planned group is announced at, chosen from the same
  queue: the slot the most of its parents with no seat in sight can come at.
- `no_seat_in_sight`: the parents of a queue for whom no free seat is in sight, each seat
  counted once; the queue both rules above are applied to, in the simulation and on the
  coordinator's groups page alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import TypeVar

P = TypeVar("P")
K = TypeVar("K", str, int)


def share_groups(budget: int, weights: Mapping[str, float]) -> dict[str, int]:
    """`budget` whole groups shared in proportion to `weights` (largest remainder method).

    Every key gets the whole part of its quota `budget × weight / total`; the groups left go
    one each to the largest remainders (ties: the larger weight, then the key's order). The
    shares add up to `budget` exactly and each is its quota rounded down or up. With no
    positive weight the groups are shared equally.
    """
    if budget < 0:
        raise ValueError("budget must be 0 or more")
    keys = sorted(weights)
    if not keys:
        if budget:
            raise ValueError("a budget needs at least one key to share it")
        return {}
    clean = {k: max(0.0, float(weights[k])) for k in keys}
    total = sum(clean.values())
    if total <= 0:
        clean = dict.fromkeys(keys, 1.0)
        total = float(len(keys))
    quota = {k: budget * clean[k] / total for k in keys}
    shares = {k: math.floor(quota[k]) for k in keys}
    left = budget - sum(shares.values())
    order = sorted(keys, key=lambda k: (-(quota[k] - shares[k]), -clean[k], k))
    for k in order[:left]:
        shares[k] += 1
    return shares


def share_by_projected_wait(budget: int, demand: Mapping[str, float]) -> dict[str, int]:
    """`budget` whole groups shared so that the longest projected wait is as short as it can be.

    `demand`: the parents each key's queue must still seat (`unseated_demand`). The projected
    wait of a key with `n` groups grows with `demand / n` (unbounded with no group), so the
    groups are given out one at a time, each to the key with the longest projected wait left
    (ties: the larger demand, then the key's order): a highest-averages sharing with divisor
    `n` (Adams). Every key with demand gets a group before any key gets a second; a key with no
    demand gets none while another has some. The shares add up to `budget` exactly. With no
    positive demand the groups are shared equally (`share_groups`).
    """
    if budget < 0:
        raise ValueError("budget must be 0 or more")
    clean = {k: max(0.0, float(v)) for k, v in demand.items()}
    if not any(clean.values()):
        return share_groups(budget, clean)
    shares = dict.fromkeys(sorted(clean), 0)
    wanting = [k for k in shares if clean[k] > 0]
    for _ in range(budget):
        best = wanting[0]
        for key in wanting[1:]:  # strictly longer wins: ties stay with the earlier key
            if _longer(clean[key], shares[key], clean[best], shares[best]):
                best = key
        shares[best] += 1
    return shares


def _longer(demand: float, groups: int, other: float, other_groups: int) -> bool:
    """Whether a queue with `demand` and `groups` waits longer per group than the other (or as
    long, with the larger demand)."""
    mine = math.inf if groups == 0 else demand / groups
    theirs = math.inf if other_groups == 0 else other / other_groups
    return mine > theirs or (mine == theirs and demand > other)


def unseated_demand(waiting: int, expected: int, free_seats: int) -> float:
    """Parents a queue must still seat in the coming term: those waiting now and those
    expected to apply (as many as applied in the last term), less the free seats of its
    groups already announced; never below zero."""
    return float(max(0, waiting + expected - max(0, free_seats)))


def language_for_queue(
    unseated: Iterable[Iterable[str]],
    allowed: Iterable[str],
    planned: str,
    min_size: int,
) -> str:
    """The language to announce a group in, from the queue it serves.

    `unseated`: the languages of each waiting parent of the group's district and programme who
    has no free seat in sight (none in a group recruiting within their reach, in a language
    they take). A parent who can take only one of the `allowed` languages (those the programme
    runs in and a leader within reach can lead) has no other group to wait for: the group takes
    the allowed language the most such parents can only take, when they are at least
    `min_size` (enough to start it) and more than those who can only take the planned language.
    Otherwise it runs as planned.
    """
    usable = set(allowed) | {planned}
    only = only_takes(unseated, usable)
    best, most = planned, only.get(planned, 0)
    for lang in sorted(usable):
        if only.get(lang, 0) > most and only[lang] >= min_size:
            best, most = lang, only[lang]
    return best


def slot_for_queue(unseated: Iterable[Iterable[str]], planned: str) -> str:
    """The time of day (slot) to announce a group at, from the queue it serves.

    `unseated`: the slots each waiting parent of the group's district and programme can come
    at, for those who have no free seat in sight (none in a recruiting group within their
    reach, in a language and at a time they take) and take the group's language. The group
    takes the slot the most of them can come at; it keeps the planned slot unless another
    slot suits strictly more of them (ties: the slot's name, so the choice never depends on
    the order of the queue).
    """
    can = can_come(unseated)
    best, most = planned, can.get(planned, 0)
    for slot in sorted(can):
        if can[slot] > most:
            best, most = slot, can[slot]
    return best


def only_takes(unseated: Iterable[Iterable[str]], usable: Iterable[str]) -> dict[str, int]:
    """Language -> how many of the parents (each given as the languages they take) can take
    that one of the `usable` languages and no other."""
    usable = set(usable)
    only: dict[str, int] = {}
    for languages in unseated:
        can = usable.intersection(languages)
        if len(can) == 1:
            lang = next(iter(can))
            only[lang] = only.get(lang, 0) + 1
    return only


def can_come(unseated: Iterable[Iterable[str]]) -> dict[str, int]:
    """Slot -> how many of the parents (each given as the slots they can come at) can come then."""
    can: dict[str, int] = {}
    for slots in unseated:
        for slot in set(slots):
            can[slot] = can.get(slot, 0) + 1
    return can


def no_seat_in_sight(
    queue: Iterable[P], seats: Mapping[K, int], suits: Callable[[P, K], bool]
) -> list[P]:
    """The parents of `queue` (in queue order) for whom no free seat is in sight.

    `seats`: the free seats of each group (group key -> seats). Each seat is counted once, for
    the first parent in the queue it `suits`, who takes it from the group whose key sorts
    first; a parent no seat is left for is returned. So a group with 2 free seats takes two
    parents off the queue, never more, and the result never depends on the order of `seats`.
    """
    free = {key: n for key, n in seats.items() if n > 0}
    left: list[P] = []
    for parent in queue:
        seat = next((key for key in sorted(free) if suits(parent, key)), None)
        if seat is None:
            left.append(parent)
            continue
        free[seat] -= 1
        if free[seat] == 0:
            del free[seat]
    return left
