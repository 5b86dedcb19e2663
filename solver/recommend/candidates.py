"""Candidate groups generated from demand, for scenarios that list none.

A candidate is one possible group start: programme × host district × language × slot, starting
on the first suitable weekday at least LEAD_WEEKS after the scenario date (time to book a room and
recruit). One candidate is generated for each cluster of waiting parents (same programme,
language and slot) and each district within their reach that has a leader certified for the
programme and the language. Candidates that could serve fewer parents than the minimum size are
kept: the recommender does not open them but explains why ("only 4 parents within reach").

Rooms: in a district for which the scenario lists rooms, each such candidate is generated once
per room that can host it (id ending in the room id), on a weekday the room can be booked for
the slot and no larger than the room takes, so that a room hosts at most one of the district's
generated groups per weekday and slot. Districts without listed rooms get one candidate that
stands for an available room, as before.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from solver.recommend.data import RecommendOptions, can_lead, can_serve
from solver.types import CandidateGroup, Room, Scenario

LEAD_WEEKS = 4
_WEEKDAY_OF_SLOT = {"morning": "tue", "day": "tue", "evening": "tue", "weekend": "sat"}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKEND = ("sat", "sun")
_ALL_SLOTS = ("morning", "day", "evening", "weekend")


def first_weekday_on_or_after(day: date, weekday: str) -> date:
    return day + timedelta(days=(_WEEKDAYS.index(weekday) - day.weekday()) % 7)


def generate_candidates(
    scenario: Scenario, options: RecommendOptions | None = None
) -> tuple[CandidateGroup, ...]:
    options = options or RecommendOptions()
    earliest = scenario.as_of + timedelta(weeks=LEAD_WEEKS)
    apps = sorted(scenario.applications, key=lambda a: (a.queue_date, a.lottery, a.id))
    districts = sorted(d.slug for d in scenario.districts)
    rooms: dict[str, list[Room]] = {}
    for room in sorted(scenario.rooms, key=lambda r: r.id):
        rooms.setdefault(room.district, []).append(room)
    out: list[CandidateGroup] = []
    for prog in sorted(scenario.programmes, key=lambda p: p.slug):
        waiting = [a for a in apps if a.programme == prog.slug]
        if not waiting:
            continue
        languages = sorted({lang for a in waiting for lang in a.languages})
        if prog.languages:
            languages = [lang for lang in languages if lang in prog.languages]
        # A parent with no slot preference accepts any slot.
        slots = sorted({s for a in waiting for s in (a.slots or _ALL_SLOTS)})
        for lang in languages:
            for slot in slots:
                weekday = _WEEKDAY_OF_SLOT.get(slot, "tue")
                for host in districts:
                    cand = CandidateGroup(
                        id=f"gen-{prog.slug}-{host}-{lang}-{slot}",
                        programme=prog.slug,
                        district=host,
                        start=first_weekday_on_or_after(earliest, weekday),
                        weekday=weekday,
                        slot=slot,
                        language=lang,
                        capacity=prog.capacity,
                        min_size=prog.min_size,
                    )
                    reach = options.leader_reach_minutes
                    if not any(can_lead(ld, cand, scenario, reach) for ld in scenario.leaders):
                        continue
                    if not any(can_serve(a, cand, scenario, prog) for a in waiting):
                        continue
                    if host not in rooms:
                        out.append(cand)
                    for room in rooms.get(host, []):
                        if (in_room := fitted(cand, room, earliest)) is not None:
                            out.append(in_room)
    return tuple(out)


def fitted(cand: CandidateGroup, room: Room, earliest: date) -> CandidateGroup | None:
    """The candidate in `room`: on the first weekday the room can be booked for its slot (its
    usual weekday if the room allows it), as large as the room takes; None when the room
    cannot host it (not in that slot, or too small for the minimum size)."""
    weekday = cand.weekday
    if room.weekdays and weekday not in room.weekdays:
        usable = _WEEKEND if cand.slot == "weekend" else _WEEKDAYS[:5]
        weekday = next((d for d in usable if d in room.weekdays), "")
    capacity = min(cand.capacity, room.capacity or cand.capacity)
    if not weekday or room.refusal(weekday, cand.slot, max(1, cand.min_size)) is not None:
        return None
    return replace(
        cand,
        id=f"{cand.id}-{room.id}",
        room=room.id,
        weekday=weekday,
        start=first_weekday_on_or_after(earliest, weekday),
        capacity=capacity,
    )
