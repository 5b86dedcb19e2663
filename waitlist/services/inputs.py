"""Turning raw input into validated commands, with domain errors that name the field."""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from waitlist.domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: dict[str, Any] | M) -> M:
    """Validate `data` as `model`; the first problem becomes an InvalidInput naming the field."""
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
        if field and not message.startswith(field):
            message = f"{field}: {message}"
        raise InvalidInput(message, field=field) from None


def parse_date(value: str | date, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{field} must be a date like 2026-03-02, got {value!r}", field=field
        ) from None
