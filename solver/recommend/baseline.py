"""Baseline for comparison only: "start a group where the queue is longest".

Repeatedly take the district × programme with the most parents still waiting, open one of its
candidate groups (earliest start first) that has a free certified leader and enough of the
district's own eligible parents to reach the minimum size (and, when it names a room, whose room
is free then), and fill it with them in queue order.
No pooling across districts. Stops when no queue can start a group (or the budget is used).
"""

from __future__ import annotations

from dataclasses import dataclass

from solver.recommend.data import Prepared


@dataclass(frozen=True)
class BaselinePlan:
    leader_of: dict[int, int]  # candidate index -> leader index
    served: dict[int, list[int]]  # candidate index -> application indices


def longest_queue_first(prep: Prepared) -> BaselinePlan:
    apps = prep.applications
    waiting: dict[tuple[str, str], set[int]] = {}
    for i, app in enumerate(apps):
        waiting.setdefault((app.district, app.programme), set()).add(i)
    left = {j: ld.max_groups for j, ld in enumerate(prep.leaders)}
    by_cell: dict[tuple[str, str], list[int]] = {}
    for c, cand in enumerate(prep.candidates):
        by_cell.setdefault((cand.district, cand.programme), []).append(c)
    for cands in by_cell.values():
        cands.sort(key=lambda c: (prep.candidates[c].start, prep.candidates[c].id))

    budget = prep.options.max_new_groups
    leader_of: dict[int, int] = {}
    served: dict[int, list[int]] = {}
    exhausted: set[tuple[str, str]] = set()
    while budget is None or len(served) < budget:
        open_cells = [cell for cell in waiting if cell not in exhausted and waiting[cell]]
        if not open_cells:
            break
        cell = min(open_cells, key=lambda cell: (-len(waiting[cell]), cell))
        for c in by_cell.get(cell, []):
            if c in served:
                continue
            cand = prep.candidates[c]
            free = [j for j in prep.leads[c] if left[j] > 0]
            own = sorted(i for i in prep.reach[c] if i in waiting[cell])
            taken = any(d in served for d in prep.clashes.get(c, ()))
            if free and len(own) >= cand.min_size and not taken:
                chosen = own[: cand.capacity]
                served[c] = chosen
                leader_of[c] = free[0]
                left[free[0]] -= 1
                waiting[cell] -= set(chosen)
                break
        else:
            exhausted.add(cell)
    return BaselinePlan(leader_of, served)
