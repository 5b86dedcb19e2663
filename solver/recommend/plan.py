"""Recommendations that see the plan: parents a planned group needs are not taken from it.

A planned or recruiting group below its minimum size starts only if enough waiting parents
take its seats. A recommended group that takes those parents first makes it cancel, and
its parents go back to the queue (rule 7). So before the model is built, each such group
(earliest start first) keeps the parents it needs to reach its minimum: first those of its
own district (rule 4: they are offered its seats first), then parents within reach who opted
in, each in queue order. A group that cannot yet reach its minimum from the waiting parents keeps
those there are: parents who apply before it starts may still fill it.

The kept parents stay in the scenario (the waiting times before and after still count them);
they are only out of every candidate's reach.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from solver.types import Application, CandidateGroup, Programme, Scenario, candidate_from
from waitlist.domain.group import OFFERABLE_STATUSES


def kept_for_plan(
    scenario: Scenario,
    apps: tuple[Application, ...],
    programmes: dict[str, Programme],
    serves: Callable[[Application, CandidateGroup, Scenario, Programme], bool],
) -> frozenset[int]:
    """Indices into `apps` (queue order) of the parents the scenario's planned and
    recruiting groups need to reach their minimum sizes. `serves` is the recommender's own
    test of whether a group could take a parent (eligibility and reach)."""
    by_cell: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, app in enumerate(apps):
        by_cell[(app.programme, app.district)].append(i)
    districts = sorted({d.slug for d in scenario.districts} | {a.district for a in apps})
    kept: set[int] = set()
    groups = sorted(
        (g for g in scenario.groups if g.status in OFFERABLE_STATUSES),
        key=lambda g: (g.start, g.id),
    )
    for group in groups:
        need = max(0, min(group.min_size, group.capacity) - group.taken)
        prog = programmes.get(group.programme)
        if need == 0 or prog is None:
            continue
        seat = candidate_from(group, id=group.id)
        own = [i for i in by_cell.get((group.programme, group.district), ()) if i not in kept]
        others = [
            i
            for d in districts
            if d != group.district and scenario.travel(d, group.district) is not None
            for i in by_cell.get((group.programme, d), ())
            if i not in kept
        ]
        takers: list[int] = []
        for i in [*own, *sorted(others)]:
            if serves(apps[i], seat, scenario, prog):
                takers.append(i)
                if len(takers) == need:
                    break
        kept.update(takers)
    return frozenset(kept)
