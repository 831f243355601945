"""Queries inside one write transaction: identity look-ups and the article insert."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import (Connection, Select, and_, bindparam, delete, func, insert, select,
                        union_all, update)
from sqlalchemy.dialects import postgresql, sqlite

from sinowatch.models import Article, EntityHit, Status
from sinowatch.store import schema as t

MAX_CANDIDATES = 20
EVENT_POSTINGS = 50  # an entity's mentions read on each side of a new report's time (event_candidates)

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
_OPEN_AT = select(_a.published_at, _a.on_topic, _a.status).where(_a.id == bindparam("aid"))
_DELETE_ENTITIES = delete(t.article_entities).where(t.article_entities.c.article_id == bindparam("aid"))
_INSERT_ENTITIES = insert(t.article_entities)
_INSERT_URLS = {name: dialect.insert(t.article_urls).on_conflict_do_nothing()
                for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))}


_e = t.article_entities.c
_SALIENCES = select(_e.article_id, _e.entity_id, _e.salience).where(_e.article_id.in_(bindparam("ids", expanding=True)),
                                                                   _e.salience >= bindparam("least"))
_REPORTS = select(_a.id, _a.story_id, _a.title, func.substr(_a.body, 1, 600).label("lead"), _a.published).where(
    _a.id.in_(bindparam("ids", expanding=True)))


@cache
def _event_query(entities: int, dated: bool) -> Select[tuple[int, int]]:
    """Tx.event_candidates' look-up for `entities` entity ids (:e0, :e1, ...), built once per shape.

    Dated: each entity's mentions by open stories between :lo and :hi, at most EVENT_POSTINGS on each side of
    :when, nearest first, read off one index (schema.article_entities). Undated: the entity's mentions by
    open stories stored since :since."""
    arms: list[Select[tuple[int]]] = []
    for i in range(entities):
        entity = and_(_e.entity_id == bindparam(f"e{i}"), _e.open_story.is_(True))
        if not dated:
            arms.append(select(_e.article_id).where(entity))
            continue
        after = (select(_e.article_id).where(entity, _e.published_at >= bindparam("when"),
                                              _e.published_at <= bindparam("hi"))
                 .order_by(_e.published_at).limit(EVENT_POSTINGS))
        before = (select(_e.article_id).where(entity, _e.published_at >= bindparam("lo"),
                                               _e.published_at < bindparam("when"))
                  .order_by(_e.published_at.desc()).limit(EVENT_POSTINGS))
        arms += [select(side.c.article_id) for side in (after.subquery(), before.subquery())]
    postings = union_all(*arms).subquery()
    if dated:
        shared = select(postings.c.article_id, func.count().label("n")).group_by(postings.c.article_id)
    else:
        shared = (select(postings.c.article_id, func.count().label("n"))
                  .join(t.articles, _a.id == postings.c.article_id).where(_a.created_at >= bindparam("since"))
                  .group_by(postings.c.article_id))
    return shared.order_by(func.count().desc(), postings.c.article_id.desc()).limit(bindparam("limit"))


@cache
def _insert_bands(n: int, placeholder: str) -> str:
    """All n band rows of one article in one statement: one round trip to PostgreSQL, not n. Driver SQL
    (sqlite3 takes `?`, psycopg `%s`): its 2n plain integers need none of SQLAlchemy's parameter
    processing, which cost more than SQLite's inserting them (bench/pipeline.py, py-spy)."""
    rows = ", ".join(f"({placeholder}, {placeholder}, {i})" for i in range(n))
    return f"INSERT INTO lsh_bands (key, article_id, band) VALUES {rows}"


