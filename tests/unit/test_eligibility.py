from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waitlist.domain.eligibility import child_age_on, ineligibility, why_not
from waitlist.domain.errors import InvalidInput


def check(**overrides):
    base = {
        "child_birth": "2019-05",
        "languages": ["sv", "ar"],
        "slots": ["evening"],
        "start": date(2026, 3, 16),
        "language": "sv",
        "slot": "evening",
        "age_min": 3,
        "age_max": 11,
    }
    base.update(overrides)
    return ineligibility(**base)


def test_a_child_turns_a_year_older_on_the_first_of_the_birth_month():
    assert child_age_on("2019-05", date(2026, 4, 30)) == 6
    assert child_age_on("2019-05", date(2026, 5, 1)) == 7


def test_a_child_inside_the_age_range_in_a_shared_language_and_slot_is_eligible():
    assert check() is None


def test_a_child_too_old_at_group_start_is_not_eligible():
    assert check(child_birth="2010-01") == "age"


def test_a_child_too_young_at_group_start_is_not_eligible():
    assert check(child_birth="2024-01") == "age"


def test_a_group_in_a_language_the_parent_does_not_speak_is_not_eligible():
    assert check(language="so") == "language"


def test_a_group_in_a_slot_the_parent_did_not_choose_is_not_eligible():
    assert check(slot="morning") == "slot"


def test_no_slot_preference_accepts_every_slot():
    assert check(slots=[], slot="weekend") is None


@pytest.mark.parametrize("bad", ["2019", "2019-13", "19-05", "", "2019-5", "abcd-ef"])
def test_a_malformed_birth_month_is_rejected_naming_the_field(bad):
    with pytest.raises(InvalidInput) as err:
        child_age_on(bad, date(2026, 1, 1))
    assert err.value.field == "child_birth"


@given(
    year=st.integers(2000, 2025),
    month=st.integers(1, 12),
    start=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
)
def test_age_grows_by_exactly_one_year_per_year(year, month, start):
    birth = f"{year}-{month:02d}"
    later = date(start.year + 1, start.month, min(start.day, 28))
    same_year = date(start.year, start.month, min(start.day, 28))
    assert child_age_on(birth, later) == child_age_on(birth, same_year) + 1


@given(
    birth=st.sampled_from(["2010-01", "2019-05", "2024-01"]),
    languages=st.lists(st.sampled_from(["sv", "ar", "so"]), max_size=2),
    slots=st.lists(st.sampled_from(["day", "evening"]), max_size=2),
    language=st.sampled_from(["sv", "ar"]),
    slot=st.sampled_from(["day", "evening"]),
)
def test_asking_with_the_application_and_group_gives_the_same_answer(
    birth, languages, slots, language, slot
):
    app = SimpleNamespace(child_birth=birth, languages=languages, slots=slots)
    group = SimpleNamespace(start=date(2026, 3, 16), language=language, slot=slot)
    ages = SimpleNamespace(child_age_min=3, child_age_max=11)
    expected = check(
        child_birth=birth, languages=languages, slots=slots, language=language, slot=slot
    )
    assert why_not(app, group, ages) == expected


def test_an_application_whose_birth_month_was_erased_fits_no_group():
    app = SimpleNamespace(child_birth=None, languages=["sv"], slots=[])
    group = SimpleNamespace(start=date(2026, 3, 16), language="sv", slot="evening")
    assert why_not(app, group, SimpleNamespace(child_age_min=0, child_age_max=17)) == "age"
