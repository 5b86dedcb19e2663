"""Group-start recommendations: the plan the search starts from.

Greedy, with pooling across districts: repeatedly open the candidate group that would remove
the most weighted waiting-weeks now (its capacity's heaviest parents in reach not yet served,
at least its minimum size), with a free leader and its room free then; ties go to the earlier
start. Values only fall as parents are served, so candidates are re-valued lazily (a popped
value still at least the next one's is current). The plan is feasible in the model and,
unlike the longest-queue baseline (baseline.py, which never pools), usually close to the
optimum, so that the search starts near it and its first answer is already a good one.
"""

from __future__ import annotations

import heapq

from solver.recommend.data import Prepared


def greedy_plan(prep: Prepared) -> tuple[dict[int, list[int]], dict[int, int]]:
    """(candidate -> parents in queue order, candidate -> leader) of a feasible plan."""
    weight = prep.weight
    ranked = {c: sorted(reach, key=lambda i: (-weight[i], i)) for c, reach in prep.reach.items()}
    left = {j: ld.max_groups for j, ld in enumerate(prep.leaders)}
    served_now: set[int] = set()
    served: dict[int, list[int]] = {}
    leader_of: dict[int, int] = {}
    blocked: set[int] = set()  # candidates whose room is taken by an opened one

    def best(c: int) -> tuple[int, list[int]]:
        cand = prep.candidates[c]
        chosen = []
        for i in ranked[c]:
            if i not in served_now:
                chosen.append(i)
                if len(chosen) == cand.capacity:
                    break
        if len(chosen) < max(1, cand.min_size):
            return 0, []
        return sum(weight[i] for i in chosen), chosen

    def order(c: int) -> tuple[int, int]:
        return (prep.candidates[c].start.toordinal(), c)

    heap = [(-best(c)[0], order(c), c) for c in sorted(prep.reach)]
    heap = [h for h in heap if h[0] < 0]
    heapq.heapify(heap)
    budget = prep.options.max_new_groups
    while heap and (budget is None or len(served) < budget):
        _, key, c = heapq.heappop(heap)
        free = [j for j in prep.leads[c] if left[j] > 0]
        if c in blocked or not free:
            continue
        value, chosen = best(c)
        if value <= 0:
            continue
        if heap and (-value, key) > heap[0][:2]:
            heapq.heappush(heap, (-value, key, c))
            continue
        # The leader with the fewest other groups they could still lead keeps the others free.
        j = min(free, key=lambda j: (left[j], j))
        served[c] = sorted(chosen)
        leader_of[c] = j
        left[j] -= 1
        served_now.update(chosen)
        blocked.update(prep.clashes.get(c, ()))
    return served, leader_of
