"""A notice that cannot be delivered: the parent's status page asks them to check their
contact (masked) and lets them give a new one, which gets the notice again; the coordinators
of the parent's district, and only they, see it among the undelivered notices and can send it
again. Against a real SMTP server (aiosmtpd) that refuses the mailbox. SQLite and PostgreSQL."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from tests.support.api import PASSWORD, City, api_client, application_body
from tests.support.delivery import MailServer, mail_server
from waitlist import bootstrap
from waitlist.config import Settings
from waitlist.services import applications, offers, outbox
from waitlist.storage.tables import Outbox

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
BASE = "https://testserver"


def _drain(city: City, server: MailServer) -> outbox.SendReport:
    sender = bootstrap.notice_sender(Settings(smtp_url=server.url(), mail_from="w@example.org"))
    return outbox.drain(city.engine, sender, base_url=BASE)


def _bounced_offer(city: City, server: MailServer) -> str:
    """A parent (English) whose address bounces, with an offer: both notices given up."""
    applied = applications.apply(
        city.uow(), application_body(contact="bounce.me@example.org", notice_language="en")
    )
    offers.make_offer(city.uow(), applied.application.id, city.groups["home"])
    assert _drain(city, server).failed == 2
    return applied.token


def _csrf(client: TestClient, path: str) -> str:
    match = CSRF.search(client.get(path).text)
    assert match, path
    return match.group(1)


def _coordinator(city: City, username: str) -> TestClient:
    client = api_client(city)
    client.cookies.set("lang", "en")
    token = _csrf(client, "/coordinator/login")
    response = client.post(
        "/coordinator/login",
        data={"csrf_token": token, "username": username, "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def test_the_parent_is_asked_to_check_a_contact_that_bounced_and_can_correct_it(
    city: City,
) -> None:
    with mail_server() as server:
        token = _bounced_offer(city, server)
        parent = api_client(city)
        parent.cookies.set("lang", "en")
        page = parent.get(f"/status/{token}").text
        assert "We could not reach you at b***@example.org: check it" in page
        assert "bounce.me" not in page  # masked
        bad = parent.post(
            f"/status/{token}/contact",
            data={"csrf_token": _csrf(parent, f"/status/{token}"), "contact": "not a contact"},
        )
        assert bad.status_code == 422 and 'id="field-contact"' in bad.text
        assert 'aria-invalid="true"' in bad.text or "has-error" in bad.text
        fixed = parent.post(
            f"/status/{token}/contact",
            data={"csrf_token": _csrf(parent, f"/status/{token}"), "contact": "me@example.org"},
        )
        assert fixed.status_code == 200 and fixed.url.query == b"done=contact"
        assert "We could not reach you" not in fixed.text
        # The offer goes out again to the new address; the first notice's link is gone.
        assert _drain(city, server).sent == 1
        [mail] = server.inbox.to("me@example.org")
        assert mail["Subject"] == "You have been offered a seat"


def test_undelivered_notices_are_shown_to_the_coordinators_of_the_district_only(
    city: City,
) -> None:
    with mail_server() as server:
        _bounced_offer(city, server)
        home = _coordinator(city, "coord-home")
        page = home.get("/coordinator/notices").text
        assert "2 undelivered notices" in page and "smtp 550 recipient refused" in page
        assert "bounce.me" not in page  # the reason never holds the contact
        other = _coordinator(city, "coord-other").get("/coordinator/notices").text
        assert "Every notice has been delivered." in other
        with Session(city.engine) as session:
            offer_row = session.exec(select(Outbox).where(Outbox.kind == "offer_made")).one()
        retry = f"/coordinator/notices/{offer_row.id}/retry"
        token = _csrf(home, "/coordinator/notices")
        # Another district's coordinator cannot send it again.
        other_client = _coordinator(city, "coord-other")
        other_token = _csrf(other_client, "/coordinator/notices")
        other_client.post(retry, data={"csrf_token": other_token})
        with Session(city.engine) as session:
            assert session.get(Outbox, offer_row.id).dead_at is not None  # type: ignore[union-attr]
        response = home.post(retry, data={"csrf_token": token})
        assert response.status_code == 200 and "will be sent again" in response.text
        assert "1 undelivered notice" in response.text
        with Session(city.engine) as session:
            row = session.get(Outbox, offer_row.id)
            assert row is not None and row.dead_at is None and row.attempts == 0
