"""Turning raw input into validated commands, with domain errors that name the field."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from waitlist.domain.errors import InvalidInput

M = TypeVar("M", bound=BaseModel)


def parse(model: type[M], data: dict[str, Any] | M) -> M:
    """Validate `data` as `model`; the first problem becomes an InvalidInput naming the field."""
    if isinstance(data, model):
        parsed = data
    else:
        check_kinds(model, data)
        try:
            parsed = model.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first.get("loc", ())) or None
            message = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
            if field and not message.startswith(field):
                message = f"{field}: {message}"
            raise InvalidInput(message, field=field) from None
    for name in type(parsed).model_fields:
        check_text(getattr(parsed, name), name)
    return parsed


def apply_changes(row: Any, changes: dict[str, Any], *, may_be_empty: tuple[str, ...] = ()) -> None:
    """Set each given field on `row`; a field sent as null is refused unless it may be empty."""
    for name, value in changes.items():
        if value is None and name not in may_be_empty:
            raise InvalidInput(f"{name} cannot be empty.", field=name)
        setattr(row, name, value)


def _kind(annotation: Any) -> type | None:
    """`int` or `bool` for a field annotated with it (optionally `| None`), else None."""
    for kind in (bool, int):
        if annotation in (kind, kind | None):
            return kind
    return None


def check_kinds(model: type[BaseModel], data: object) -> None:
    """Numbers are numbers and yes/no is yes/no: `true` is not 1 and 1 is not `true`
    (pydantic's lax mode would take either for the other)."""
    for name, info in model.model_fields.items():
        value = data.get(name) if isinstance(data, dict) else None
        kind = _kind(info.annotation)
        if value is None or kind is None:
            continue
        if kind is int and isinstance(value, bool):
            raise InvalidInput(f"{name} must be a whole number, got {value!r}", field=name)
        if kind is bool and not isinstance(value, bool):
            raise InvalidInput(f"{name} must be true or false, got {value!r}", field=name)


def has_control(text: str) -> bool:
    """True if `text` holds a control character (NUL, escape, line breaks, ...)."""
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def check_text(value: Any, field: str) -> None:
    """No control character in any text of `value` (a string, or a list or dict of them):
    PostgreSQL refuses NUL outright, and a line break in a contact could forge a header."""
    if isinstance(value, str):
        if has_control(value):
            raise InvalidInput(f"{field} must not contain control characters.", field=field)
    elif isinstance(value, list | tuple):
        for item in value:
            check_text(item, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, field)
            check_text(item, field)


def parse_date(value: str | date, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InvalidInput(
            f"{field} must be a date like 2026-03-02, got {value!r}", field=field
        ) from None
