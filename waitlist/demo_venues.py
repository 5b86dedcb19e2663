# ruff: noqa: E501  (a table of places: one per line reads best)
"""Where the demo city's groups meet: rooms in each district's family centre, library or
community hall (made-up rooms at the kind of places groups meet; not checked against the city's
premises), the districts' contacts (numbers in the range set aside for fiction, addresses under
the reserved .example domain) and leaders' first names."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from waitlist.domain.leader import iso_week

# district -> (place, street address, how to get there)
PLACES: dict[str, list[tuple[str, str, str]]] = {
    "rinkeby-kista": [
        ("Familjecentralen Rinkeby", "Rinkebystråket 10, 163 73 Spånga", "T-bana Rinkeby, 3 min"),
        ("Kista bibliotek", "Kista Galleria, Danmarksgatan 2, 164 53 Kista", "T-bana Kista, 2 min"),
    ],
    "spanga-tensta": [
        ("Tensta träff", "Tenstagången 12, 163 64 Spånga", "T-bana Tensta, 4 min"),
        ("Spånga medborgarhus", "Spånga torg 8, 163 71 Spånga", "Pendeltåg Spånga, 5 min"),
    ],
    "hasselby-vallingby": [
        (
            "Familjecentralen Vällingby",
            "Kirunagatan 5, 162 68 Vällingby",
            "T-bana Vällingby, 3 min",
        ),
        ("Hässelby gårds bibliotek", "Hässelby torg 11, 165 55 Hässelby", "T-bana Hässelby gård"),
    ],
    "bromma": [
        ("Brommaplans familjecentral", "Brommaplan 410, 168 76 Bromma", "T-bana Brommaplan, 2 min"),
        ("Åkeshovs träffpunkt", "Åkeshovsvägen 31, 168 39 Bromma", "T-bana Åkeshov, 5 min"),
    ],
    "kungsholmen": [
        (
            "Fridhemsplans familjecentral",
            "Fleminggatan 100, 112 45 Stockholm",
            "T-bana Fridhemsplan",
        ),
        (
            "Kungsholmens medborgarhus",
            "Hantverkargatan 30, 112 21 Stockholm",
            "Buss 3 Kungsbroplan",
        ),
    ],
    "norrmalm": [
        (
            "Vasastans familjecentral",
            "Sankt Eriksgatan 92, 113 62 Stockholm",
            "T-bana S:t Eriksplan",
        ),
        ("Norrmalms träffpunkt", "Tegnérgatan 22, 111 40 Stockholm", "T-bana Rådmansgatan, 3 min"),
    ],
    "ostermalm": [
        ("Östermalms familjecentral", "Karlavägen 75, 114 49 Stockholm", "T-bana Karlaplan, 4 min"),
        ("Gärdets träffpunkt", "Lindarängsvägen 8, 115 42 Stockholm", "T-bana Gärdet, 6 min"),
    ],
    "sodermalm": [
        ("Skanstulls familjecentral", "Ringvägen 100, 118 60 Stockholm", "T-bana Skanstull, 3 min"),
        (
            "Medborgarhuset Södermalm",
            "Medborgarplatsen 5, 118 26 Stockholm",
            "T-bana Medborgarplatsen",
        ),
    ],
    "enskede-arsta-vantor": [
        ("Årsta familjecentral", "Årsta torg 6, 120 54 Årsta", "Tvärbanan Årstaberg, buss 164"),
        ("Högdalens medborgarhus", "Harpsundsvägen 9, 124 54 Bandhagen", "T-bana Högdalen, 2 min"),
    ],
    "skarpnack": [
        (
            "Skarpnäcks familjecentral",
            "Skarpnäcks allé 14, 128 33 Skarpnäck",
            "T-bana Skarpnäck, 3 min",
        ),
        ("Bagarmossens träffpunkt", "Lagaplan 4, 128 41 Bagarmossen", "T-bana Bagarmossen, 2 min"),
    ],
    "farsta": [
        ("Familjecentralen Farsta", "Farsta torg 3, 123 47 Farsta", "T-bana Farsta centrum, 4 min"),
        ("Hökarängens träffpunkt", "Lingvägen 97, 123 57 Farsta", "T-bana Hökarängen, 2 min"),
    ],
    "alvsjo": [
        ("Älvsjö familjecentral", "Götalandsvägen 218, 125 44 Älvsjö", "Pendeltåg Älvsjö, 5 min"),
        ("Solbergaskolans aula", "Örnbergsvägen 30, 125 56 Älvsjö", "Buss 144 Solberga"),
    ],
    "hagersten-liljeholmen": [
        (
            "Liljeholmens familjecentral",
            "Liljeholmstorget 7, 117 63 Stockholm",
            "T-bana Liljeholmen",
        ),
        ("Fruängens träffpunkt", "Fruängsgången 3, 129 52 Hägersten", "T-bana Fruängen, 2 min"),
    ],
    "skarholmen": [
        (
            "Skärholmens familjecentral",
            "Skärholmstorget 12, 127 48 Skärholmen",
            "T-bana Skärholmen",
        ),
        ("Bredängs träffpunkt", "Bredängstorget 4, 127 31 Skärholmen", "T-bana Bredäng, 3 min"),
    ],
}

ROOMS = ("sal 1", "sal 2")
# The second room of each place is smaller and not open at weekends (waitlist.domain.room).
ROOM_LIMITS: dict[str, dict[str, Any]] = {
    "sal 2": {"capacity": 10, "slots": ["morning", "day", "evening"]},
}


def weeks_away(n: int, as_of: date) -> list[str]:
    """Every third leader of a district is away two weeks, from five weeks after the demo day
    (when the groups the recommender proposes are meeting)."""
    if n % 3 != 2:
        return []
    return [iso_week(as_of + timedelta(weeks=w)) for w in (5, 6)]


ACCESSIBILITY = (
    "Entré utan trappsteg, hiss, hörslinga och tillgänglig toalett.",
    "Entré med ramp, hiss till lokalen, tillgänglig toalett. Barnvagnsparkering.",
    "Entré i gatuplan utan trappsteg, tillgänglig toalett. Ingen hörslinga.",
)


def contact(district: str, number: int) -> tuple[str, str]:
    """Phone (08-465 004 00..99: numbers set aside for fiction) and e-mail of a district."""
    return f"08-465 004 {number:02d}", f"foraldrastod.{district}@stockholm.example"


LEADER_FIRST_NAMES = (
    "Anna", "Maria", "Sara", "Fatima", "Johan", "Elin", "Amira", "Karin", "Ahmed", "Lena",
    "Sofia", "Erik", "Leyla", "Hanna", "Mohammed", "Eva", "Yasmin", "Peter", "Nadia", "Lisa",
)  # fmt: skip
