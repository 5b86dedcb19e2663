"""Swedish alphabetical order for names (districts, programmes), as a Swedish reader
expects it: a-z, then å, ä, ö; accents other than those three sort with their base letter
(é as e, ü as y), w with v is not merged (the Swedish Academy's rule since 2006); case and
punctuation only break ties."""

from __future__ import annotations

import unicodedata

_AFTER_Z = {"å": "z\u0001", "ä": "z\u0002", "ö": "z\u0003", "æ": "z\u0002", "ø": "z\u0003"}
_AS = {"ü": "y"}


def _letter(ch: str) -> str:
    if ch in _AFTER_Z:
        return _AFTER_Z[ch]
    if ch in _AS:
        return _AS[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isalnum() else ""


def swedish_key(name: str) -> tuple[str, str]:
    """Sort key: letters and digits in the Swedish alphabet first, the name itself as the
    tie-break (so the order is total and stable)."""
    folded = name.casefold()
    return "".join(_letter(ch) for ch in folded), name
