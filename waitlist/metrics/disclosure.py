"""Small-cell suppression with complementary suppression (method: docs/metrics.md).

Generic over cells: a cell is any hashable key with a count of people; a `Relation` says
that a published total equals the sum of its parts (a district total, a quarter = its
months, waiting = system + chosen, ...). The result is the set of cells to hide such that

1. every count from 1 to k-1 is hidden (primary suppression);
2. in every relation with a hidden cell, at least two cells are hidden, and when the total
   is shown the hidden parts add up to k or more, so neither one hidden cell nor the union
   of the hidden parts is a small count (complementary suppression);
3. no hidden cell is determined by the system of all relations together (a linear-algebra
   audit; a cell found determined gets one more complement).

`frozen` cells were decided earlier (published or hidden): their decision is kept and only
other cells are added as complements.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

Key = Any  # any hashable cell key


@dataclass(frozen=True)
class Relation:
    total: Key
    parts: tuple[Key, ...]

    @property
    def cells(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


class DisclosureError(RuntimeError):
    """The frozen decisions leave no way to protect a cell (a bug, never expected)."""


def protect(
    values: Mapping[Key, int],
    relations: Sequence[Relation],
    k: int,
    *,
    frozen: Mapping[Key, bool] | None = None,
    weight: Callable[[Key, int], float] | None = None,
) -> set[Key]:
    """The cells to suppress (frozen suppressed cells included).

    `weight(key, value)` is the cost of hiding a cell as a complement (default: its value);
    the cheapest cell that does the job is chosen, ties broken by key order.
    """
    frozen = frozen or {}
    cost = weight or (lambda _key, value: float(value))
    hidden = {key for key, was_hidden in frozen.items() if was_hidden}
    hidden |= {key for key, v in values.items() if key not in frozen and 0 < v < k}
    if k <= 1:
        return hidden
    by_cell: dict[Key, list[Relation]] = defaultdict(list)
    for rel in relations:
        for cell in rel.cells:
            by_cell[cell].append(rel)

    def fixed_by_frozen(cell: Key) -> bool:
        # Hiding it is useless when it is the only unknown of a relation of frozen cells.
        return any(
            all(c in frozen and not frozen[c] for c in rel.cells if c != cell)
            for rel in by_cell[cell]
        )

    def pick(cells: Sequence[Key], need: int = 0) -> Key | None:
        free = [c for c in cells if c not in hidden and c not in frozen and not fixed_by_frozen(c)]
        if not free:
            return None
        free = [c for c in free if values.get(c, 0) > 0] or free  # zeros protect nothing
        enough = [c for c in free if values.get(c, 0) >= need]
        pool = enough or free
        rank = (lambda c: (cost(c, values.get(c, 0)), repr(c))) if enough else _largest(values)
        return min(pool, key=rank)

    active = [r for r in relations if any(c not in frozen for c in r.cells)]
    while True:
        changed = False
        for rel in active:
            add = _complement(rel, hidden, values, k, pick)
            if add is not None:
                hidden.add(add)
                changed = True
        if changed:
            continue
        determined = determined_cells(relations, hidden, frozen)
        if not determined:
            return hidden
        touched: set[Key] = set()  # one complement per neighbourhood per round
        for cell in sorted(determined, key=repr):
            near = {c for rel in by_cell[cell] for c in rel.cells}
            if near & touched:
                continue
            add = _nearest_candidate(cell, by_cell, hidden, pick)
            if add is None:
                raise DisclosureError(f"cannot protect {cell!r}: every neighbour is frozen")
            hidden.add(add)
            touched |= near | {add}


def _nearest_candidate(
    cell: Key,
    by_cell: Mapping[Key, list[Relation]],
    hidden: set[Key],
    pick: Callable[..., Key | None],
) -> Key | None:
    """The cheapest cell that may still be hidden, searching outwards from `cell` through
    the relations and the hidden cells they share."""
    seen_cells, frontier = {cell}, [cell]
    while frontier:
        near = [c for x in frontier for rel in by_cell.get(x, ()) for c in rel.cells]
        add = pick(near)
        if add is not None:
            return add
        frontier = [c for c in near if c in hidden and c not in seen_cells]
        seen_cells.update(frontier)
    return None


def _largest(values: Mapping[Key, int]) -> Callable[[Key], tuple[int, str]]:
    return lambda c: (-values.get(c, 0), repr(c))


def _complement(
    rel: Relation,
    hidden: set[Key],
    values: Mapping[Key, int],
    k: int,
    pick: Callable[..., Key | None],
) -> Key | None:
    """One more cell to hide so `rel` stops giving a hidden cell away, or None if it is safe."""
    hidden_parts = [c for c in rel.parts if c in hidden]
    if rel.total in hidden:
        if hidden_parts:
            return None
        add = pick(rel.parts)
    else:
        if not hidden_parts:
            return None
        total_hidden = sum(values.get(c, 0) for c in hidden_parts)
        if len(hidden_parts) >= 2 and total_hidden >= k:
            return None
        need = max(0, k - total_hidden) if len(hidden_parts) >= 1 else 0
        add = pick(rel.parts, need)
        if add is None:
            add = pick((rel.total,))
    if add is None:
        raise DisclosureError(f"cannot protect the relation of {rel.total!r}: all cells frozen")
    return add


def determined_cells(
    relations: Sequence[Relation], hidden: set[Key], frozen: Mapping[Key, bool] | None = None
) -> set[Key]:
    """Hidden cells an attacker can solve for exactly from all relations together.

    Components made only of `frozen` cells were checked when they were decided; skipped."""
    rels = [r for r in relations if any(c in hidden for c in r.cells)]
    parent: dict[Key, Key] = {}

    def find(x: Key) -> Key:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for rel in rels:
        unknown = [c for c in rel.cells if c in hidden]
        for c in unknown[1:]:
            parent[find(c)] = find(unknown[0])
        find(unknown[0])
    components: dict[Key, list[Relation]] = defaultdict(list)
    for rel in rels:
        components[find(next(c for c in rel.cells if c in hidden))].append(rel)
    found: set[Key] = set()
    for comp in components.values():
        if frozen and all(c in frozen for rel in comp for c in rel.cells):
            continue
        found |= _solvable(comp, hidden)
    return found


def _solvable(rels: list[Relation], hidden: set[Key]) -> set[Key]:
    unknowns = sorted({c for r in rels for c in r.cells if c in hidden}, key=repr)
    index = {c: i for i, c in enumerate(unknowns)}
    matrix = np.zeros((len(rels), len(unknowns)))
    for row, rel in enumerate(rels):
        if rel.total in hidden:
            matrix[row, index[rel.total]] += 1.0
        for c in rel.parts:
            if c in hidden:
                matrix[row, index[c]] -= 1.0
    # x_i is determined iff e_i lies in the row space, i.e. every null vector is 0 on i.
    # The null space of A is the eigenspace of A'A for eigenvalue 0 (symmetric: eigh).
    eigenvalues, vectors = np.linalg.eigh(matrix.T @ matrix)
    null = vectors[:, eigenvalues < 1e-8 * max(1.0, float(eigenvalues.max(initial=0.0)))]
    if null.shape[1] == 0:
        return set(unknowns)
    # Length of the projection of e_i on the null space: 0 iff x_i is determined.
    reach = np.sqrt((null * null).sum(axis=1))
    return {c for c in unknowns if reach[index[c]] < 1e-6}
