"""Placement round lifecycle: preview -> committed | discarded.

A round is one solver run over a snapshot. Its preview can be inspected; committing it makes
the offers. A preview is stale, and cannot be committed, when something its offers depend on
changed since it was computed (what that is: waitlist.services.rounds).
"""

from __future__ import annotations

from enum import StrEnum

from waitlist.domain.errors import IllegalTransition, StalePreview


class RoundStatus(StrEnum):
    PREVIEW = "preview"
    COMMITTED = "committed"
    DISCARDED = "discarded"


def check_round_transition(current: str, target: str) -> None:
    now, then = RoundStatus(current), RoundStatus(target)
    if now is not RoundStatus.PREVIEW or then is RoundStatus.PREVIEW:
        raise IllegalTransition(
            f"A {now.value} placement round cannot become {then.value}.", field="status"
        )


def check_fresh(preview_hash: str, current_hash: str) -> None:
    """Refuse to commit a preview computed over inputs that have changed since."""
    if preview_hash != current_hash:
        raise StalePreview(
            "The queues or groups changed after this preview was made; run the preview again.",
            field="inputs_hash",
        )


def check_unchanged(changes: list[str]) -> None:
    """Refuse to commit a preview when something its offers depend on changed since."""
    if changes:
        more = f" (and {len(changes) - 1} more)" if len(changes) > 1 else ""
        raise StalePreview(
            f"Since this preview, {changes[0]}{more}; run the preview again.",
            field="round",
        )
