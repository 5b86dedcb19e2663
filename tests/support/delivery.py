"""Real servers for delivery tests: an SMTP server (aiosmtpd) and an HTTP server speaking
46elks' SMS API, both on 127.0.0.1 at a free port, each able to stop and come back."""

from __future__ import annotations

import base64
import shutil
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.api import free_port

READY_TIMEOUT = 300.0  # a bound on a hang: a server may take long to start on a loaded machine
REFUSED_MAILBOX = "bounce"  # addresses starting with this get 550 at RCPT
REFUSED_NUMBER_END = "0000"  # numbers ending with this get 400 from the gateway
SMS_USER, SMS_PASSWORD = "u-test", "p-test"


class Inbox:
    """The aiosmtpd handler: keeps every message accepted; refuses `bounce...` mailboxes."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.startswith(REFUSED_MAILBOX):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.original_content, policy=default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if m["To"] == address]


class Credentials:
    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            self.user,
            self.password,
        )
        return AuthResult(success=ok)


class MailServer:
    """An aiosmtpd server on a fixed free port that can be stopped and started again."""

    def __init__(self, tls: ssl.SSLContext | None = None, auth: Credentials | None = None):
        self.inbox = Inbox()
        self.port = free_port()
        self.tls = tls
        self.auth = auth
        self.controller: Controller | None = None

    def start(self) -> None:
        extra: dict[str, Any] = {}
        if self.tls is not None:
            extra = {"tls_context": self.tls, "require_starttls": True}
        if self.auth is not None:
            extra |= {"authenticator": self.auth, "auth_require_tls": True}
        self.controller = Controller(
            self.inbox,
            hostname="127.0.0.1",
            port=self.port,
            ready_timeout=READY_TIMEOUT,
            **extra,
        )
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def url(self, **query: str) -> str:
        scheme = "smtp://u:p@" if self.auth else "smtp://"
        tail = "&".join(f"{k}={v}" for k, v in (query or {"tls": "none"}).items())
        return f"{scheme}127.0.0.1:{self.port}?{tail}"


@contextmanager
def mail_server(**options: Any) -> Iterator[MailServer]:
    server = MailServer(**options)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def self_signed(directory: Path) -> tuple[ssl.SSLContext, Path]:
    """A certificate for 127.0.0.1 made with the openssl command: the server's TLS context
    and the file a client trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
        + ["-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, cert


class SmsGateway:
    """An HTTP server speaking 46elks' `POST /a1/sms` (form fields from/to/message, basic
    auth), dropping a repeated Idempotency-Key as 46elks would drop a duplicate."""

    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.keys: set[str] = set()
        self.lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[-1] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                expected = base64.b64encode(f"{SMS_USER}:{SMS_PASSWORD}".encode()).decode()
                if self.path != "/a1/sms":
                    return self._answer(404, "Not found")
                if self.headers.get("Authorization") != f"Basic {expected}":
                    return self._answer(401, "Authorization required")
                if form.get("to", "").endswith(REFUSED_NUMBER_END):
                    return self._answer(400, "Invalid to number")
                with gateway.lock:
                    key = self.headers.get("Idempotency-Key", "")
                    if key not in gateway.keys:
                        gateway.keys.add(key)
                        gateway.received.append(form)
                self._answer(200, '{"status": "created"}')
                return None

            def _answer(self, code: int, body: str) -> None:
                data = body.encode()
                self.send_response(code)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/a1/sms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmsGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
