"""Group-start recommendations: exact reductions that make the search smaller.

- Dominance between kinds. Kind `a` dominates kind `b` when both are hosted in the same
  district with the same sizes, every parent in reach of `b` is in reach of `a` and every leader
  who can lead `b` can lead `a`. Any group of `b` can then move to an unopened candidate of `a`
  that starts no later: the same parents and leader, the same travel, no later start. So some
  optimal plan (in all three tiers) opens `b`'s n-th candidate only when every candidate of `a`
  starting no later is open, and the model may require it. Each move sends a group to a kind
  with strictly more parents (or leaders) in reach, so moves end, with every requirement met.
  A room-bound kind never dominates (its room may be taken by another opened group); it may be
  dominated, since moving a group out of a room only frees the room.
- Classes merged across districts, for stage 1. Travel plays no part in weighted waiting-weeks
  removed, so parents with the same programme and the same kinds in reach are interchangeable
  there whatever their district: one merged class instead of one per district. Its optimum is
  the stage-1 optimum of the full model; `plan_from_merged` turns it into a full plan (which
  district's parents go where), the starting point of stage 2.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from solver.recommend.data import ParentClass, Prepared, opened_members

if TYPE_CHECKING:
    from solver.recommend.model import Solved


def dominated_pairs(prep: Prepared) -> list[tuple[int, int, int, int]]:
    """(a, b, n, q): when `b`'s n-th candidate (earliest first) opens, `a` opens at least q."""
    kinds = prep.kinds
    reach = [frozenset(prep.reach[kd.members[0]]) for kd in kinds]
    out = []
    for b, kb in enumerate(kinds):
        for a, ka in enumerate(kinds):
            if a == b or (ka.district, ka.capacity, ka.min_size) != (
                kb.district,
                kb.capacity,
                kb.min_size,
            ):
                continue
            if not (reach[b] <= reach[a] and set(kb.leads) <= set(ka.leads)):
                continue
            if ka.bound:
                # A group cannot always move into a room-bound candidate: its room may be
                # taken by another group. Moving out of a room only frees it.
                continue
            for n, week in enumerate(kb.start_weeks):
                q = sum(1 for w in ka.start_weeks if w <= week)
                if q:
                    out.append((a, b, n, q))
    return out


def merge_districts(prep: Prepared) -> Prepared:
    """The same data with one class per programme and set of kinds in reach (any district)."""
    groups: dict[tuple[str, tuple[int, ...]], list[int]] = {}
    for cls in prep.classes:
        groups.setdefault((cls.programme, cls.kinds), []).extend(cls.members)
    merged = []
    for (programme, kinds), members in sorted(groups.items()):
        ordered = sorted(members, key=lambda i: (-prep.weight[i], i))
        weights = tuple(prep.weight[i] for i in ordered)
        merged.append(ParentClass(programme, "", kinds, tuple(ordered), weights))
    # A merged class has no one home: travel is counted from stage 2 on, in the full model.
    travel = {(k, s): 0 for k, cls in enumerate(merged) for s in cls.kinds}
    return dataclasses.replace(prep, classes=tuple(merged), travel=travel)


def plan_from_merged(
    prep: Prepared, merged: Prepared, stage1: Solved
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """A full plan (candidate -> parents, candidate -> leader) with the merged solution's groups
    and weighted waiting-weeks: each merged class serves its heaviest members (queue order
    among equals), each sent to the kind nearest to their home among those the class feeds."""
    count, lead, flow = stage1.count, stage1.lead, stage1.flow
    pools: dict[int, list[int]] = {s: [] for s in count}
    home = {i: k for k, cls in enumerate(prep.classes) for i in cls.members}  # a parent's class
    for k, cls in enumerate(merged.classes):
        need = {s: n for s in cls.kinds if (n := flow.get((k, s), 0))}
        chosen = cls.members[: sum(need.values())]
        pairs = sorted((prep.travel[(home[i], s)], i, s) for i in chosen for s in need)
        placed: set[int] = set()
        for _, i, s in pairs:
            if i not in placed and need[s]:
                need[s] -= 1
                placed.add(i)
                pools[s].append(i)
    served: dict[int, list[int]] = {}
    leader_of: dict[int, int] = {}
    for s, n in sorted(count.items()):
        leaders = [j for (j, ss), x in sorted(lead.items()) if ss == s for _ in range(x)]
        pool = sorted(pools[s])
        base, extra = divmod(len(pool), n)
        at = 0
        groups = opened_members(prep.kinds[s], n, stage1.picked.get(s))
        for g, (c, j) in enumerate(zip(groups, leaders, strict=True)):
            size = base + (1 if g < extra else 0)
            served[c] = pool[at : at + size]
            leader_of[c] = j
            at += size
    return served, leader_of


def respect_dominance(
    prep: Prepared, served: dict[int, list[int]], leader_of: dict[int, int]
) -> tuple[dict[int, list[int]], dict[int, int]]:
    """The same plan with every group of a dominated kind that the model would forbid moved to
    its dominator (same parents and leader), so that it can start the search as it is.
    Opened candidates of a kind are taken to be its earliest ones, except in a kind bound to
    rooms, where they are the plan's own (a dominator is never bound to rooms)."""
    served, leader_of = dict(served), dict(leader_of)
    opened = {s: sum(1 for c in kd.members if c in served) for s, kd in enumerate(prep.kinds)}
    pairs = dominated_pairs(prep)
    moved = True
    while moved:
        moved = False
        for a, b, n, q in pairs:
            kb = prep.kinds[b]
            is_open = kb.members[n] in served if kb.bound else opened[b] > n
            if is_open and opened[a] < q:
                old = kb.members[n] if kb.bound else kb.members[opened[b] - 1]
                new = prep.kinds[a].members[opened[a]]
                served[new], leader_of[new] = served.pop(old), leader_of.pop(old)
                opened[b] -= 1
                opened[a] += 1
                moved = True
    moved = True
    rooms = room_dominance(prep)
    while moved:
        moved = False
        for strong, weak in rooms:
            if weak in served and strong not in served:
                served[strong], leader_of[strong] = served.pop(weak), leader_of.pop(weak)
                moved = True
    return served, leader_of


def room_dominance(prep: Prepared) -> list[tuple[int, int]]:
    """(strong, weak) candidates of one kind bound to rooms: `weak` opens only when `strong`
    does. Both are the same group in different rooms (same parents, leaders, sizes); `strong`
    starts no later (ties: fewer clashes, then index) and every candidate its room clashes
    with, but `weak`, clashes with `weak` too. A group of `weak` can then move to `strong`
    when `strong` is closed: its room is free (whatever clashes with it clashes with the open
    `weak`, so is closed), the parents, leader and travel are the same, the start no later.
    Each move takes a group to a candidate earlier in (start, clashes, index) order, so moves
    end. Candidates of pooled rooms are left out (their rooms are given out afterwards,
    rooms.place_in_rooms)."""
    pooled = {c for pool in prep.room_pools for orbit in pool.orbits for c in orbit}
    out = []
    for kd in prep.kinds:
        if not kd.bound or len(kd.members) < 2:
            continue
        clashes = {c: set(prep.clashes.get(c, ())) for c in kd.members if c not in pooled}
        ordered = sorted(clashes, key=lambda c: (prep.candidates[c].start, len(clashes[c]), c))
        for n, weak in enumerate(ordered):
            for strong in ordered[:n]:
                if clashes[strong] - {weak} <= clashes[weak]:
                    out.append((strong, weak))
    return out
