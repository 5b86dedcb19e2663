"""Parents are served in six languages: Swedish, English, Arabic, Persian, Somali and Tigrinya.
Their pages, notices and calendar files come from the same catalogues; Arabic and Persian are
written right to left; staff pages stay Swedish and English; a new language is one command
plus a catalogue, marked for a native speaker's review until one has read it."""

from __future__ import annotations

from datetime import date

import pytest
from babel.messages.pofile import read_po
from icalendar import Calendar
from starlette.requests import Request

from api.web import i18n, messages
from waitlist.services.calendar_file import meetings_ics
from waitlist.services.notice_texts import compose
from waitlist.services.where_when import Place, WhereAndWhen

NEW = ("ar", "fa", "so", "ti")


def _request(path: str, query: str = "", cookie: str = "") -> Request:
    headers = [(b"cookie", f"lang={cookie}".encode())] if cookie else []
    scope = {"type": "http", "path": path, "query_string": query.encode(), "headers": headers}
    return Request(scope)


def test_the_picker_names_each_language_in_itself_and_knows_its_direction():
    assert i18n.LANGUAGES == ("sv", "en", "ar", "fa", "so", "ti")
    names = [i18n.LANGUAGE_NAMES[code] for code in i18n.LANGUAGES]
    assert names == ["Svenska", "English", "العربية", "فارسی", "Soomaali", "ትግርኛ"]
    assert [i18n.direction(code) for code in i18n.LANGUAGES] == ["ltr"] * 2 + ["rtl"] * 2 + [
        "ltr"
    ] * 2


def test_parents_pages_take_any_language_and_staff_pages_only_swedish_and_english():
    assert i18n.language_of(_request("/apply/komet", "lang=ti")) == "ti"
    assert i18n.language_of(_request("/status/abc", cookie="fa")) == "fa"
    assert i18n.language_of(_request("/coordinator", "lang=ar")) == "sv"
    assert i18n.language_of(_request("/management", cookie="so")) == "sv"
    assert i18n.language_of(_request("/coordinator", "lang=en")) == "en"
    assert i18n.language_of(_request("/", "lang=xx")) == "sv"


@pytest.mark.parametrize("lang", NEW)
def test_every_notice_reads_in_the_parents_language_and_direction(lang):
    sv = compose("offer_made", {"respond_by": "2027-03-16"}, "sv", link="https://x/status/t")
    notice = compose("offer_made", {"respond_by": "2027-03-16"}, lang, link="https://x/status/t")
    english = compose("offer_made", {"respond_by": "2027-03-16"}, "en", link="https://x/status/t")
    assert notice.subject not in (sv.subject, english.subject)
    assert "16" in notice.text and "2027" in notice.text and "https://x/status/t" in notice.sms
    assert f'<html lang="{lang}" dir="{i18n.direction(lang)}">' in notice.html


def test_the_calendar_file_speaks_the_parents_language():
    where = WhereAndWhen(
        group_id=7,
        programme="abc",
        programme_name="ABC",
        district="farsta",
        district_name="Farsta",
        language="ti",
        time_start="18:00",
        time_end="20:00",
        meetings=(date(2027, 3, 2), date(2027, 3, 9)),
        venue=Place("Farsta bibliotek", "Farsta torg 3", "Hiss", "Buss 4"),
        leader_first_name="Amira",
    )
    summaries = {}
    for lang in i18n.LANGUAGES:
        calendar = Calendar.from_ical(meetings_ics(where, lang=lang))
        event = next(iter(calendar.walk("VEVENT")))
        summaries[lang] = str(event["summary"])
        assert "Amira" in str(event["description"])
    assert summaries["sv"] == "ABC, träff 1 av 2" and summaries["en"] == "ABC, meeting 1 of 2"
    assert summaries["ar"] == "ABC، اللقاء 1 من 2"
    assert len(set(summaries.values())) == len(i18n.LANGUAGES)


def test_status_counts_each_languages_parents_messages_and_the_review_mark():
    lines = {line.split()[0]: line for line in messages.status()}
    assert set(lines) == set(i18n.LANGUAGES)
    for lang, line in lines.items():
        assert " 0 missing" in line, line
        assert ("native speaker's review" in line) == (lang in NEW), line


def test_adding_a_language_starts_a_catalogue_marked_for_review_with_its_plural_forms(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(messages, "LOCALE_DIR", tmp_path)
    messages.add("am")
    with (tmp_path / "am" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    assert messages.REVIEW_MARK in catalog.header_comment
    assert catalog.num_plurals == 2 and str(catalog.locale) == "am"
    with pytest.raises(SystemExit, match="exists already"):
        messages.add("am")
    with pytest.raises(SystemExit, match="not a language code"):
        messages.add("zz-nope")