class Tx:
    """A transaction's view of the archive. Unique constraints make racing writers fail, not duplicate."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.inserted = 0  # articles this transaction stored (the Store keeps planner statistics by it)

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
                         limit: int = MAX_CANDIDATES) -> list[int]:
        """On-topic originals near in time that share entities with a new report, most shared entities first
        (their stories, titles and entities: event_reports).

        Each entity's open stories are read off one index (entity, open_story, published_at, article_id), at
        most EVENT_POSTINGS on each side of the report's time, the nearest first (undated reports: those
        stored within the window): the cost is bounded however many reports a busy week holds
        (a 72-hour window of "중국" or "AI" held thousands in bench/pipeline.py, and PostgreSQL spent 27 ms
        a report grouping them), while a rarer entity's few mentions are all read."""
        keys = list(dict.fromkeys(entity_ids))
        if not keys:
            return []
        window = timedelta(hours=hours)
        params: dict[str, object] = {f"e{i}": k for i, k in enumerate(keys)} | {"limit": limit}
        if around is None:
            params["since"] = datetime.now(UTC) - window
        else:
            when = around.astimezone(UTC)
            params |= {"lo": when - window, "when": when, "hi": when + window}
        return [r[0] for r in self.conn.execute(_event_query(len(keys), around is not None), params)]

    def event_reports(self, ids: Sequence[int], least: float = 0.0) -> list[tuple[int, int, str, str, datetime | None,
                                                                                 dict[str, float]]]:
        """Stored reports as the same-event test reads them: (id, story, title, lead, published, {entity:
        salience}), entities with a salience below `least` left out."""
        if not ids:
            return []
        rows = self.conn.execute(_REPORTS, {"ids": list(ids)}).all()
        saliences: dict[int, dict[str, float]] = {r[0]: {} for r in rows}
        for article_id, entity_id, salience in self.conn.execute(_SALIENCES, {"ids": list(saliences), "least": least}):
            saliences[article_id][entity_id] = salience
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
        self.inserted += 1
        story = self.story_of(duplicate_of) if duplicate_of else story_id or article_id
        self.conn.execute(_SET_STORY, {"aid": article_id, "story": story})
        self.add_urls(article_id, [a.url, *urls])
        if status is Status.NEW:
            self.conn.execute(_INSERT_HASH, {"hash": a.content_hash, "article_id": article_id})
            if sketch is not None:
                self.conn.execute(_INSERT_SKETCH, {"article_id": article_id, "sketch": sketch})
            if bands:
                sql = _insert_bands(len(bands), "?" if self.conn.dialect.name == "sqlite" else "%s")
                self.conn.exec_driver_sql(sql, tuple(x for key in bands for x in (key, article_id)))
        self._insert_entities(article_id, a.entities, values["published_at"], a.on_topic and status is Status.NEW)
        return article_id

    def set_entities(self, article_id: int, hits: Sequence[EntityHit]) -> None:
        """Replace an article's entity rows (a re-tag after the gazetteer changed writes through here)."""
        self.conn.execute(_DELETE_ENTITIES, {"aid": article_id})
        if hits:
            row = self.conn.execute(_OPEN_AT, {"aid": article_id}).one()
            self._insert_entities(article_id, hits, row.published_at, bool(row.on_topic) and row.status == "new")

    def _insert_entities(self, article_id: int, hits: Sequence[EntityHit], published_at: datetime | None,
                         open_story: bool) -> None:
        if hits:
            self.conn.execute(_INSERT_ENTITIES, [
                dict(article_id=article_id, entity_id=h.entity.id, count=h.count, first_pos=h.first_pos,
                     in_headline=h.in_headline, salience=round(h.salience, 4), published_at=published_at,
                     open_story=open_story,
                     mentions=json.dumps([[m.start, m.end, m.text] for m in h.mentions], ensure_ascii=False))
                for h in hits])

    def set_relevance(self, article_id: int, relevance: float, on_topic: bool) -> None:
        """Re-score an article; its entity rows follow (whether it is an open story may change)."""
        self.conn.execute(update(t.articles).where(_a.id == article_id).values(relevance=relevance, on_topic=on_topic))
        is_open = select(and_(_a.on_topic.is_(True), _a.status == Status.NEW.value)).where(_a.id == article_id)
        self.conn.execute(update(t.article_entities).where(_e.article_id == article_id)
                          .values(open_story=is_open.scalar_subquery()))

    def add_urls(self, article_id: int, urls: Iterable[str]) -> None:
        """Remember more URLs for an article; ones already known are left alone."""
        rows = [{"url": u, "article_id": article_id} for u in dict.fromkeys(u for u in urls if u)]
        if rows:
            self.conn.execute(_INSERT_URLS[self.conn.dialect.name], rows)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(t.http_cache).values(url=url, etag=etag, last_modified=last_modified,
                                                   updated_at=datetime.now(UTC))
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=["url"], set_=dict(etag=etag, last_modified=last_modified, updated_at=datetime.now(UTC))))
