"""What a notice says, in the parent's language: a subject, plain text and HTML for e-mail, a
short text for SMS, and optional attachments.

    compose(kind, payload, language, link=..., site=...) -> Composed

The texts are gettext messages (English in the code, Swedish in waitlist/locale), kept in
step by `python -m api.web.messages`. A notice names no programme, group or district and
holds no personal data: only dates, and the parent's personal link (in the "applied"
notice, the one time the link exists outside the parent's hands) or else the site's address.
Why: a mail or text is read on a lock screen and kept in mailboxes, and the programme a
parent applied to can itself be sensitive. The details are behind the personal link.

Attachments: `ATTACHMENTS[kind]` may name a function that returns files to attach to the
e-mail of that kind (an offer's calendar, say). It gets the open session, the notice's
payload and its language; SMS carries no attachments.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date
from sqlmodel import Session

from waitlist.translations import N_, direction, gettext_for


@dataclass(frozen=True)
class Attachment:
    filename: str
    mime_type: str  # e.g. "text/calendar"
    data: bytes


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str  # plain text e-mail body
    html: str  # HTML e-mail body
    sms: str  # short text for SMS
    attachments: tuple[Attachment, ...] = ()


AttachmentMaker = Callable[[Session, dict[str, Any], str], list[Attachment]]
# Filled in by the modules that make attachments, keyed by notice kind.
ATTACHMENTS: dict[str, AttachmentMaker] = {}

# kind -> (subject, first line, what to do). %(respond_by)s and %(start)s are dates.
_TEXTS: dict[str, tuple[str, str, str]] = {
    "applied": (
        N_("Your application has been received"),
        N_("We have received your application and you are in the queue."),
        N_(
            "Follow your application and answer offers with your personal link. "
            "Keep it to yourself: anyone with the link can see and change your application."
        ),
    ),
    "offer_made": (
        N_("You have been offered a seat"),
        N_("You have been offered a seat. Please answer by %(respond_by)s."),
        N_("Open your personal link to see the offer and accept or decline it."),
    ),
    "deadline_near": (
        N_("Reminder: your offer is waiting for your answer"),
        N_("Your offer is waiting for your answer: please answer by %(respond_by)s."),
        N_("Open your personal link to see the offer and accept or decline it."),
    ),
    "offer_expired": (
        N_("Your offer has expired"),
        N_("Your offer expired unanswered. You keep your place in the queue."),
        N_("Open your personal link to confirm that you still want a place."),
    ),
    "offer_revoked": (
        N_("Your offer has been withdrawn"),
        N_("Your offer has been withdrawn by the district. You keep your place in the queue."),
        N_("Open your personal link to see where you stand."),
    ),
    "group_cancelled": (
        N_("Your group has been cancelled"),
        N_("Your group has been cancelled. You keep your place in the queue."),
        N_("Open your personal link to see where you stand."),
    ),
    "group_starting": (
        N_("Your group starts soon"),
        N_("Your group starts on %(start)s."),
        N_("Open your personal link to see where and when it meets."),
    ),
}
_OTHER = (
    N_("News about your application"),
    N_("There is news about your application."),
    N_("Open your personal link to see where you stand."),
)
_LINK_LINE = N_("Your personal link:")
_SITE_LINE = N_("Your personal link was sent to you when you applied. The site:")
_NO_REPLY = N_("This message was sent automatically; replies are not read.")


def _dates(payload: dict[str, Any], language: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for key in ("respond_by", "start"):
        raw = payload.get(key)
        try:
            day = date.fromisoformat(str(raw))
        except ValueError:
            values[key] = "-"
            continue
        values[key] = format_date(day, format="long", locale=language)
    return values


def compose(
    kind: str,
    payload: dict[str, Any],
    language: str,
    *,
    link: str | None = None,
    site: str = "",
    attachments: tuple[Attachment, ...] = (),
) -> Composed:
    """The notice of `kind` in `language`; `link` is the personal link when the notice
    carries it, else the parent is pointed to `site`."""
    _ = gettext_for(language)
    subject_id, first_id, todo_id = _TEXTS.get(kind, _OTHER)
    values = _dates(payload, language)
    try:
        first = _(first_id) % values
    except (KeyError, ValueError, TypeError):
        first = _(_OTHER[1])
    todo = _(todo_id)
    where_label, where = (_(_LINK_LINE), link) if link else (_(_SITE_LINE), site)
    text = f"{first}\n\n{todo}\n\n{where_label}\n{where}\n\n-- \n{_(_NO_REPLY)}\n"
    url = html.escape(where, quote=True)
    body = (
        f"<p>{html.escape(first)}</p>\n<p>{html.escape(todo)}</p>\n"
        f'<p>{html.escape(where_label)}<br><a href="{url}" dir="ltr">{html.escape(where)}</a></p>\n'
        f"<p><small>{html.escape(_(_NO_REPLY))}</small></p>\n"
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="{language}" dir="{direction(language)}">'
        '<head><meta charset="utf-8">'
        f"<title>{html.escape(_(subject_id))}</title></head>\n<body>\n{body}</body></html>\n"
    )
    sms = f"{first} {where}".strip()
    return Composed(subject=_(subject_id), text=text, html=page, sms=sms, attachments=attachments)
