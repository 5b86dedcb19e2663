"""Parent behaviour drawn from per-application random streams, independent of the policy.

The k-th offer an application receives always uses the k-th draw of that application's own
stream, and patience is drawn once, so two policies that make the same offer to the same
parent see the same answer (common random numbers): differences between policies come from
the policies, not from luck.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from waitlist.simulation.calibration import Calibration


@dataclass(frozen=True)
class Response:
    """How a parent answers one offer: accepted/declined after `days`, or no answer at all."""

    answer: str  # "accepted" | "declined" | "none"
    days: int


class ParentBehaviour:
    def __init__(self, cal: Calibration, seed: int) -> None:
        self._cal = cal
        self._seed = seed
        self._draws: dict[str, list[tuple[float, float, float]]] = {}
        self._streams: dict[str, random.Random] = {}

    def _stream(self, app_id: str) -> random.Random:
        stream = self._streams.get(app_id)
        if stream is None:
            stream = random.Random(f"{self._seed}/behaviour/{app_id}")
            self._streams[app_id] = stream
        return stream

    def patience_weeks(self, app_id: str) -> float:
        """Weeks a parent keeps waiting before withdrawing (exponential, seeded per parent)."""
        u = random.Random(f"{self._seed}/patience/{app_id}").random()
        return -math.log(1.0 - u) * self._cal.patience_weeks_mean

    def says_yes_to_prompt(self, app_id: str) -> bool:
        """Whether a parent who did not opt in accepts seats nearby when asked again (drawn
        once per parent from its own stream, so the answer never depends on the policy)."""
        u = random.Random(f"{self._seed}/prompt/{app_id}").random()
        return u < self._cal.prompt_yes_share

    def response(self, app_id: str, offer_number: int, *, cross_district: bool) -> Response:
        """The answer to the offer_number-th offer (0-based) this application receives."""
        draws = self._draws.setdefault(app_id, [])
        stream = self._stream(app_id)
        while len(draws) <= offer_number:
            draws.append((stream.random(), stream.random(), stream.random()))
        u_silent, u_accept, u_days = draws[offer_number]
        days = 1 + int(u_days * self._cal.response_days_max)
        if u_silent < self._cal.no_response_share:
            return Response("none", days)
        p = self._cal.accept_out_of_district if cross_district else self._cal.accept_in_district
        return Response("accepted" if u_accept < p else "declined", days)
