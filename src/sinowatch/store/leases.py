"""Leases for several daemons on one database: a source is fetched by one process at a time, a digest
period is sent by one process. Taken with SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's
BEGIN IMMEDIATE serialises the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, insert, or_, select, update

from sinowatch.store import schema as t
from sinowatch.store.db import Conflict, Store


def claim_due_sources(store: Store, owner: str, names: Sequence[str], *, lease: float, limit: int,
                      now: datetime | None = None) -> list[tuple[str, datetime | None]]:
    """Take up to `limit` of these sources that are due and not leased by a live daemon; lease them.
    Returns (name, when it was due) pairs: the difference to now is the scheduling lag."""
    if limit <= 0 or not names:
        return []
    now = now or datetime.now(UTC)
    c = t.sources.c
    query = (select(c.name, c.next_fetch_at).where(c.name.in_(list(names)), c.disabled_reason.is_(None),
                                  or_(c.next_fetch_at.is_(None), c.next_fetch_at <= now),
                                  or_(c.lease_until.is_(None), c.lease_until < now))
             .order_by(c.next_fetch_at.is_not(None), c.next_fetch_at, c.name).limit(limit))
    with store.transaction() as tx:
        if tx.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        claimed = [(r.name, _aware(r.next_fetch_at)) for r in tx.conn.execute(query)]
        if claimed:
            tx.conn.execute(update(t.sources).where(c.name.in_([name for name, _ in claimed]))
                            .values(lease_owner=owner, lease_until=now + timedelta(seconds=lease)))
    return claimed


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def release_source(store: Store, name: str, owner: str) -> None:
    c = t.sources.c
    with store.transaction() as tx:
        tx.conn.execute(update(t.sources).where(and_(c.name == name, c.lease_owner == owner))
                        .values(lease_owner=None, lease_until=None))


def next_due(store: Store, names: Sequence[str]) -> datetime | None:
    """When the earliest of these sources is due (None: one is due now or never fetched)."""
    c = t.sources.c
    with store.read() as conn:
        rows = list(conn.execute(select(c.next_fetch_at).where(c.name.in_(list(names)),
                                                               c.disabled_reason.is_(None))).scalars())
    if not rows or any(r is None for r in rows):
        return None
    return min(_aware(r) for r in rows)  # type: ignore[type-var]


def claim_digest(store: Store, subscription: str, period: str, owner: str) -> bool:
    """True for the one daemon that gets to send this subscription's digest for this period."""
    try:
        with store.transaction() as tx:
            tx.conn.execute(insert(t.digest_claims).values(subscription=subscription, period=period, owner=owner,
                                                           claimed_at=datetime.now(UTC)))
    except Conflict:
        return False
    return True


def forget_claims(store: Store, older_than: timedelta) -> int:
    """Housekeeping: digest claims are only needed while a period can still fire."""
    c = t.digest_claims.c
    with store.transaction() as tx:
        return tx.conn.execute(delete(t.digest_claims)
                               .where(c.claimed_at < datetime.now(UTC) - older_than)).rowcount or 0
