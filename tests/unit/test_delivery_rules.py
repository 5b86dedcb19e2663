"""Delivery rules without a database: the channel a contact means, the retry schedule, the
SMTP setting, and what a notice says in each language (and what it never says)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from waitlist.domain.delivery import Channel, Retry, channel_for, phone_number
from waitlist.domain.errors import InvalidInput
from waitlist.services.mail import build_message, parse_smtp_url
from waitlist.services.notice_texts import _TEXTS, Attachment, compose
from waitlist.services.outbox import Notice

retries = st.builds(
    Retry,
    max_attempts=st.integers(1, 30),
    base=st.timedeltas(min_value=timedelta(seconds=1), max_value=timedelta(hours=1)),
    cap=st.timedeltas(min_value=timedelta(hours=1), max_value=timedelta(days=2)),
)


@given(retries, st.integers(1, 100))
def test_a_retry_never_waits_less_than_the_last_one_nor_more_than_the_cap(
    retry: Retry, attempts: int
) -> None:
    assert retry.base <= retry.delay(attempts) <= retry.cap
    assert retry.delay(attempts) <= retry.delay(attempts + 1)


@given(retries, st.integers(0, 100))
def test_a_notice_is_given_up_exactly_after_the_last_attempt(retry: Retry, attempts: int) -> None:
    now = datetime(2026, 12, 7, tzinfo=UTC)
    later = retry.next_attempt(attempts, now)
    assert (later is None) == (attempts >= retry.max_attempts)
    assert later is None or later > now


def test_the_default_schedule_doubles_from_a_minute_to_an_hour() -> None:
    minutes = [Retry().delay(n) / timedelta(minutes=1) for n in range(1, 10)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60, 60]


@pytest.mark.parametrize(
    ("contact", "channel"),
    [
        ("anna@example.se", Channel.EMAIL),
        (" anna.berg+wl@skola.stockholm.se ", Channel.EMAIL),
        ("070-123 45 67", Channel.SMS),
        ("+46 70 123 45 67", Channel.SMS),
        ("", None),
        (None, None),
        ("anna at example.se", None),
        ("12", None),
        ("a@b", None),
    ],
)
def test_the_contact_decides_the_channel(contact: str | None, channel: Channel | None) -> None:
    assert channel_for(contact) == channel


@pytest.mark.parametrize(
    ("contact", "number"),
    [
        ("070-123 45 67", "+46701234567"),
        ("+46 70 123 45 67", "+46701234567"),
        ("0046701234567", "+46701234567"),
        ("(08) 508 000 00", "+46850800000"),
    ],
)
def test_a_phone_number_is_sent_to_as_e164(contact: str, number: str) -> None:
    assert phone_number(contact) == number


@given(st.text(max_size=40))
def test_any_contact_has_at_most_one_channel_and_never_crashes(contact: str) -> None:
    channel = channel_for(contact)
    number = phone_number(contact)
    assert channel != Channel.SMS or (number is not None and number.startswith("+"))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://user:p%40ss@mail.example.se:587", ("starttls", 587, "user", "p@ss")),
        ("smtp://mail.example.se", ("starttls", 587, "", "")),
        ("smtps://user:pw@mail.example.se", ("tls", 465, "user", "pw")),
        ("smtp://relay.local:25?tls=none", ("none", 25, "", "")),
    ],
)
def test_the_smtp_url_says_how_to_connect(url: str, expected: tuple) -> None:  # type: ignore[type-arg]
    c = parse_smtp_url(url)
    assert (c.security, c.port, c.username, c.password) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.se",
        "smtp://",
        "smtp://mail.example.se?tls=maybe",
        "smtp://user:pw@mail.example.se?tls=none",  # a password in clear: refused
        "smtp://mail.example.se?timeout=0",
        "smtp://mail.example.se:port",
    ],
)
def test_a_bad_smtp_url_is_refused_naming_the_setting(url: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_smtp_url(url)
    assert caught.value.field == "WAITLIST_SMTP_URL"


@pytest.mark.parametrize("kind", sorted(_TEXTS))
def test_every_notice_is_translated_and_carries_no_programme_or_personal_data(kind: str) -> None:
    payload = {
        "respond_by": "2026-12-17",
        "start": "2027-01-12",
        "programme": "komet",
        "district": "farsta",
        "reason": "too few parents",
        "group_id": 7,
    }
    english = compose(kind, payload, "en", site="https://w.example.se")
    swedish = compose(kind, payload, "sv", site="https://w.example.se")
    assert english.subject != swedish.subject and english.text != swedish.text
    for content in (english, swedish):
        everything = content.subject + content.text + content.html + content.sms
        assert "komet" not in everything.lower() and "farsta" not in everything.lower()
        assert "too few" not in everything
        assert "https://w.example.se" in content.sms and len(content.sms) <= 160
    if "respond_by" in _TEXTS[kind][1]:
        assert "17 december 2026" in swedish.text and "December 17, 2026" in english.text


def test_the_html_part_escapes_the_link() -> None:
    content = compose("applied", {}, "en", link='https://w.example.se/status/"><script>')
    assert "<script>" not in content.html and "&quot;&gt;&lt;script&gt;" in content.html


def test_a_mail_carries_the_outbox_id_as_message_id_and_its_attachments() -> None:
    calendar = Attachment("offer.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    content = compose("offer_made", {"respond_by": date(2026, 12, 17).isoformat()}, "sv")
    notice = Notice(
        outbox_id=41,
        kind="offer_made",
        recipient="application:3",
        contact="anna@example.se",
        message="",
        language="sv",
        content=compose("offer_made", {"respond_by": "2026-12-17"}, "sv", attachments=(calendar,)),
    )
    mail = build_message(notice, "Väntelistan <no-reply@stockholm.example>")
    assert mail["Message-ID"] == "<outbox-41@stockholm.example>"
    assert mail["To"] == "anna@example.se" and mail["Subject"] == content.subject
    [attached] = list(mail.iter_attachments())
    assert attached.get_filename() == "offer.ics"
    assert attached.get_content_type() == "text/calendar"
    assert mail.get_body(preferencelist=("html",)) is not None


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"WAITLIST_SMTP_URL": "smtp://user:pw@mail.example.se?tls=none"}, "WAITLIST_SMTP_URL"),
        ({"WAITLIST_SMS_URL": "ftp://gateway", "WAITLIST_SMS_KEY": "u:p"}, "WAITLIST_SMS_URL"),
        ({"WAITLIST_SMS_URL": "https://api.46elks.com/a1/sms"}, "WAITLIST_SMS_KEY"),
    ],
)
def test_serve_refuses_a_bad_delivery_setting_in_one_line_before_starting(
    env: dict[str, str], named: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import secrets

    from typer.testing import CliRunner

    from waitlist.cli import app
    from waitlist.config import get_settings

    monkeypatch.setenv("WAITLIST_SECRET_KEY", secrets.token_urlsafe(48))  # not the demo's
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["serve", "--port", "8159"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 2
    [line] = [x for x in result.output.splitlines() if x.strip()]
    assert line.startswith("error: ") and named in line


@pytest.mark.parametrize(
    "contact",
    ["anna@example.se\r\nBcc: everyone@example.se", "anna@example.se, eve@example.se", "a b@x.se"],
)
def test_a_contact_that_could_add_a_recipient_is_refused_and_never_handed_to_smtp(
    contact: str,
) -> None:
    from waitlist.services.delivery import ChannelSender
    from waitlist.services.outbox import DeliveryFailed

    handed: list[Notice] = []

    class Mail:
        def send(self, notice: Notice, session: object) -> None:
            handed.append(notice)

    notice = Notice(outbox_id=1, kind="applied", recipient="application:1", contact=contact,
                    message="")  # fmt: skip
    with pytest.raises(DeliveryFailed) as caught:
        ChannelSender(Mail(), None).send(notice, session=None)  # type: ignore[arg-type]
    assert caught.value.contact_refused and handed == []
