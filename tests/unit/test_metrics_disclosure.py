"""Small-cell suppression: hand-made tables where the right answer can be seen."""

from __future__ import annotations

import numpy as np

from waitlist.metrics.disclosure import Relation, determined_cells, protect
from waitlist.metrics.hypercube import protect_cube


def with_margins(inner: list[list[int]]) -> np.ndarray:
    a = np.array(inner)
    a = np.vstack([a, a.sum(axis=0)])
    return np.hstack([a, a.sum(axis=1, keepdims=True)])


def line_relations(a: np.ndarray) -> list[Relation]:
    rows, cols = a.shape
    rels = [Relation((r, cols - 1), tuple((r, c) for c in range(cols - 1))) for r in range(rows)]
    rels += [Relation((rows - 1, c), tuple((r, c) for r in range(rows - 1))) for c in range(cols)]
    return rels


def test_a_table_of_large_counts_is_published_whole():
    a = with_margins([[10, 20], [30, 40]])
    assert not protect_cube(a, 5, (True, True)).any()


def test_zero_is_shown_because_it_describes_nobody():
    a = with_margins([[0, 20], [30, 40]])
    assert not protect_cube(a, 5, (True, True)).any()


def test_one_small_cell_takes_three_complements_forming_a_rectangle():
    a = with_margins([[3, 20, 9], [30, 40, 50], [6, 70, 80]])
    hidden = protect_cube(a, 5, (True, True))
    assert hidden[0, 0]
    assert hidden.sum() == 4
    rows, cols = np.nonzero(hidden)
    assert len(set(rows)) == 2 and len(set(cols)) == 2  # a rectangle
    # The cheapest by the sum of hidden values: 9 + 30 + 50 = 89 (6 + 9 + 80 = 95).
    assert hidden[0, 2] and hidden[1, 0] and hidden[1, 2]


def test_no_hidden_cell_can_be_solved_from_the_totals():
    a = with_margins([[3, 20, 9], [30, 1, 50], [6, 70, 2]])
    hidden = protect_cube(a, 5, (True, True))
    cells = {tuple(map(int, c)) for c in np.argwhere(hidden)}
    assert determined_cells(line_relations(a), cells) == set()


def test_two_small_cells_in_a_line_are_not_enough_when_their_sum_is_small():
    # Row 0: 1 + 2 hidden; the published total 23 would give away that they sum to 3.
    a = with_margins([[1, 2, 20], [30, 40, 50], [60, 70, 80]])
    hidden = protect_cube(a, 5, (True, True))
    assert a[0, :3][hidden[0, :3]].sum() >= 5 or hidden[0, 3]


def test_a_single_hidden_part_is_given_away_by_its_total_unless_complemented():
    values = {"t": 10, "a": 3, "b": 7}
    hidden = protect(values, [Relation("t", ("a", "b"))], 5)
    assert hidden == {"a", "b"}


def test_the_audit_finds_a_cell_pinned_down_by_two_relations_together():
    # x + y = 5 and x - y = 1 (as y + 1 = x): x and y are both determined.
    rels = [Relation("s", ("x", "y")), Relation("x", ("y", "one"))]
    assert determined_cells(rels, {"x", "y"}) == {"x", "y"}


def test_the_audit_finds_a_bridge_between_two_hidden_rectangles():
    # Two hidden rectangles joined by one cell: every line has two hidden cells, yet the
    # joining cell is determined. The generic method adds a complement until it is not.
    a = np.full((6, 6), 50)
    a[5, :] = a[:5, :].sum(axis=0)
    a[:, 5] = a[:, :5].sum(axis=1)
    rect1 = {(0, 0), (0, 1), (1, 0), (1, 1)}
    rect2 = {(2, 2), (2, 3), (3, 2), (3, 3)}
    bridge = {(1, 2)}
    hidden = rect1 | rect2 | bridge
    rels = line_relations(a)
    assert determined_cells(rels, hidden)
    values = {(r, c): int(a[r, c]) for r in range(6) for c in range(6)}
    frozen = {cell: cell in hidden for cell in values if cell[0] < 4 and cell[1] < 4}
    protected = protect(values, rels, 5, frozen=frozen)
    assert determined_cells(rels, protected) == set()
