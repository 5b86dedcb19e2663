"""Serve in priority order: the lexicographically best set of applicants that fits the seats.

Applicants arrive one by one in priority order, each with the groups it may take (its arcs).
An applicant is admitted when the applicants already admitted plus this one can all be seated
at once (some admitted ones may move to another group they may take: an augmenting path);
otherwise it is refused, and no later admission ever changes that. This is the greedy
algorithm on a transversal matroid, so the admitted set is the unique lexicographic optimum
for the priority order, and also the largest possible.

Speed: a refused applicant's search visits a region of full groups that nobody seated there
can leave; such a region stays full forever, so it is marked dead and never searched again.
Each group is searched by at most one refusal, which keeps long queues with few seats cheap.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence


class PriorityMatcher:
    """Incremental bipartite b-matching with admissions in priority order."""

    def __init__(self, free: Sequence[int]) -> None:
        self.left = list(free)
        self.seated: list[list[int]] = [[] for _ in free]
        self.dead = [False] * len(free)
        self.arcs: dict[int, Sequence[int]] = {}
        self.at: dict[int, int] = {}

    def admit(self, applicant: int, arcs: Sequence[int]) -> bool:
        """Seat `applicant` in one of `arcs` if everyone admitted so far can stay seated."""
        left, dead = self.left, self.dead
        for g in arcs:
            if left[g] > 0:
                self._seat(applicant, arcs, g)
                return True
        # Breadth-first search for an augmenting path through full groups.
        came_from: dict[int, tuple[int, int]] = {}  # group -> (applicant moved in, from group)
        queue: deque[int] = deque()
        for g in arcs:
            if not dead[g] and g not in came_from:
                came_from[g] = (applicant, -1)
                queue.append(g)
        while queue:
            g = queue.popleft()
            for x in self.seated[g]:
                for h in self.arcs[x]:
                    if dead[h] or h in came_from:
                        continue
                    came_from[h] = (x, g)
                    if left[h] > 0:
                        self._augment(h, came_from)
                        self._seat(applicant, arcs, -1)
                        return True
                    queue.append(h)
        for g in came_from:
            dead[g] = True
        return False

    def _seat(self, applicant: int, arcs: Sequence[int], g: int) -> None:
        self.arcs[applicant] = arcs
        if g >= 0:
            self.left[g] -= 1
            self.seated[g].append(applicant)
            self.at[applicant] = g

    def _augment(self, end: int, came_from: dict[int, tuple[int, int]]) -> None:
        """Move each applicant on the path one step on; the new one lands in the first group."""
        self.left[end] -= 1
        h = end
        while True:
            x, g = came_from[h]
            self.seated[h].append(x)
            self.at[x] = h
            if g < 0:
                return
            self.seated[g].remove(x)
            h = g

    def assignment(self) -> dict[int, int]:
        """Admitted applicant -> a group seating it (one feasible assignment, not optimised)."""
        return dict(self.at)
