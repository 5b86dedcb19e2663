"""The days groups do not meet: Swedish public holidays from waitlist/data/holidays_se.json
(its `source` says where they come from)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

PATH = Path(__file__).resolve().parent / "data" / "holidays_se.json"


@cache
def holidays() -> frozenset[date]:
    data = json.loads(PATH.read_text(encoding="utf-8"))
    return frozenset(date.fromisoformat(h["date"]) for h in data["holidays"])
