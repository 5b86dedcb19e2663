"""What people type in a spreadsheet, read as an application's values (pure: no I/O).

Dates as YYYY-MM-DD or a real date cell; a child's birth as YYYY-MM (a date cell too: its
year and month); lists separated by commas or semicolons; yes/no as ja/nej, yes/no,
true/false or 1/0. Each reader raises InvalidInput naming the column.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from waitlist.domain.errors import InvalidInput

COLUMNS = (
    "external_id",
    "programme",
    "queue_date",
    "child_birth",
    "languages",
    "slots",
    "cross_district",
    "max_travel_minutes",
    "contact",
)
_YES = {"ja", "yes", "true", "1", "j", "y"}
_NO = {"nej", "no", "false", "0", "n", ""}


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def a_date(value: Any, column: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = text(value)
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(f"not a date like 2025-03-17: {raw!r}", field=column) from None


def year_month(value: Any, column: str) -> str:
    if isinstance(value, date | datetime):
        return f"{value.year:04d}-{value.month:02d}"
    raw = text(value)
    if not re.fullmatch(r"\d{4}-\d{2}", raw):
        raise InvalidInput(f"not a year and month like 2021-04: {raw!r}", field=column)
    return raw


def a_list(value: Any) -> list[str]:
    return [part.strip().lower() for part in re.split(r"[,;]", text(value)) if part.strip()]


def yes_no(value: Any, column: str) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).lower()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise InvalidInput(f"not yes or no (ja/nej, yes/no, true/false, 1/0): {raw!r}", field=column)


def whole_number(value: Any, column: str) -> int:
    raw = text(value)
    if raw == "":
        return 0
    if not re.fullmatch(r"\d{1,4}", raw):
        raise InvalidInput(f"not a whole number of minutes: {raw!r}", field=column)
    return int(raw)


def application_values(row: dict[str, Any]) -> dict[str, Any]:
    """One row's values as an application command's (the rules are checked by applying)."""
    external_id = text(row.get("external_id"))
    if not external_id:
        raise InvalidInput("missing: every row needs its own external_id", field="external_id")
    if len(external_id) > 64:
        raise InvalidInput("longer than 64 characters", field="external_id")
    cross = yes_no(row.get("cross_district"), "cross_district")
    return {
        "programme": text(row.get("programme")).lower(),
        "queue_date": a_date(row.get("queue_date"), "queue_date"),
        "child_birth": year_month(row.get("child_birth"), "child_birth"),
        "languages": a_list(row.get("languages")),
        "slots": a_list(row.get("slots")),
        "cross_district": cross,
        "max_travel_minutes": whole_number(row.get("max_travel_minutes"), "max_travel_minutes")
        if cross
        else 0,
        "contact": text(row.get("contact")) or None,
    }
