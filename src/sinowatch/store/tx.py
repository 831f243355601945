"""Queries inside one write transaction: identity look-ups and the article insert."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Connection, TextClause, bindparam, delete, func, insert, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from sinowatch.models import Article, EntityHit, Status
from sinowatch.store import schema as t

MAX_CANDIDATES = 20

# The statements of the per-article path, built once: building a statement costs more than SQLite takes
# to run it (the compiled form is cached by SQLAlchemy either way).
_a, _u, _b = t.articles.c, t.article_urls.c, t.lsh_bands.c
_BY_URLS = select(_u.article_id).where(_u.url.in_(bindparam("urls", expanding=True))).limit(1)
_BY_HASH = select(t.content_hashes.c.article_id).where(t.content_hashes.c.hash == bindparam("hash"))
_SHARED = (select(_b.article_id.label("article_id"), func.count().label("n"))
           .where(_b.key.in_(bindparam("keys", expanding=True)))
           .group_by(_b.article_id).order_by(func.count().desc(), _b.article_id).limit(MAX_CANDIDATES)
           .subquery())
_s = t.sketches.c
# Each candidate's sketch by a correlated look-up, not a join: a join let PostgreSQL's planner hash the whole
# sketches table while its statistics still called it small (bench/pipeline.py: 2.2x SQLite's time).
_SKETCH_OF = select(_s.sketch).where(_s.article_id == _SHARED.c.article_id).scalar_subquery()
_BAND_CANDIDATES = (select(_SHARED.c.article_id.label("id"), _SKETCH_OF.label("sketch"))
                    .order_by(_SHARED.c.n.desc(), _SHARED.c.article_id))
_BODIES = select(_a.id, _a.body).where(_a.id.in_(bindparam("ids", expanding=True)))
_STORY_OF = select(_a.story_id).where(_a.id == bindparam("aid"))
_SET_STORY = update(t.articles).where(_a.id == bindparam("aid")).values(story_id=bindparam("story"))
_INSERT_ARTICLE = insert(t.articles)
_INSERT_HASH = insert(t.content_hashes)
_INSERT_SKETCH = insert(t.sketches)
_PUBLISHED_AT = select(_a.published_at).where(_a.id == bindparam("aid"))
_DELETE_ENTITIES = delete(t.article_entities).where(t.article_entities.c.article_id == bindparam("aid"))
_INSERT_ENTITIES = insert(t.article_entities)
_INSERT_URLS = {name: dialect.insert(t.article_urls).on_conflict_do_nothing()
                for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


@cache
def _insert_bands(n: int) -> TextClause:
    """All n band rows of one article in one statement: one round trip to PostgreSQL, not n."""
    rows = ", ".join(f"(:k{i}, :aid, {i})" for i in range(n))
    return text(f"INSERT INTO lsh_bands (key, article_id, band) VALUES {rows}")


class Tx:
    """A transaction's view of the archive. Unique constraints make racing writers fail, not duplicate."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def article_by_urls(self, urls: Iterable[str]) -> int | None:
        urls = [u for u in urls if u]
        return self.conn.execute(_BY_URLS, {"urls": urls}).scalar() if urls else None

    def article_by_hash(self, content_hash: str) -> int | None:
        return self.conn.execute(_BY_HASH, {"hash": content_hash}).scalar()

    def band_candidates(self, keys: Sequence[int]) -> list[tuple[int, bytes | None]]:
        """Stored articles sharing LSH bands with `keys`, most shared bands first, with their MinHash
        sketches (so unlikely ones are dropped before any body is read; None if it has none): never a scan."""
        if not keys:
            return []
        return [(r.id, r.sketch) for r in self.conn.execute(_BAND_CANDIDATES, {"keys": list(keys)})]

    def bodies(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        return {r.id: r.body for r in self.conn.execute(_BODIES, {"ids": list(ids)})}

    def event_candidates(self, entity_ids: Sequence[str], around: datetime | None, hours: int,
                         limit: int = MAX_CANDIDATES) -> list[tuple[int, int, str, str, datetime | None,
                                                                    dict[str, float]]]:
        """On-topic originals near in time that share entities with a new report: (id, story, title, lead,
        published, {entity: salience}), most shared entities first. Read through (entity, published_at), so
        the cost follows the window, not the archive."""
        if not entity_ids:
            return []
        a, e = t.articles.c, t.article_entities.c
        window = timedelta(hours=hours)
        query = (select(a.id.label("article_id"), func.count().label("n")).join(t.article_entities, e.article_id == a.id)
                 .where(e.entity_id.in_(list(entity_ids)), a.on_topic.is_(True), a.status == Status.NEW.value))
        if around is not None:
            when = around.astimezone(UTC)
            query = query.where(e.published_at.between(when - window, when + window))
        else:
            query = query.where(a.created_at >= datetime.now(UTC) - window)
        shared = query.group_by(a.id).order_by(func.count().desc(), a.id.desc()).limit(limit).subquery()
        rows = self.conn.execute(select(a.id, a.story_id, a.title, func.substr(a.body, 1, 600).label("lead"),
                                        a.published).join(shared, shared.c.article_id == a.id)).all()
        if not rows:
            return []
        saliences: dict[int, dict[str, float]] = {r.id: {} for r in rows}
        for r in self.conn.execute(select(e.article_id, e.entity_id, e.salience)
                                   .where(e.article_id.in_(list(saliences)))):
            saliences[r.article_id][r.entity_id] = r.salience
        return [(r.id, r.story_id or r.id, r.title, r.lead, datetime.fromisoformat(r.published) if r.published
                 else None, saliences[r.id]) for r in rows]

    def story_of(self, article_id: int) -> int:
        story = self.conn.execute(_STORY_OF, {"aid": article_id}).scalar()
        return int(story or article_id)

    def insert_article(self, a: Article, *, status: Status, duplicate_of: int | None, similarity: float | None,
                       signature: bytes, sketch: bytes | None, bands: Sequence[int], urls: Iterable[str],
                       story_id: int | None = None) -> int:
        """Insert one article with its URLs, identity rows and entities; raises IntegrityError on a race."""
        stamp = datetime.now(UTC)
        values = dict(
            url=a.url, source=a.source, outlet=a.outlet, title=a.title, body=a.body,
            published=a.published.isoformat() if a.published else None,
            published_at=a.published.astimezone(UTC) if a.published else None,
            updated=a.updated.isoformat() if a.updated else None, author=a.author, fetched_url=a.fetched_url,
            encoding=a.encoding, image=a.image, content_hash=a.content_hash, signature=signature,
            status=status.value, duplicate_of=duplicate_of, similarity=similarity, relevance=a.relevance,
            on_topic=a.on_topic, created_at=stamp)
        article_id = int(self.conn.execute(_INSERT_ARTICLE, values).inserted_primary_key[0])
        story = self.story_of(duplicate_of) if duplicate_of else story_id or article_id
        self.conn.execute(_SET_STORY, {"aid": article_id, "story": story})
        self.add_urls(article_id, [a.url, *urls])
        if status is Status.NEW:
            self.conn.execute(_INSERT_HASH, {"hash": a.content_hash, "article_id": article_id})
            if sketch is not None:
                self.conn.execute(_INSERT_SKETCH, {"article_id": article_id, "sketch": sketch})
            if bands:
                self.conn.execute(_insert_bands(len(bands)), {"aid": article_id, **{f"k{i}": k for i, k in enumerate(bands)}})
        self.set_entities(article_id, a.entities)
        return article_id

    def set_entities(self, article_id: int, hits: Sequence[EntityHit]) -> None:
        """Replace an article's entity rows (a re-tag after the gazetteer changed writes through here too)."""
        self.conn.execute(_DELETE_ENTITIES, {"aid": article_id})
        if hits:
            published_at = self.conn.execute(_PUBLISHED_AT, {"aid": article_id}).scalar()
            self.conn.execute(_INSERT_ENTITIES, [
                dict(article_id=article_id, entity_id=h.entity.id, count=h.count, first_pos=h.first_pos,
                     in_headline=h.in_headline, salience=round(h.salience, 4), published_at=published_at,
                     mentions=json.dumps([[m.start, m.end, m.text] for m in h.mentions], ensure_ascii=False))
                for h in hits])

    def set_relevance(self, article_id: int, relevance: float, on_topic: bool) -> None:
        self.conn.execute(update(t.articles).where(t.articles.c.id == article_id)
                          .values(relevance=relevance, on_topic=on_topic))

    def add_urls(self, article_id: int, urls: Iterable[str]) -> None:
        """Remember more URLs for an article; ones already known are left alone."""
        rows = [{"url": u, "article_id": article_id} for u in dict.fromkeys(u for u in urls if u)]
        if rows:
            self.conn.execute(_INSERT_URLS[self.conn.dialect.name], rows)

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.conn.execute(select(t.http_cache.c.etag, t.http_cache.c.last_modified)
                                .where(t.http_cache.c.url == url)).first()
        return (row.etag, row.last_modified) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(t.http_cache).values(url=url, etag=etag, last_modified=last_modified,
                                                   updated_at=datetime.now(UTC))
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=["url"], set_=dict(etag=etag, last_modified=last_modified, updated_at=datetime.now(UTC))))
