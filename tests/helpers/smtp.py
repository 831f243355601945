"""An aiosmtpd server on loopback that keeps what it receives; recipients can be refused on demand."""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


@dataclass
class SmtpSink:
    host: str
    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # address -> "550 ..." reply
    fail_data: list[str] = field(default_factory=list)  # replies to give to the next DATA commands, in order
    data_attempts: int = 0
    logins: list[str] = field(default_factory=list)

    def parsed(self) -> list[EmailMessage]:
        return [m for _, m in self.messages]


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:  # noqa: N802
        if address in self.sink.refuse:
            return self.sink.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.sink.data_attempts += 1
        if self.sink.fail_data:
            return self.sink.fail_data.pop(0)
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        self.sink.messages.append((list(envelope.rcpt_tos), msg))  # type: ignore[arg-type]
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_sink(users: dict[str, str] | None = None, tls: ssl.SSLContext | None = None,
              implicit_tls: bool = False) -> Iterator[SmtpSink]:
    """A sink on a free loopback port; with `users`, AUTH is required; with `tls`, STARTTLS is required
    (or, with implicit_tls, the whole connection is TLS as on port 465)."""
    sink = SmtpSink("127.0.0.1", free_port())
    auth: dict[str, Any] = {}
    if tls is not None:
        auth.update({"ssl_context": tls} if implicit_tls else {"tls_context": tls, "require_starttls": True})
    if users:
        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            login, password = data.login.decode(), data.password.decode()
            if users.get(login) == password:
                sink.logins.append(login)
                return AuthResult(success=True)
            return AuthResult(success=False, handled=False)
        auth.update({"authenticator": authenticate, "auth_require_tls": False, "auth_required": True})
    controller = Controller(_Handler(sink), hostname=sink.host, port=sink.port, **auth)
    controller.start()  # AUTH without TLS warns; pyproject's filterwarnings lets that one through
    try:
        yield sink
    finally:
        controller.stop()
