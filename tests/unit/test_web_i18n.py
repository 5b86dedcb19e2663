"""Every string of the web pages is translated in Swedish and English, every parents' string
in every language, placeholders agree, the compiled .mo files are current, and the language is
chosen the documented way."""

from __future__ import annotations

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from api.web import i18n
from api.web.messages import extract, filled, needed


def _catalog(lang: str):  # noqa: ANN202
    po = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        return read_po(handle, locale=lang)


def _key(value: object) -> object:
    return tuple(value) if isinstance(value, list | tuple) else value


def test_every_page_string_is_translated_in_swedish_and_english_and_parents_in_every_language():
    assert set(i18n.LANGUAGES) == {"sv", "en", "ar", "fa", "so", "ti"}
    messages = [m for m in extract() if m.id]
    assert len(messages) > 200
    for lang in i18n.LANGUAGES:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in messages if needed(lang, m)}
        assert len(wanted) > 250
        catalog = _catalog(lang)
        missing = [
            key
            for key in wanted
            if (msg := catalog.get(key)) is None
            or not all(msg.string if isinstance(msg.string, tuple) else [msg.string])
            or msg.fuzzy
        ]
        assert missing == [], f"{lang}: {missing[:5]}"


def test_translations_keep_every_placeholder():
    for lang in i18n.LANGUAGES:
        problems = [(msg.id, errors) for msg, errors in _catalog(lang).check()]
        assert problems == []


def test_the_compiled_catalogues_match_the_po_files():
    for lang in i18n.LANGUAGES:
        mo = i18n.LOCALE_DIR / lang / "LC_MESSAGES" / "messages.mo"
        with mo.open("rb") as handle:
            compiled = {_key(m.id): _key(m.string) for m in read_mo(handle) if m.id}
        # (an untranslated message is compiled as its English source text, or left out)
        source = {_key(m.id): _key(m.string) for m in _catalog(lang) if m.id and filled(m.string)}
        assert {key: compiled.get(key) for key in source} == source, lang


def test_swedish_is_the_default_and_english_is_one_parameter_away():
    assert i18n.DEFAULT_LANGUAGE == "sv"
    assert i18n.translations("sv").gettext("Apply") == "Ansök"
    assert i18n.translations("en").gettext("Apply") == "Apply"
    assert i18n.translations("xx").gettext("Apply") == "Ansök"


def test_wait_ranges_read_as_words_beyond_two_years():
    from api.web.wording import wait_range
    from waitlist.domain.queue import WaitEstimate

    _ = i18n.translations("en").gettext
    assert wait_range(_, WaitEstimate(3, 6, "seats")) == "3–6 weeks"
    assert wait_range(_, WaitEstimate(3, 2750, "seats+throughput")) == "3 weeks to over two years"
    assert wait_range(_, WaitEstimate(120, 300, "throughput")) == "Over two years"
    assert wait_range(_, WaitEstimate(None, None, "none", "no basis")) == "No estimate yet"
    sv = i18n.translations("sv").gettext
    assert wait_range(sv, WaitEstimate(3, 6, "seats"), "sv") == "3–6 veckor"


def test_a_wait_of_one_week_is_singular_in_swedish_and_english():
    from api.web.wording import wait_range
    from waitlist.domain.queue import WaitEstimate

    sv, en = i18n.translations("sv").gettext, i18n.translations("en").gettext
    assert wait_range(sv, WaitEstimate(1, 1, "seats"), "sv") == "Cirka 1 vecka"
    assert wait_range(en, WaitEstimate(1, 1, "seats"), "en") == "About 1 week"
    assert wait_range(sv, WaitEstimate(0, 1, "seats"), "sv") == "0–1 vecka"
