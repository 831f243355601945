"""The digest as a MIME message, and its delivery over SMTP (STARTTLS, implicit TLS, AUTH)."""

from __future__ import annotations

import hashlib
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, parseaddr

from sinowatch.config import SmtpSettings
from sinowatch.errors import DeliveryError


@dataclass(frozen=True)
class SendResult:
    """Who the server accepted the message for, and who it refused for good."""

    accepted: list[str]
    refused: dict[str, str]


def message_id(subscription: str, period: str, sender: str, story_ids: Sequence[int] = ()) -> str:
    """Stable per (subscription, period, stories): a resend after a crash is recognisably the same message,
    while a second digest in the same period (new stories) is a different one."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "sinowatch.localhost"
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in f"{subscription}.{period}")
    stories = hashlib.blake2b(",".join(map(str, sorted(story_ids))).encode(), digest_size=5).hexdigest()
    return f"<digest.{safe}.{stories}@{domain}>"


def build_message(*, subject: str, html: str, text: str, sender: str, to: Sequence[str], msg_id: str,
                  date: datetime, unsubscribe: str | None = None) -> EmailMessage:
    """multipart/alternative (text, then HTML), Korean subject RFC 2047-encoded by the SMTP policy."""
    msg = EmailMessage(policy=SMTP)
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = sender
    msg["To"] = ", ".join(to)
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = msg_id
    msg["MIME-Version"] = "1.0"
    if unsubscribe:
        msg["List-Unsubscribe"] = f"<{unsubscribe}>"
    msg.set_content(text, subtype="plain", charset="utf-8")
    msg.add_alternative(html, subtype="html", charset="utf-8")
    return msg


def send(msg: EmailMessage, settings: SmtpSettings, sleep: Callable[[float], None] = time.sleep) -> SendResult:
    """Hand the message to the server, retrying transient failures with backoff; raises DeliveryError
    (transient or not) when nobody got it."""
    for attempt in range(settings.retries + 1):
        try:
            return _send_once(msg, settings)
        except DeliveryError as exc:
            if not exc.transient or attempt == settings.retries:
                raise
            sleep(settings.backoff * 2 ** attempt)
    raise AssertionError("unreachable")


def _send_once(msg: EmailMessage, settings: SmtpSettings) -> SendResult:
    recipients = [a.strip() for a in str(msg["To"]).split(",") if a.strip()]
    try:
        client = _connect(settings)
        try:
            refused = client.send_message(msg, to_addrs=recipients)
        finally:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                pass
    except smtplib.SMTPRecipientsRefused as exc:
        raise DeliveryError(f"every recipient was refused: {_codes(exc.recipients)}", transient=_all_transient(
            exc.recipients)) from None
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"the mail server answered {exc.smtp_code}: {_text(exc.smtp_error)}",
                            transient=400 <= exc.smtp_code < 500) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"cannot reach the mail server at {settings.host}:{settings.port}: {exc}") from None
    return SendResult([r for r in recipients if r not in refused],
                      {r: f"{code} {_text(err)}" for r, (code, err) in refused.items()})


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
    if settings.ssl:
        client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout,
                                                context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.starttls:
            client.starttls(context=context)
    if settings.username:
        client.login(settings.username, settings.password or "")
    return client


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _codes(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{r}: {code} {_text(err)}" for r, (code, err) in recipients.items())


def _all_transient(recipients: dict[str, tuple[int, bytes]]) -> bool:
    return all(400 <= code < 500 for code, _ in recipients.values())


__all__ = ["SendResult", "build_message", "message_id", "send"]
