"""Demand and supply profiles of the demo city (estimates, not statistics).

The city reports describe the pattern, not the figures: waiting times differ strongly between
districts (some have long queues), while many districts cannot recruit enough participants to
start their groups. The demo encodes that pattern with three profiles:

- `long_queue`: demand well above the groups run (Rinkeby-Kista, Spånga-Tensta, Skärholmen,
  Farsta, Enskede-Årsta-Vantör, Hässelby-Vällingby);
- `cannot_fill`: few applicants for the groups planned, so groups miss their minimum size
  (Östermalm, Norrmalm, Kungsholmen, Älvsjö, Bromma);
- `balanced`: the rest.

Demand scales with each district's estimated number of children (reference data).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Profile:
    demand: float  # applications relative to the city average per child
    supply: float  # groups run relative to what the average demand would need


PROFILES = {
    "long_queue": Profile(demand=1.5, supply=0.55),
    "balanced": Profile(demand=1.0, supply=1.0),
    "cannot_fill": Profile(demand=0.45, supply=1.15),
}

DISTRICT_PROFILE = {
    "rinkeby-kista": "long_queue",
    "spanga-tensta": "long_queue",
    "skarholmen": "long_queue",
    "farsta": "long_queue",
    "enskede-arsta-vantor": "long_queue",
    "hasselby-vallingby": "long_queue",
    "ostermalm": "cannot_fill",
    "norrmalm": "cannot_fill",
    "kungsholmen": "cannot_fill",
    "alvsjo": "cannot_fill",
    "bromma": "cannot_fill",
    "sodermalm": "balanced",
    "hagersten-liljeholmen": "balanced",
    "skarpnack": "balanced",
}

# Parents' first language by district (the rest speak Swedish first).
LANGUAGE_MIX = {
    "rinkeby-kista": {"sv": 0.35, "ar": 0.22, "so": 0.25, "ti": 0.08, "fa": 0.05, "en": 0.05},
    "spanga-tensta": {"sv": 0.4, "ar": 0.22, "so": 0.2, "ti": 0.06, "fa": 0.07, "en": 0.05},
    "skarholmen": {"sv": 0.5, "ar": 0.2, "so": 0.1, "fa": 0.1, "en": 0.1},
    "farsta": {"sv": 0.65, "ar": 0.12, "so": 0.08, "fa": 0.05, "en": 0.1},
    "hasselby-vallingby": {"sv": 0.7, "ar": 0.1, "so": 0.05, "en": 0.15},
    "enskede-arsta-vantor": {"sv": 0.7, "ar": 0.1, "so": 0.05, "en": 0.15},
}
DEFAULT_MIX = {"sv": 0.82, "en": 0.15, "ar": 0.03}

# Share of applications per programme, and how often parents ask for it (per 1 000 children
# a year, city average).
PROGRAMME_SHARE = {
    "komet": 0.24,
    "rad-och-stodsamtal": 0.2,
    "abc": 0.1,
    "icdp": 0.08,
    "ungdomskomet": 0.08,
    "connect": 0.07,
    "familjeverkstan": 0.05,
    "active-parenting": 0.05,
    "skilda-varldar": 0.06,
    "stodgrupp-missbruk-psykisk-ohalsa": 0.04,
    "trappan": 0.03,
}
APPLICATIONS_PER_1000_CHILDREN = 12.0

SLOT_WEIGHTS = {"evening": 0.55, "day": 0.3, "morning": 0.1, "weekend": 0.05}
GROUP_SLOT_WEIGHTS = {"evening": 0.6, "day": 0.33, "morning": 0.05, "weekend": 0.02}
WEEKDAYS_FOR_SLOT = {
    "evening": ["mon", "tue", "wed", "thu"],
    "day": ["mon", "tue", "wed", "thu", "fri"],
    "morning": ["tue", "wed", "thu", "fri"],
    "weekend": ["sat", "sun"],
}

# Parents' answers to an offer in their own district, and to one in another district (more
# declines: the seat is further away, even if within the travel limit the parent gave).
ANSWER_WEIGHTS = {"accept": 0.74, "decline": 0.14, "silence": 0.12}
CROSS_ANSWER_WEIGHTS = {"accept": 0.62, "decline": 0.26, "silence": 0.12}
DECLINE_REASONS = {"time": 0.45, "language": 0.1, "distance": 0.15, "other": 0.3}
CROSS_DECLINE_REASONS = {"time": 0.3, "language": 0.05, "distance": 0.45, "other": 0.2}

DEMO_PASSWORD = "demo-password"
"""Password of every demo staff account (coordinator-<district>, management)."""
