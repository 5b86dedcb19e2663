"""How many examples the property tests try.

`make test` runs every property with its full budget. `make check` sets
WAITLIST_TEST_BUDGET=small: each property tries a tenth of its examples (at least five), enough
to catch a broken rule within the fast loop; the full search stays with `make test` and CI."""

from __future__ import annotations

import os

SMALL = os.environ.get("WAITLIST_TEST_BUDGET") == "small"


def examples(full: int) -> int:
    """The number of examples for a property whose full budget is `full`."""
    return max(5, full // 10) if SMALL else full
