"""Which counts of one period are hidden.

Each family of counts is a table district (+ all) x programme (+ all) [x part (+ whole)],
protected by hypercube suppression. Cross-district placements are tied to the flows between
districts (a district's placements out are the sum of its flows), so that system is
protected by the generic method with a full linear-algebra audit instead."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from waitlist.metrics.compute import Figures
from waitlist.metrics.disclosure import Relation, protect
from waitlist.metrics.hypercube import protect_cube
from waitlist.metrics.measures import ALL, FLOW_PREFIX, MEASURE_SUMS

Key = tuple[str, str, str]  # (district, programme, measure)

FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("new_applications", ()),
    *MEASURE_SUMS,
    ("expired", ()),
    ("enrolled", ()),
)
PLACEMENTS = ("placed_in", "placed_out")


def flow_measures(districts: Sequence[str]) -> list[tuple[str, str]]:
    """(home, measure) of every cross-district flow cell."""
    return [(h, FLOW_PREFIX + g) for h in districts for g in districts if g != h]


def hidden_cells(fig: Figures, k: int) -> set[Key]:
    hidden: set[Key] = set()
    for whole, parts in FAMILIES:
        hidden |= family_hidden(fig, k, whole, parts)
    return hidden | _placement_hidden(fig, k)


def family_hidden(fig: Figures, k: int, whole: str, parts: tuple[str, ...]) -> set[Key]:
    """Hypercube suppression of one family of counts."""
    ds, ps = (*fig.districts, ALL), (*fig.programmes, ALL)
    measures = (*parts, whole) if parts else (whole,)
    array = np.array([[[fig.counts.get((d, p, m), 0) for m in measures] for p in ps] for d in ds])
    if not parts:
        array = array[:, :, 0]
    if min(array.shape) < 2:  # nothing to hide behind: hide every small count
        mask = (array > 0) & (array < k)
    else:
        # Parts carry the wait statistics: rather hide a whole than a part.
        weights = (None, None, [2.0] * len(parts) + [1.0]) if parts else None
        mask = protect_cube(array, k, (True,) * array.ndim, weights)
    return {
        (ds[i[0]], ps[i[1]], measures[i[2]] if parts else whole)
        for i in map(tuple, np.argwhere(mask))
    }


def _placement_hidden(fig: Figures, k: int) -> set[Key]:
    ds, ps = fig.districts, fig.programmes
    values: dict[Key, int] = {}
    for m in PLACEMENTS:
        for d in (*ds, ALL):
            for p in (*ps, ALL):
                values[d, p, m] = fig.counts.get((d, p, m), 0)
    for h, m in flow_measures(ds):
        values[h, ALL, m] = fig.counts.get((h, ALL, m), 0)
    rels = _placement_relations(ds, ps)
    return protect(values, rels, k, weight=weight)


def relations(fig: Figures) -> list[Relation]:
    """Every additive relation between the published counts of `fig` (for audits)."""
    ds, ps = fig.districts, fig.programmes
    rels: list[Relation] = []
    for whole, parts in FAMILIES:
        for d in (*ds, ALL):
            for p in (*ps, ALL):
                if parts:
                    rels.append(Relation((d, p, whole), tuple((d, p, x) for x in parts)))
        for m in (*parts, whole):
            for p in (*ps, ALL):
                rels.append(Relation((ALL, p, m), tuple((d, p, m) for d in ds)))
            for d in (*ds, ALL):
                rels.append(Relation((d, ALL, m), tuple((d, p, m) for p in ps)))
    return rels + _placement_relations(ds, ps)


def _placement_relations(ds: Sequence[str], ps: Sequence[str]) -> list[Relation]:
    rels: list[Relation] = []
    for m in PLACEMENTS:
        for p in (*ps, ALL):
            rels.append(Relation((ALL, p, m), tuple((d, p, m) for d in ds)))
        for d in (*ds, ALL):
            rels.append(Relation((d, ALL, m), tuple((d, p, m) for p in ps)))
    for h in ds:
        out = tuple((h, ALL, FLOW_PREFIX + g) for g in ds if g != h)
        rels.append(Relation((h, ALL, "placed_out"), out))
        into = tuple((g, ALL, FLOW_PREFIX + h) for g in ds if g != h)
        rels.append(Relation((h, ALL, "placed_in"), into))
    return rels


def weight(key: Key, value: int) -> float:
    """Hiding a total costs more than hiding a detail: totals are what people read first."""
    d, p, _ = key
    return 1 + value * (4 if d == ALL else 1) * (4 if p == ALL else 1)
