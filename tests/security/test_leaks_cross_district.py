"""Cross-district probes: a coordinator acting on another district's application or offer
learns nothing of it. Every answer is byte for byte the 404 of an id that does not exist
(once the id in it is masked): not its status, opt-in, age fit, language or travel limit.

Against a real uvicorn server, SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest

from tests.support.api import (
    OTHER,
    City,
    application_body,
    login,
    served_city,
)
from waitlist.services import applications, offers

MISSING = 2_000_000_000  # an id that names nothing


@dataclass
class Probe:
    city: City
    client: httpx.Client
    staff: dict[str, str]  # the home district's coordinator
    apps: dict[str, int]  # other district's applications, by the fact a refusal could leak
    offer_elsewhere: int  # an offer of the other district to one of its own parents


def _apply(city: City, **extra: object) -> int:
    return applications.apply(city.uow(), application_body(OTHER, **extra)).application.id


def _other_districts_applications(city: City) -> tuple[dict[str, int], int]:
    this_year = date.today().year
    apps = {
        "would fit": _apply(city),
        "no opt-in": _apply(city, cross_district=False, max_travel_minutes=0),
        "beyond travel limit": _apply(city, max_travel_minutes=1),
        "child too young": _apply(city, child_birth=f"{this_year - 1}-01"),
        "other language": _apply(city, languages=["ar"]),
        "other slot": _apply(city, slots=["morning"]),
        "withdrawn": _apply(city),
        "erased": _apply(city),
        "offered at home": _apply(city),
        "enrolled at home": _apply(city),
    }
    applications.withdraw(city.uow(), apps["withdrawn"])
    applications.erase(city.uow(), apps["erased"])
    offer = offers.make_offer(city.uow(), apps["offered at home"], city.groups["other"])
    offers.accept_seat(
        city.uow(), apps["enrolled at home"], city.groups["other"], reason="Enrolled at the desk."
    )
    return apps, offer.id


@pytest.fixture(scope="module")
def probe(module_database_url: str) -> Iterator[Probe]:
    with served_city(module_database_url) as served:
        apps, offer_id = _other_districts_applications(served.city)
        staff = {"Authorization": f"Bearer {login(served.client, 'coord-home')}"}
        yield Probe(served.city, served.client, staff, apps, offer_id)


def _masked(response: httpx.Response, key: int) -> tuple[int, str]:
    """The answer with the probed id masked where it names the object (not in other ids)."""
    text = re.sub(rf"(application|offer) {key}\b", r"\1 <id>", response.text)
    return response.status_code, re.sub(rf"(applications|offers)/{key}\b", r"\1/<id>", text)


def _offer_seat(probe: Probe, app_id: int) -> httpx.Response:
    return probe.client.post(
        f"/api/v1/groups/{probe.city.groups['home']}/offers",
        json={"application_id": app_id, "reason": "Probing."},
        headers=probe.staff,
    )


def test_offering_another_districts_application_a_seat_answers_as_if_it_did_not_exist(
    probe: Probe,
) -> None:
    unknown = _masked(_offer_seat(probe, MISSING), MISSING)
    assert unknown[0] == 404
    told = {
        fact: _masked(_offer_seat(probe, app_id), app_id) for fact, app_id in probe.apps.items()
    }
    assert {fact: answer for fact, answer in told.items() if answer != unknown} == {}


def test_reading_another_districts_application_or_offer_answers_as_if_it_did_not_exist(
    probe: Probe,
) -> None:
    def get(path: str) -> httpx.Response:
        return probe.client.get(path, headers=probe.staff)

    unknown_app = _masked(get(f"/api/v1/applications/{MISSING}"), MISSING)
    assert unknown_app[0] == 404
    for fact, app_id in probe.apps.items():
        assert _masked(get(f"/api/v1/applications/{app_id}"), app_id) == unknown_app, fact
    offer = probe.offer_elsewhere
    for method, path in (("GET", "/api/v1/offers/{}"), ("POST", "/api/v1/offers/{}/revoke")):
        unknown = _masked(
            probe.client.request(method, path.format(MISSING), headers=probe.staff), MISSING
        )
        theirs = _masked(
            probe.client.request(method, path.format(offer), headers=probe.staff), offer
        )
        assert unknown[0] == 404
        assert theirs == unknown, path
