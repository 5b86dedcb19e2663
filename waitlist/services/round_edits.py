"""Taking one proposed offer out of a placement round's preview.

The coordinator knows something the data does not (the parent asked to wait, a family
situation): they remove the offer, and the round is solved again without that parent, so the
seat may go to someone else. The old preview is discarded and the new one remembers every
parent left out, which the page explains ("N removed by you"). Nothing about the parent
changes: they keep their queue date and lottery number, and the next round serves them.
"""

from __future__ import annotations

from waitlist.domain.errors import NotFound
from waitlist.domain.round import RoundStatus, check_round_transition
from waitlist.services import access, lookups, rounds
from waitlist.services.access import Actor
from waitlist.services.scenario_export import application_ref
from waitlist.storage.tables import PlacementRound, PlacementRoundPublic
from waitlist.storage.uow import UnitOfWork


def left_out(preview: PlacementRoundPublic) -> list[int]:
    """The applications the coordinator took out of this preview."""
    return [int(a) for a in (preview.result or {}).get(rounds.LEFT_OUT_KEY, [])]


def drop_offer(
    uow: UnitOfWork, actor: Actor, round_id: int, application_id: int
) -> PlacementRoundPublic:
    """A new preview of the same round without `application_id`'s proposed offer."""
    with uow:
        row = access.check_round(actor, lookups.by_id(uow, PlacementRound, round_id), round_id)
        check_round_transition(row.status, RoundStatus.DISCARDED.value)
        if application_id not in {o.application for o in rounds.proposed(row)}:
            raise NotFound(
                f"Preview {round_id} proposes no offer to application {application_id}.",
                field="application",
            )
        result = row.result or {}
        dropped = {int(a) for a in result.get(rounds.LEFT_OUT_KEY, [])} | {application_id}
        row.status = RoundStatus.DISCARDED.value
        uow.session.add(row)
        uow.record(
            "placement_round",
            row.id,
            "round_offer_removed",
            after={"application": application_ref(application_id)},
            district=row.district,
        )
        again = rounds.preview_round(
            uow,
            as_of=row.as_of,
            district=row.district,
            group=result.get("group"),
            left_out=dropped,
        )
        uow.commit()
        return again
