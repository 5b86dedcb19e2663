"""The write use cases check their caller inside their own transaction: a coordinator of
another district, or another parent, changes nothing, whichever way the call arrives."""

from __future__ import annotations

import pytest

from tests.support.api import HOME, OTHER, City, application_body, group_body
from tests.support.foundation import coordinator
from waitlist.domain.errors import Forbidden, NotFound
from waitlist.services import applications, groups, offers, rounds, views
from waitlist.services.access import Actor


def test_a_group_of_another_district_cannot_be_started_completed_or_cancelled(city: City) -> None:
    group_id = city.groups["home"]
    for change in (groups.start_group, groups.complete_group, groups.cancel_group):
        with pytest.raises(Forbidden):
            change(city.uow(), group_id, actor=coordinator(OTHER))
    assert views.get_group(city.uow(), group_id).status == "recruiting"  # untouched
    with pytest.raises(Forbidden):
        groups.create_group(city.uow(), group_body(HOME), actor=coordinator(OTHER))


def test_only_the_offers_parent_answers_it_and_only_its_district_revokes_it(city: City) -> None:
    mine = applications.apply(city.uow(), application_body()).application.id
    other = applications.apply(city.uow(), application_body()).application.id
    offer = offers.make_offer(city.uow(), mine, city.groups["home"])
    parent_of_other = Actor(kind="parent", application_id=other)
    with pytest.raises(NotFound):
        offers.accept_offer(city.uow(), offer.id, actor=parent_of_other)
    with pytest.raises(NotFound):
        offers.decline_offer(city.uow(), offer.id, actor=parent_of_other)
    with pytest.raises(NotFound):
        offers.revoke_offer(city.uow(), offer.id, actor=coordinator(OTHER))
    accepted = offers.accept_offer(
        city.uow(), offer.id, actor=Actor(kind="parent", application_id=mine)
    )
    assert accepted.status == "accepted"


def test_a_round_of_another_district_cannot_be_committed_or_discarded(city: City) -> None:
    applications.apply(city.uow(), application_body())
    preview = rounds.preview_round(city.uow(), district=HOME)
    for decide in (rounds.commit_round, rounds.discard_round):
        with pytest.raises(NotFound):
            decide(city.uow(), preview.id, actor=coordinator(OTHER))
    assert views.get_round(city.uow(), coordinator(HOME), preview.id).status == ("preview")
    assert rounds.commit_round(city.uow(), preview.id, actor=coordinator(HOME)).status == (
        "committed"
    )
