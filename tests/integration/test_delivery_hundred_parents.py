"""The issue's measure, against a real SMTP server (aiosmtpd on 127.0.0.1): 100 parents apply
with an e-mail address, a round offers seats, deadlines approach while the mail server is
down for a while: every parent gets exactly one "applied" mail with a working link, every
offer exactly one offer mail, every offer still open two days before its deadline exactly one
reminder; nothing lost, nothing twice. Time moves by the clock the jobs use, never by
sleeping. SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
from sqlmodel import Session, select

from api import jobs
from tests.support.api import HOME, OTHER, City, api_client, application_body, new_group
from tests.support.delivery import MailServer
from waitlist import bootstrap
from waitlist.config import Settings
from waitlist.services import offers, outbox, rounds
from waitlist.storage.tables import Offer, Outbox

BASE = "https://testserver"
PARENTS = 100


def _clock(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _drain(city: City, sender: outbox.NoticeSender, now: datetime) -> outbox.SendReport:
    return outbox.drain(city.engine, sender, base_url=BASE, now=now, max_batches=100)


def _rows(city: City, model: type) -> list:  # type: ignore[type-arg]
    with Session(city.engine) as session:
        return list(session.exec(select(model)).all())


@pytest.mark.slow
def test_a_hundred_parents_hear_everything_once_even_with_the_mail_server_down(
    city: City,
) -> None:
    for district in (HOME, HOME, OTHER, OTHER):
        new_group(city, district, capacity=10)  # 60 seats in all, for 100 parents
    client = api_client(city)
    address = {}  # application id -> e-mail address
    for i in range(PARENTS):
        contact = f"parent{i}@example.org"
        body = application_body(
            HOME if i % 2 else OTHER, contact=contact, notice_language=("sv", "en")[i % 2]
        )
        response = client.post("/api/v1/applications", json=body)
        assert response.status_code == 201, response.text
        address[response.json()["application"]["id"]] = contact
    preview = rounds.preview_round(city.uow(actor="coordinator:test"))
    rounds.commit_round(city.uow(actor="coordinator:test"), preview.id)
    made = _rows(city, Offer)
    assert len(made) == 60

    server = MailServer()
    sender = bootstrap.notice_sender(Settings(smtp_url=server.url(), mail_from="w@example.org"))
    settings = Settings(database_url=city.url)
    today = date.today()
    server.start()
    try:
        report = _drain(city, sender, _clock(today))
        assert (report.sent, report.failed) == (PARENTS + len(made), 0)
        # Some parents answer before the reminders: an answered offer gets none.
        for offer in made[:5]:
            offers.accept_offer(city.uow(), offer.id)
        for offer in made[5:10]:
            offers.decline_offer(city.uow(), offer.id, "time")
        open_offers = {o.id for o in made[10:]}
        server.stop()  # down for a while: the reminders cannot go out

        respond_by = made[0].respond_by
        reminder_day = respond_by - timedelta(days=2)
        jobs.expire_offers(city.engine, settings, today=reminder_day)
        clock = _clock(reminder_day)
        down_attempts = 0
        for _ in range(4):  # tried again and again, each time after its delay
            report = _drain(city, sender, clock)
            assert report.sent == 0 and report.failed == len(open_offers)
            down_attempts += 1
            clock += timedelta(hours=1)
        server.start()  # back
        report = _drain(city, sender, clock)
        assert (report.sent, report.failed) == (len(open_offers), 0)
        # The job runs again the next days: no second reminder, nothing sent twice.
        jobs.expire_offers(city.engine, settings, today=reminder_day + timedelta(days=1))
        assert _drain(city, sender, clock + timedelta(days=1)).sent == 0
    finally:
        server.stop()

    by_id = {f"<outbox-{row.id}@example.org>": row for row in _rows(city, Outbox)}
    mails = server.inbox.messages
    ids = Counter(m["Message-ID"] for m in mails)
    duplicates = sum(n - 1 for n in ids.values())
    lost = [row.id for row in by_id.values() if row.sent_at is None or row.dead_at is not None]
    assert (duplicates, lost) == (0, [])
    assert set(ids) == set(by_id)  # every notice arrived, and nothing else did
    kinds: Counter[tuple[str, int]] = Counter()
    for mail in mails:
        row = by_id[mail["Message-ID"]]
        app_id = int(row.recipient.split(":")[1])
        assert mail["To"] == address[app_id]  # to the parent the notice is for
        kinds[(row.kind, app_id)] += 1
    assert all(kinds[("applied", app_id)] == 1 for app_id in address)
    assert all(kinds[("offer_made", o.application_id)] == 1 for o in made)
    reminded = {app_id for (kind, app_id) in kinds if kind == "deadline_near"}
    assert reminded == {o.application_id for o in made if o.id in open_offers}
    assert all(kinds[("deadline_near", app_id)] == 1 for app_id in reminded)
    # Every "applied" mail's link opens that parent's own status page.
    for mail in mails:
        if by_id[mail["Message-ID"]].kind == "applied":
            text = str(mail.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]
            link = next(w for w in text.split() if w.startswith(f"{BASE}/status/"))
            assert client.get(link.removeprefix(BASE)).status_code == 200
    # Every offer mail carries its group's meetings as a calendar file that icalendar reads.
    calendars = 0
    for mail in mails:
        if by_id[mail["Message-ID"]].kind == "offer_made":
            files = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
            assert len(files) == 1, mail["Message-ID"]
            data = files[0].get_payload(decode=True)
            events = list(icalendar.Calendar.from_ical(data).walk("VEVENT"))
            assert events and all(
                str(e.decoded("dtstart").tzinfo) == "Europe/Stockholm" for e in events
            )
            calendars += 1
    assert calendars == len(made)
    print(
        f"\n{PARENTS} parents, {len(made)} offers, {len(open_offers)} open at the reminder: "
        f"{len(mails)} mails, {Counter(k for k, _ in kinds.elements())}, "
        f"{down_attempts} failed runs while down, duplicates {duplicates}, lost {len(lost)}"
    )
