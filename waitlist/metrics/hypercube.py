"""Hypercube suppression for an n-dimensional table with margins (method: docs/metrics.md).

Every hidden cell is made a corner of a hidden hypercube: two indices in each dimension.
With signs alternating between two inner indices and equal for an inner index and the
margin, the corners form a vector that keeps every row, column and layer sum unchanged,
so an attacker can shift all corners by it and no hidden cell is ever determined by the
totals. On top, in every line whose total is shown, the hidden cells add up to k or more.
Published zeros are not used as complements while any other cell will do.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from typing import Any

import numpy as np

INF = float("inf")


def protect_cube(
    values: np.ndarray,
    k: int,
    margin_dims: tuple[bool, ...],
    index_weights: tuple[Sequence[float] | None, ...] | None = None,
) -> np.ndarray:
    """The hidden mask for `values` (int array; in a dimension with a margin, the margin is
    the last index). Counts 1..k-1 are hidden, then complements as above.

    The cost of hiding a cell is 1 + value x the weights of its indices (default: 4 for a
    margin, 1 otherwise), so complements are few, small, and rarely totals."""
    hidden = (values > 0) & (values < k)
    if k <= 1 or not hidden.any():
        return hidden
    factor = np.ones(values.shape)
    for d, has_margin in enumerate(margin_dims):
        given = index_weights[d] if index_weights else None
        if given is None:
            given = [1.0] * (values.shape[d] - 1) + [4.0 if has_margin else 1.0]
        shape = [1] * values.ndim
        shape[d] = values.shape[d]
        factor = factor * np.asarray(given, dtype=float).reshape(shape)
    cost = 1.0 + values * factor
    # A zero protects nothing: an attacker who knows the others are counts (never negative)
    # can often pin a hidden zero down. Zeros are complements only when nothing else fits.
    cost = np.where(values == 0, 1e9, cost)
    covered = np.zeros(values.shape, dtype=bool)
    while True:
        todo = np.argwhere(hidden & ~covered)
        if len(todo) == 0:
            if not _enforce_sums(values, hidden, cost, k, margin_dims):
                return hidden
            continue
        for cell in map(tuple, todo):
            if covered[cell]:
                continue
            corners = _cheapest_cube(np.where(hidden, 0.0, cost), cell)
            for corner in corners:
                hidden[corner] = True
                covered[corner] = True


def _cheapest_cube(cost: np.ndarray, cell: tuple[int, ...]) -> list[tuple[int, ...]]:
    n = cost.ndim
    total = np.zeros(cost.shape)
    for mask in range(2**n):
        picks = tuple(slice(None) if mask >> d & 1 else cell[d] for d in range(n))
        shape = [cost.shape[d] if mask >> d & 1 else 1 for d in range(n)]
        total = total + cost[picks].reshape(shape)
    for d in range(n):
        index: list[Any] = [slice(None)] * n
        index[d] = cell[d]
        total[tuple(index)] = INF  # the partner index must differ in every dimension
    if not np.isfinite(total).any():
        raise ValueError("a table needs at least two indices in every dimension")
    partner = np.unravel_index(int(np.argmin(total)), total.shape)
    return [
        tuple(int(partner[d]) if bit else cell[d] for d, bit in enumerate(bits))
        for bits in product((0, 1), repeat=n)
    ]


def _enforce_sums(
    values: np.ndarray, hidden: np.ndarray, cost: np.ndarray, k: int, margin_dims
) -> bool:
    """Hide one more cell in a line whose shown total leaves hidden cells summing below k.
    True if a cell was added (its own hypercube follows)."""
    for d, has_margin in enumerate(margin_dims):
        if not has_margin:
            continue
        v = np.moveaxis(values, d, -1)
        h = np.moveaxis(hidden, d, -1)
        c = np.moveaxis(cost, d, -1)
        hidden_sum = (v[..., :-1] * h[..., :-1]).sum(axis=-1)
        bad = (~h[..., -1]) & h[..., :-1].any(axis=-1) & (hidden_sum < k)
        for line in map(tuple, np.argwhere(bad)):
            need = k - int(hidden_sum[line])
            parts = [(i, int(v[line][i])) for i in range(v.shape[-1] - 1) if not h[line][i]]
            if not parts:
                pick = v.shape[-1] - 1  # only the total is left to hide
            else:
                enough = [p for p in parts if p[1] >= need]
                pick = (
                    min(enough, key=lambda p: c[line][p[0]])[0]
                    if enough
                    else max(parts, key=lambda p: p[1])[0]
                )
            full = list(line)
            full.insert(d, pick)
            hidden[tuple(full)] = True
            return True
    return False
