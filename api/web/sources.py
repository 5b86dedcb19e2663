"""Where the pages read the catalogue and live data from: the service layer."""

from __future__ import annotations

import json
from functools import lru_cache
from types import SimpleNamespace

from api.web.catalogue import DATA


@lru_cache(maxsize=1)
def _catalogue() -> list[SimpleNamespace]:
    data = json.loads((DATA / "stockholm.json").read_text(encoding="utf-8"))
    return [SimpleNamespace(**p) for p in data["programmes"]]


def programmes_with_slots() -> tuple[list, dict[str, list[str]]]:
    """The programme catalogue and, per programme, the time slots its open groups run in."""
    return _catalogue(), {}
