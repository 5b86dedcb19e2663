"""Where planned groups go, and in which language: two rules a city's plan can follow.

- `share_groups`: a budget of groups shared among districts in proportion to a weight each
  (for example the applications each district sent last term), whole groups only, the total
  exactly the budget (largest remainders).
- `language_for_queue`: the language a planned group is announced in, chosen from the queue
  it will serve: the language that enough parents of its district's queue with no seat in
  sight can only take (among the languages its leaders can run it in) to start it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping


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
    only: dict[str, int] = {}
    for languages in unseated:
        can = usable.intersection(languages)
        if len(can) == 1:
            lang = next(iter(can))
            only[lang] = only.get(lang, 0) + 1
    best, most = planned, only.get(planned, 0)
    for lang in sorted(usable):
        if only.get(lang, 0) > most and only[lang] >= min_size:
            best, most = lang, only[lang]
    return best
