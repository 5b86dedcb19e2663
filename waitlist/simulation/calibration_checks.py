"""Checks of calibration values: each failure names the JSON path of the value at fault."""

from __future__ import annotations

from typing import Any

from waitlist.domain.errors import InvalidInput


def field_of(obj: dict[str, Any], key: str, kind: type | tuple[type, ...], path: str = "") -> Any:
    where = f"{path}.{key}" if path else key
    if not isinstance(obj, dict):
        raise InvalidInput(f"{path or 'calibration'}: must be an object", field=path or None)
    if key not in obj:
        raise InvalidInput(f"{where}: missing", field=where)
    value = obj[key]
    if kind in (int, float) or kind == (int, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, kind)
    if not ok:
        raise InvalidInput(f"{where}: wrong type {type(value).__name__}", field=where)
    return value


def share(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInput(f"{where}: must be a share between 0 and 1, got {value!r}", field=where)
    return float(value)


def number(value: Any, where: str, *, allow_zero: bool = True) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(f"{where}: must be a number, got {value!r}", field=where)
    if value < 0 or (value == 0 and not allow_zero):
        raise InvalidInput(
            f"{where}: must be {'≥' if allow_zero else '>'} 0, got {value!r}", field=where
        )
    return float(value)


def weights(obj: Any, where: str, allowed: set[str] | None = None) -> dict[str, float]:
    if not isinstance(obj, dict) or not obj:
        raise InvalidInput(f"{where}: must be a non-empty object of weights", field=where)
    out: dict[str, float] = {}
    for key, value in obj.items():
        if allowed is not None and key not in allowed:
            raise InvalidInput(f"{where}.{key}: unknown name", field=f"{where}.{key}")
        out[key] = number(value, f"{where}.{key}")
    if sum(out.values()) <= 0:
        raise InvalidInput(f"{where}: weights must not all be zero", field=where)
    return out


def per_district(obj: Any, where: str, districts: set[str], parse: Any) -> dict[str, Any]:
    if not isinstance(obj, dict) or "default" not in obj:
        raise InvalidInput(f"{where}: must be an object with a 'default' entry", field=where)
    out = {}
    for key, value in obj.items():
        if key != "default" and key not in districts:
            raise InvalidInput(f"{where}.{key}: unknown district", field=f"{where}.{key}")
        out[key] = parse(value, f"{where}.{key}")
    return out
