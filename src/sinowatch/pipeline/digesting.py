"""Digests chained: select a subscription's new stories, render, send, and close the ledger."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from sinowatch.config import Subscription
from sinowatch.digest import mail, render, select
from sinowatch.errors import DeliveryError
from sinowatch.pipeline.core import Context
from sinowatch.store import queries

FIRST_DIGEST_LOOKBACK = timedelta(days=7)


@dataclass
class DigestOutcome:
    """What one digest run did."""

    subscription: str
    stories: int
    sent: bool = False
    files: list[Path] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    message_id: str | None = None
    subject: str | None = None


def run_digest(ctx: Context, sub: Subscription, *, dry_run: bool = False, out_dir: Path | None = None,
               now: datetime | None = None, everything: bool = False) -> DigestOutcome:
    """Build the subscription's digest; send it and record the ledger unless `dry_run` (then write files).

    `everything` ignores the since-last-digest window (the demo shows every undelivered story).
    """
    now = now or datetime.now(UTC)
    since = None if everything else queries.last_digest_at(ctx.store, sub.name) or now - FIRST_DIGEST_LOOKBACK
    stories = select.choose(queries.undelivered_stories(ctx.store, sub.name, since), sub, ctx.entities)
    outcome = DigestOutcome(sub.name, len(stories))
    if not stories and not sub.send_empty and not dry_run:
        return outcome
    local = now.astimezone(ZoneInfo(sub.timezone))
    period = local.strftime("%Y-%m-%d")
    start = since or min((s.head.created_at for s in stories), default=now - FIRST_DIGEST_LOOKBACK)
    mentions = queries.entity_mentions(ctx.store, start, now)
    previous = queries.entity_mentions(ctx.store, start - (now - start), start)
    view = render.build_view(stories, subscription=sub.name, period=period, now=now, timezone=sub.timezone,
                             entities=ctx.entities, failing=_failing(ctx), mentions=mentions, previous=previous)
    subject, html, text = render.render(view, render.environment(sub.templates or ctx.settings.templates_dir))
    shown = [s.head.story_id or s.head.id for s in stories[:len(view.entries)]]
    msg_id = mail.message_id(sub.name, period, ctx.settings.smtp.sender, shown)
    message = mail.build_message(subject=subject, html=html, text=text, sender=ctx.settings.smtp.sender,
                                 to=sub.to, msg_id=msg_id, date=now,
                                 unsubscribe=f"mailto:{_address(ctx.settings.smtp.sender)}?subject=unsubscribe%20{sub.name}")
    outcome.message_id, outcome.subject = msg_id, subject
    if dry_run:
        outcome.files = write_files(message, html, text, out_dir or ctx.settings.out_dir, f"digest-{sub.name}")
        return outcome
    try:
        result = mail.send(message, ctx.settings.smtp)
        _fault_point("digest:after-send")
    except DeliveryError as exc:
        queries.record_digest(ctx.store, subscription=sub.name, period=period, message_id=msg_id,
                              story_ids=shown, sent=False, error=exc.message)
        raise
    queries.record_digest(ctx.store, subscription=sub.name, period=period, message_id=msg_id, story_ids=shown,
                          sent=True, error="; ".join(f"{r}: {e}" for r, e in result.refused.items()) or None)
    outcome.sent, outcome.refused = True, result.refused
    return outcome


def write_files(message: EmailMessage, html: str, text: str, out_dir: Path, stem: str) -> list[Path]:
    """The digest as `.html`, `.txt` and `.eml` files."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [out_dir / f"{stem}.html", out_dir / f"{stem}.txt", out_dir / f"{stem}.eml"]
    files[0].write_text(html, encoding="utf-8")
    files[1].write_text(text, encoding="utf-8")
    files[2].write_bytes(message.as_bytes())
    return files


def _failing(ctx: Context) -> list[dict[str, object]]:
    rows = []
    for row in ctx.store.source_rows():
        if row["consecutive_failures"]:
            since = row["failing_since"]
            rows.append({"name": row["name"], "kind": row["last_error_kind"] or "", "failures":
                         row["consecutive_failures"],
                         "since": since.strftime("%Y-%m-%d %H:%M") if isinstance(since, datetime) else ""})
    return rows


def _fault_point(name: str) -> None:
    """Crash here when SINOWATCH_FAULT names this point: lets tests kill the process between two steps."""
    if os.environ.get("SINOWATCH_FAULT") == name:
        os._exit(75)


def _address(sender: str) -> str:
    from email.utils import parseaddr

    return parseaddr(sender)[1] or "sinowatch@localhost"
