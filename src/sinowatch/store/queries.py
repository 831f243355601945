"""Read queries for digests, export and status, and the delivery ledger's writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, Row, and_, func, insert, not_, select

from sinowatch.models import EntityRef, StoredArticle, Story
from sinowatch.store import schema as t
from sinowatch.store.db import Store

BATCH = 500


def _article(row: Row, entities: dict[int, list[EntityRef]]) -> StoredArticle:
    published = datetime.fromisoformat(row.published) if row.published else None
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    return StoredArticle(id=row.id, url=row.url, source=row.source, outlet=row.outlet, title=row.title,
                         body=row.body, published=published, status=row.status, duplicate_of=row.duplicate_of,
                         story_id=row.story_id, relevance=row.relevance, on_topic=row.on_topic,
                         created_at=created, entities=entities.get(row.id, []))


def _entities(conn: Connection, ids: Sequence[int]) -> dict[int, list[EntityRef]]:
    c = t.article_entities.c
    out: dict[int, list[EntityRef]] = defaultdict(list)
    for start in range(0, len(ids), BATCH):
        rows = conn.execute(select(c.article_id, c.entity_id, c.count, c.salience, c.in_headline)
                            .where(c.article_id.in_(ids[start:start + BATCH]))
                            .order_by(c.article_id, c.salience.desc()))
        for r in rows:
            out[r.article_id].append(EntityRef(r.entity_id, r.count, r.salience, r.in_headline))
    return out


def undelivered_stories(store: Store, subscription: str, since: datetime | None) -> list[Story]:
    """Every on-topic story cluster with an article stored after `since` that this subscription has not had."""
    a = t.articles.c
    delivered = select(t.deliveries.c.story_id).where(t.deliveries.c.subscription == subscription)
    conds = [a.on_topic.is_(True), a.story_id.is_not(None), not_(a.story_id.in_(delivered))]
    if since is not None:
        conds.append(a.created_at >= since)
    with store.read() as conn:
        story_ids = sorted(set(conn.execute(select(a.story_id).where(and_(*conds))).scalars()))
        rows = []
        for start in range(0, len(story_ids), BATCH):
            rows += conn.execute(select(t.articles).where(a.story_id.in_(story_ids[start:start + BATCH]))
                                 .order_by(a.id)).all()
        entities = _entities(conn, [r.id for r in rows])
    members: dict[int, list[StoredArticle]] = defaultdict(list)
    for row in rows:
        members[row.story_id].append(_article(row, entities))
    return [_story(arts) for arts in members.values() if arts]


def _story(articles: list[StoredArticle]) -> Story:
    """The best article heads the story: a dated one, the earliest published (the original, whichever
    copy was fetched first), then the first-seen original, then the longer text."""
    def rank(x: StoredArticle) -> tuple[int, float, int, int, int]:
        when = x.published.timestamp() if x.published else 0.0
        return (x.published is not None, -when, x.status == "new", len(x.body), -x.id)
    ordered = sorted(articles, key=rank, reverse=True)
    return Story(head=ordered[0], others=ordered[1:])


def last_digest_at(store: Store, subscription: str) -> datetime | None:
    d = t.digests.c
    with store.read() as conn:
        value = conn.execute(select(d.created_at).where(and_(d.subscription == subscription, d.status == "sent"))
                             .order_by(d.created_at.desc()).limit(1)).scalar()
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def record_digest(store: Store, *, subscription: str, period: str, message_id: str, story_ids: Sequence[int],
                  sent: bool, error: str | None = None) -> None:
    """Close a digest: on success the ledger rows are written in the same transaction."""
    stamp = datetime.now(UTC)
    with store.transaction() as tx:
        d = t.digests.c
        existing = tx.conn.execute(select(d.id).where(d.message_id == message_id)).scalar()
        values = dict(subscription=subscription, period=period, message_id=message_id, created_at=stamp,
                      sent_at=stamp if sent else None, stories=len(story_ids), status="sent" if sent else "failed",
                      error=error)
        if existing is None:
            digest_id = tx.conn.execute(insert(t.digests).values(**values)).inserted_primary_key[0]
        else:
            digest_id = existing
            tx.conn.execute(t.digests.update().where(d.id == existing).values(**values))
        if sent and story_ids:
            tx.conn.execute(insert(t.deliveries), [dict(subscription=subscription, story_id=s, digest_id=digest_id,
                                                        delivered_at=stamp) for s in story_ids])


def iter_articles(store: Store, since: datetime | None = None) -> Iterator[StoredArticle]:
    """Every stored article with its entities, oldest first, read in batches."""
    a = t.articles.c
    last = 0
    while True:
        with store.read() as conn:
            query = select(t.articles).where(a.id > last).order_by(a.id).limit(BATCH)
            if since is not None:
                query = query.where(a.created_at >= since)
            rows = conn.execute(query).all()
            entities = _entities(conn, [r.id for r in rows])
        if not rows:
            return
        for row in rows:
            yield _article(row, entities)
        last = rows[-1].id


def daily_counts(store: Store, days: int = 7) -> list[tuple[str, int]]:
    a = t.articles.c
    with store.read() as conn:
        rows = conn.execute(select(a.created_at).order_by(a.created_at.desc()).limit(50_000)).scalars()
        counts: dict[str, int] = defaultdict(int)
        for created in rows:
            counts[created.date().isoformat()] += 1
    return sorted(counts.items(), reverse=True)[:days]


def entity_mentions(store: Store, start: datetime, end: datetime) -> dict[str, int]:
    """Mentions per entity in on-topic originals stored in [start, end): the digest's trend chart.
    Copies are left out: a story syndicated five times is one story's worth of mentions."""
    a, e = t.articles.c, t.article_entities.c
    with store.read() as conn:
        rows = conn.execute(select(e.entity_id, func.sum(e.count)).join(t.articles, a.id == e.article_id)
                            .where(a.on_topic.is_(True), a.status == "new", a.created_at >= start,
                                   a.created_at < end)
                            .group_by(e.entity_id))
        return {entity: int(n) for entity, n in rows}


def digest_history(store: Store, limit: int = 10) -> list[dict[str, object]]:
    """The latest digests, newest first: subscription, period, stories, sent or failed (and why)."""
    d = t.digests.c
    with store.read() as conn:
        rows = conn.execute(select(d.subscription, d.period, d.created_at, d.sent_at, d.stories, d.status, d.error)
                            .order_by(d.created_at.desc()).limit(limit))
        return [dict(r._mapping) for r in rows]
