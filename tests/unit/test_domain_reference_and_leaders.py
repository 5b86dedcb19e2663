"""Programme and leader values refuse impossible data."""

from __future__ import annotations

import pytest

from waitlist.domain.errors import Conflict, InvalidInput
from waitlist.domain.leader import GroupLeader, check_leader_free
from waitlist.domain.reference import Programme
from waitlist.domain.values import ProgrammeKind
from waitlist.reference import load_reference


def _programme(**kw):
    data = {
        "slug": "komet",
        "name": "Komet",
        "kind": ProgrammeKind.PARENT_GROUP,
        "child_age_min": 3,
        "child_age_max": 11,
        "capacity": 12,
        "min_size": 6,
        "languages": ("sv",),
    }
    data.update(kw)
    return Programme(**data)


def test_a_programme_with_its_age_range_upside_down_is_refused():
    with pytest.raises(InvalidInput) as info:
        _programme(child_age_min=12, child_age_max=3)
    assert info.value.field == "child_age_min"


def test_a_programme_with_negative_capacity_is_refused():
    with pytest.raises(InvalidInput) as info:
        _programme(capacity=-1)
    assert info.value.field == "capacity"


def test_a_leader_leads_only_certified_programmes_in_their_languages():
    leader = GroupLeader(None, "l1", "farsta", ("komet",), ("sv", "ar"), 2)
    assert leader.can_lead("komet", "ar")
    assert not leader.can_lead("abc", "sv")
    assert not leader.can_lead("komet", "so")


def test_a_leader_needs_at_least_one_group_at_a_time():
    with pytest.raises(InvalidInput) as info:
        GroupLeader(None, "l1", "farsta", ("komet",), ("sv",), 0)
    assert info.value.field == "max_groups"


def test_a_busy_leader_is_refused():
    check_leader_free(1, 2)
    with pytest.raises(Conflict):
        check_leader_free(2, 2)


def test_the_reference_data_has_fourteen_districts_with_symmetric_travel():
    ref = load_reference()
    slugs = ref.district_slugs()
    assert len(slugs) == 14
    for a in slugs:
        assert ref.travel_minutes[a][a] == 0
        for b in slugs:
            assert ref.travel_minutes[a][b] == ref.travel_minutes[b][a]
    assert ref.programme("komet") is not None
    assert "sv" in ref.language_codes()
