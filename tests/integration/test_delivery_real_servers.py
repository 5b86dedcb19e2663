"""Notices delivered to real servers: an SMTP server (aiosmtpd) and an HTTP server speaking
the SMS gateway's API, both started by the tests on 127.0.0.1. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlmodel import Session, select

from api import jobs
from tests.support.api import City, api_client, application_body
from tests.support.delivery import (
    SMS_PASSWORD,
    SMS_USER,
    Credentials,
    MailServer,
    SmsGateway,
    mail_server,
    self_signed,
)
from waitlist import bootstrap
from waitlist.config import Settings
from waitlist.services import applications, offers, outbox
from waitlist.storage.tables import Application, Outbox

# Real SMTP and HTTP servers on sockets.
pytestmark = pytest.mark.slow

BASE = "https://testserver"


def _sender(smtp_url: str = "", sms_url: str = "") -> outbox.NoticeSender:
    settings = Settings(
        smtp_url=smtp_url,
        mail_from="Waitlist <no-reply@waitlist.example.org>",
        sms_url=sms_url,
        sms_key=f"{SMS_USER}:{SMS_PASSWORD}",
    )
    return bootstrap.notice_sender(settings)


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _body(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())  # type: ignore[attr-defined]


def _outbox(city: City, kind: str | None = None) -> list[Outbox]:
    with Session(city.engine) as session:
        query = select(Outbox)
        if kind:
            query = query.where(Outbox.kind == kind)
        return list(session.exec(query.order_by(Outbox.id)).all())  # type: ignore[arg-type]


def test_applying_sends_one_mail_with_a_working_personal_link(city: City) -> None:
    client = api_client(city)
    body = application_body(contact="anna@example.org", notice_language="sv")
    applied = client.post("/api/v1/applications", json=body).json()
    with mail_server() as server:
        assert outbox.drain(city.engine, _sender(server.url()), base_url=BASE).sent == 1
        [mail] = server.inbox.to("anna@example.org")
    [row] = _outbox(city)
    assert mail["Message-ID"] == f"<outbox-{row.id}@waitlist.example.org>"
    assert mail["Subject"] == "Vi har tagit emot din ansökan"  # the parent's language
    text, html = _body(mail, "plain"), _body(mail, "html")
    link = f"{BASE}/status/{applied['status_token']}"
    assert link in text and f'href="{link}"' in html
    page = client.get(link.removeprefix(BASE))  # the link works
    assert page.status_code == 200 and "kön" in page.text
    # No other personal data: not the child's birth month, not the programme.
    assert body["child_birth"] not in text + html and "Komet" not in text + html
    assert outbox.drain(city.engine, _sender(server.url()), base_url=BASE).sent == 0


def test_an_offer_goes_out_in_english_to_a_parent_who_applied_in_english(city: City) -> None:
    applied = applications.apply(
        city.uow(), application_body(contact="ben@example.org", notice_language="en")
    )
    offer = offers.make_offer(city.uow(), applied.application.id, city.groups["home"])
    with mail_server() as server:
        outbox.drain(city.engine, _sender(server.url()), base_url=BASE)
        mails = {m["Subject"]: m for m in server.inbox.to("ben@example.org")}
    assert set(mails) == {"Your application has been received", "You have been offered a seat"}
    offer_text = _body(mails["You have been offered a seat"], "plain")
    assert f"{offer.respond_by:%B} {offer.respond_by.day}, {offer.respond_by.year}" in offer_text
    assert BASE in offer_text  # where to go; the link itself is only in the first mail


def test_a_reminder_goes_out_once_two_days_before_the_deadline(city: City) -> None:
    applied = applications.apply(city.uow(), application_body(contact="cleo@example.org"))
    offer = offers.make_offer(city.uow(), applied.application.id, city.groups["home"])
    settings = Settings(database_url=city.url)
    with mail_server() as server:
        sender = _sender(server.url())
        outbox.drain(city.engine, sender, base_url=BASE)
        jobs.expire_offers(city.engine, settings, today=offer.respond_by - timedelta(days=3))
        outbox.drain(city.engine, sender, base_url=BASE)
        assert len(server.inbox.to("cleo@example.org")) == 2  # applied, offer: no reminder yet
        for days_left in (2, 1):  # the job runs every day: one reminder all the same
            day = offer.respond_by - timedelta(days=days_left)
            jobs.expire_offers(city.engine, settings, today=day)
            outbox.drain(city.engine, sender, base_url=BASE)
        subjects = [m["Subject"] for m in server.inbox.to("cleo@example.org")]
    assert subjects.count("Påminnelse: ditt erbjudande väntar på ditt svar") == 1


def test_a_mail_server_that_is_down_gets_the_notice_later_exactly_once(city: City) -> None:
    applications.apply(city.uow(), application_body(contact="dina@example.org"))
    server = MailServer()
    sender = _sender(server.url())
    now = datetime.now(UTC)
    assert outbox.drain(city.engine, sender, base_url=BASE, now=now).failed == 1  # down
    [row] = _outbox(city)
    assert row.attempts == 1 and row.sent_at is None and row.next_attempt_at is not None
    assert row.last_error is not None and "dina" not in row.last_error
    server.start()
    try:
        # Back, but the retry is not due yet: nothing is sent before its time.
        assert outbox.drain(city.engine, sender, base_url=BASE, now=now).sent == 0
        assert outbox.drain(city.engine, sender, base_url=BASE, now=row.next_attempt_at).sent == 1
        later = row.next_attempt_at + timedelta(hours=2)
        assert outbox.drain(city.engine, sender, base_url=BASE, now=later).sent == 0
        assert len(server.inbox.to("dina@example.org")) == 1
    finally:
        server.stop()
    [row] = _outbox(city)
    assert row.sent_at is not None and row.attempts == 2 and row.payload == {}


def test_a_bounced_address_is_a_dead_letter_at_once_and_marked_on_the_application(
    city: City,
) -> None:
    applied = applications.apply(city.uow(), application_body(contact="bounce@example.org"))
    with mail_server() as server:
        report = outbox.drain(city.engine, _sender(server.url()), base_url=BASE)
    assert (report.sent, report.failed) == (0, 1)
    [row] = _outbox(city)
    assert row.dead_at is not None and row.attempts == 1 and row.last_error.startswith("smtp 550")
    assert row.payload == {}  # given up: the personal link is not kept
    with Session(city.engine) as session:
        app = session.get(Application, applied.application.id)
        assert app is not None and app.contact_unreachable_at is not None


def test_starttls_and_a_login_are_used_when_the_url_asks_for_them(
    city: City, tmp_path: Path
) -> None:
    context, cert = self_signed(tmp_path)
    applications.apply(city.uow(), application_body(contact="eva@example.org"))
    with mail_server(tls=context, auth=Credentials("u", "p")) as server:
        plain = _sender(f"smtp://u:p@127.0.0.1:{server.port}")  # the test CA is not trusted
        assert outbox.drain(city.engine, plain, base_url=BASE).failed == 1
        assert server.inbox.messages == []
        trusted = _sender(f"smtp://u:p@127.0.0.1:{server.port}?cafile={cert}")
        later = datetime.now(UTC) + timedelta(hours=1)
        assert outbox.drain(city.engine, trusted, base_url=BASE, now=later).sent == 1
        assert len(server.inbox.to("eva@example.org")) == 1


def test_a_phone_number_gets_a_short_text_through_the_sms_gateway(city: City) -> None:
    applied = applications.apply(
        city.uow(), application_body(contact="070-123 45 67", notice_language="en")
    )
    with SmsGateway() as gateway:
        sender = _sender(sms_url=gateway.url)
        assert outbox.drain(city.engine, sender, base_url=BASE).sent == 1
        [sms] = gateway.received
    assert sms["to"] == "+46701234567" and sms["from"] == "Waitlist"
    assert f"{BASE}/status/{applied.token}" in sms["message"]
    assert len(sms["message"]) <= 200


def test_a_number_the_gateway_refuses_is_marked_for_the_parent(city: City) -> None:
    applied = applications.apply(city.uow(), application_body(contact="+46700000000"))
    with SmsGateway() as gateway:
        assert outbox.drain(city.engine, _sender(sms_url=gateway.url), base_url=BASE).failed == 1
    [row] = _outbox(city)
    assert row.dead_at is not None and row.last_error == "sms 400"
    with Session(city.engine) as session:
        app = session.get(Application, applied.application.id)
        assert app is not None and app.contact_unreachable_at is not None


def test_a_channel_that_is_not_configured_leaves_a_dead_letter(city: City) -> None:
    applications.apply(city.uow(), application_body(contact="070-123 45 67"))
    with mail_server() as server:
        assert outbox.drain(city.engine, _sender(server.url()), base_url=BASE).failed == 1
    [row] = _outbox(city)
    assert row.dead_at is not None and row.last_error == "no sms sender configured"


def test_a_worker_that_dies_after_sending_leaves_a_resend_with_the_same_message_id(
    city: City,
) -> None:
    applications.apply(city.uow(), application_body(contact="finn@example.org"))

    class DiesAfterSending:
        def __init__(self, real: outbox.NoticeSender) -> None:
            self.real = real

        def send(self, notice: outbox.Notice, session: Session) -> None:
            self.real.send(notice, session)
            raise SystemExit("killed before the send was recorded")

    now = datetime.now(UTC)
    with mail_server() as server:
        sender = _sender(server.url())
        with pytest.raises(SystemExit):
            outbox.send_pending(city.engine, DiesAfterSending(sender), base_url=BASE, now=now)
        [row] = _outbox(city)
        assert row.attempts == 1 and row.sent_at is None  # the attempt was recorded first
        # While the dead worker's claim holds, no other worker sends it again...
        assert not outbox.send_pending(city.engine, sender, base_url=BASE, now=now)
        # ...after it, one does, under the same Message-ID for the receiver to drop.
        later = now + outbox.LEASE + timedelta(seconds=1)
        assert outbox.send_pending(city.engine, sender, base_url=BASE, now=later).sent == 1
        mails = server.inbox.to("finn@example.org")
    assert len(mails) == 2 and len({m["Message-ID"] for m in mails}) == 1
    [row] = _outbox(city)
    assert row.sent_at is not None and row.attempts == 2


def test_an_enrolled_parent_hears_once_that_the_group_starts_soon(city: City) -> None:
    applied = applications.apply(city.uow(), application_body(contact="gus@example.org"))
    offer = offers.make_offer(city.uow(), applied.application.id, city.groups["home"])
    offers.accept_offer(city.uow(), offer.id)
    waiting = applications.apply(city.uow(), application_body(contact="hal@example.org"))
    settings = Settings(database_url=city.url)
    start = date.today() + timedelta(days=60)  # the test city's groups start then
    with mail_server() as server:
        sender = _sender(server.url())
        for days_before in (4, 3, 2, 0):  # the job runs every day
            jobs.expire_offers(city.engine, settings, today=start - timedelta(days=days_before))
            outbox.drain(city.engine, sender, base_url=BASE)
            if days_before == 4:
                assert not _outbox(city, "group_starting")
        starting = [m for m in server.inbox.messages if m["Subject"] == "Din grupp börjar snart"]
    assert [m["To"] for m in starting] == ["gus@example.org"]  # not the parent still waiting
    assert f"{start.day} " in _body(starting[0], "plain")
    assert waiting.application.id not in {
        int(r.recipient.split(":")[1]) for r in _outbox(city, "group_starting")
    }


@pytest.mark.slow
def test_the_running_server_mails_the_personal_link_through_the_configured_smtp_server(
    city: City,
) -> None:
    import time

    import httpx

    from tests.support.api import uvicorn_server

    with mail_server() as server:
        env = {
            "WAITLIST_SMTP_URL": server.url(),
            "WAITLIST_MAIL_FROM": "Waitlist <no-reply@waitlist.example.org>",
            "WAITLIST_JOBS_INTERVAL_SECONDS": "1",
        }
        with uvicorn_server(city.url, env=env) as base:
            body = application_body(contact="ivy@example.org", notice_language="en")
            response = httpx.post(f"{base}/api/v1/applications", json=body, timeout=60)
            assert response.status_code == 201, response.text
            token = response.json()["status_token"]
            deadline = time.monotonic() + 300  # waits for the state; generous on a busy machine
            while not server.inbox.to("ivy@example.org"):
                assert time.monotonic() < deadline, "the server's job sent no mail"
                time.sleep(0.2)
            [mail] = server.inbox.to("ivy@example.org")
            text = _body(mail, "plain")
            assert mail["Subject"] == "Your application has been received"
            assert f"/status/{token}" in text
            page = httpx.get(f"{base}/status/{token}", timeout=60)
            assert page.status_code == 200
