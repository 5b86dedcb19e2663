"""Notices by e-mail over SMTP (standard library `smtplib` and `email`).

Configured by one URL (`WAITLIST_SMTP_URL`):

- `smtp://user:password@host:587`: STARTTLS, required (a server that does not offer it is
  not sent to), then AUTH when a user is given;
- `smtps://user:password@host:465`: TLS from the first byte;
- `smtp://host:25?tls=none`: no encryption, only for a relay on the same machine or network
  (AUTH is then refused: a password is never sent in clear);
- `?cafile=/path/ca.pem` trusts a private certificate authority; `?timeout=20` (seconds).

A message is plain text plus HTML (multipart/alternative), in the parent's language, with the
outbox id as its Message-ID, so a receiving system that sees it twice can drop the second.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from urllib.parse import parse_qs, unquote, urlsplit

from sqlmodel import Session

from waitlist.domain.errors import InvalidInput
from waitlist.services.notice_texts import compose
from waitlist.services.outbox import DeliveryFailed, Notice

SECURITY = ("starttls", "tls", "none")
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
FIELD = "WAITLIST_SMTP_URL"


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str = "starttls"  # starttls | tls | none
    username: str = ""
    password: str = ""
    cafile: str | None = None
    timeout: float = 20.0


def parse_smtp_url(url: str) -> SmtpConfig:
    """`smtp[s]://[user[:password]@]host[:port][?tls=none&cafile=...&timeout=...]`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise InvalidInput(f"{FIELD} must look like smtp://user:password@host:587", field=FIELD)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    security = "tls" if parts.scheme == "smtps" else query.get("tls", "starttls")
    if security not in SECURITY or (parts.scheme == "smtps" and "tls" in query):
        raise InvalidInput(f"{FIELD}: tls= must be starttls or none, or left out", field=FIELD)
    username = unquote(parts.username or "")
    if username and security == "none":
        raise InvalidInput(f"{FIELD}: a password is never sent without TLS", field=FIELD)
    try:
        port = parts.port or DEFAULT_PORTS[security]
        timeout = float(query.get("timeout", "20"))
    except ValueError as exc:
        raise InvalidInput(f"{FIELD}: port and timeout must be numbers", field=FIELD) from exc
    if timeout <= 0:
        raise InvalidInput(f"{FIELD}: timeout must be above 0", field=FIELD)
    return SmtpConfig(
        host=parts.hostname,
        port=port,
        security=security,
        username=username,
        password=unquote(parts.password or ""),
        cafile=query.get("cafile"),
        timeout=timeout,
    )


def message_id(outbox_id: int, domain: str) -> str:
    return f"<outbox-{outbox_id}@{domain}>"


def build_message(notice: Notice, mail_from: str, site: str = "") -> EmailMessage:
    """The notice as a mail: plain text and HTML, attachments, the outbox id as Message-ID."""
    if notice.contact is None:
        raise DeliveryFailed("no contact", permanent=True)
    content = notice.content or compose(notice.kind, {}, notice.language, site=site)
    msg = EmailMessage()
    msg["Subject"] = content.subject
    msg["From"] = mail_from
    msg["To"] = notice.contact.strip()
    msg["Date"] = formatdate(localtime=False, usegmt=True)
    msg["Message-ID"] = message_id(notice.outbox_id, mail_from.rpartition("@")[2].strip(" >"))
    msg["Content-Language"] = notice.language
    msg["Auto-Submitted"] = "auto-generated"  # no out-of-office replies
    msg.set_content(content.text)
    msg.add_alternative(content.html, subtype="html")
    for item in content.attachments:
        maintype, _, subtype = item.mime_type.partition("/")
        msg.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    return msg


class SmtpSender:
    """Sends each notice in its own SMTP session (a failure never spoils the next one)."""

    def __init__(self, config: SmtpConfig, mail_from: str) -> None:
        self.config = config
        self.mail_from = mail_from

    def _connect(self) -> smtplib.SMTP:
        c = self.config
        context = ssl.create_default_context(cafile=c.cafile)
        if c.security == "tls":
            return smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=context)
        smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
        if c.security == "starttls":
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                smtp.close()
                raise DeliveryFailed("smtp server offers no STARTTLS")
            smtp.starttls(context=context)
        return smtp

    def send(self, notice: Notice, session: Session) -> None:
        msg = build_message(notice, self.mail_from)
        try:
            with self._connect() as smtp:
                if self.config.username:
                    smtp.login(self.config.username, self.config.password)
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            code = codes[0] if codes else 0
            raise DeliveryFailed(
                f"smtp {code} recipient refused", contact_refused=code >= 500
            ) from None
        except smtplib.SMTPResponseException as exc:
            # A refused message (5xx after DATA) will be refused again; a refused login or
            # sender is a setting to fix, tried again until the settings are right.
            permanent = isinstance(exc, smtplib.SMTPDataError) and exc.smtp_code >= 500
            raise DeliveryFailed(
                f"smtp {exc.smtp_code} {type(exc).__name__}", permanent=permanent
            ) from None
        except (smtplib.SMTPException, OSError) as exc:  # down, refused, timed out, TLS
            raise DeliveryFailed(f"smtp unavailable ({type(exc).__name__})") from None
