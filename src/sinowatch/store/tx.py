"""Queries inside one write transaction: identity look-ups and the article insert."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import Connection, and_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from sinowatch.models import Article, EntityHit, Status
from sinowatch.store import schema as t
from sinowatch.store.driver import Driver, marks

MAX_CANDIDATES = 20
EVENT_POSTINGS = 50  # an entity's mentions read on each side of a new report's time (event_candidates)

# The per-article path's statements, as driver SQL (driver.py: a tenth of SQLAlchemy's cost per statement).
_BY_URLS = "SELECT article_id FROM article_urls WHERE url IN ({}) LIMIT 1"
_BY_HASH = "SELECT article_id FROM content_hashes WHERE hash = ?"
# Each candidate's sketch by a correlated look-up, not a join: a join let PostgreSQL's planner hash the whole
# sketches table while its statistics still called it small (bench/pipeline.py: 2.2x SQLite's time).
_BAND_CANDIDATES = ("SELECT shared.article_id,"
                    " (SELECT sketch FROM sketches WHERE sketches.article_id = shared.article_id)"
                    " FROM (SELECT article_id, count(*) AS n FROM lsh_bands WHERE \"key\" IN ({})"
                    " GROUP BY article_id ORDER BY count(*) DESC, article_id LIMIT ?) AS shared"
                    " ORDER BY shared.n DESC, shared.article_id")
_BODIES = "SELECT id, body FROM articles WHERE id IN ({})"
_REPORTS = "SELECT id, story_id, title, substr(body, 1, 600), published FROM articles WHERE id IN ({})"
_SALIENCES = ("SELECT article_id, entity_id, salience FROM article_entities WHERE article_id IN ({})"
              " AND salience >= ?")
_STORY_OF = "SELECT story_id FROM articles WHERE id = ?"
_SET_STORY = "UPDATE articles SET story_id = ? WHERE id = ?"
_ARTICLE_COLUMNS = ("url", "source", "outlet", "title", "body", "published", "published_at", "updated", "author",
                    "fetched_url", "encoding", "image", "content_hash", "signature", "status", "duplicate_of",
                    "similarity", "relevance", "on_topic", "created_at", "story_id")
_INSERT_ARTICLE = f"INSERT INTO articles ({', '.join(_ARTICLE_COLUMNS)}) VALUES ({marks(len(_ARTICLE_COLUMNS))})"
_INSERT_URLS = "INSERT INTO article_urls (url, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING"
_INSERT_HASH = "INSERT INTO content_hashes (hash, article_id) VALUES (?, ?)"
_INSERT_SKETCH = "INSERT INTO sketches (article_id, sketch) VALUES (?, ?)"
_OPEN_AT = "SELECT published_at, on_topic, status FROM articles WHERE id = ?"
_DELETE_ENTITIES = "DELETE FROM article_entities WHERE article_id = ?"
_INSERT_ENTITIES = ("INSERT INTO article_entities (article_id, entity_id, count, first_pos, in_headline, salience,"
                    " published_at, open_story, mentions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
_e = t.article_entities.c
_a = t.articles.c


@cache
def _event_query(entities: int, dated: bool) -> str:
    """Tx.event_candidates' look-up for `entities` entity ids, built once per shape.

    Dated: each entity's mentions by open stories between lo and hi, at most EVENT_POSTINGS on each side of
    the report's time, nearest first, read off one index (schema.article_entities). Undated: the entity's
    mentions by open stories stored since a time. Parameters, per entity: dated (entity, True, when, hi, posts,
    entity, True, lo, when, posts), undated (entity, True); then (since,) if undated; then the limit."""
    mentions = "SELECT article_id FROM article_entities WHERE entity_id = ? AND open_story = ?"
    arms: list[str] = []
    for i in range(entities):
        if not dated:
            arms.append(mentions)
            continue
        arms += [f"SELECT article_id FROM ({mentions} AND published_at >= ? AND published_at <= ?"
                 f" ORDER BY published_at LIMIT ?) AS after{i}",
                 f"SELECT article_id FROM ({mentions} AND published_at >= ? AND published_at < ?"
                 f" ORDER BY published_at DESC LIMIT ?) AS before{i}"]
    postings = f"({' UNION ALL '.join(arms)}) AS postings"
    recent = "" if dated else " JOIN articles ON articles.id = postings.article_id WHERE articles.created_at >= ?"
    return (f"SELECT postings.article_id, count(*) FROM {postings}{recent} GROUP BY postings.article_id"
            " ORDER BY count(*) DESC, postings.article_id DESC LIMIT ?")


@cache
def _insert_bands(n: int) -> str:
    """All n band rows of one article in one statement: one round trip to PostgreSQL, not n."""
    return f"INSERT INTO lsh_bands (\"key\", article_id, band) VALUES {', '.join(f'(?, ?, {i})' for i in range(n))}"


class Tx:
    """A transaction's view of the archive. Unique constraints make racing writers fail, not duplicate."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.driver = Driver(conn)
        self.inserted = 0  # articles this transaction stored (the Store keeps planner statistics by it)

    def close(self) -> None:
        self.driver.close()

    def article_by_urls(self, urls: Iterable[str]) -> int | None:
        return self.identity_matches(urls, None, ())[0]

    def band_candidates(self, keys: Sequence[int]) -> list[tuple[int, bytes | None]]:
        return self.identity_matches((), None, keys)[2]

    def identity_matches(self, urls: Iterable[str], content_hash: str | None,
                         keys: Sequence[int]) -> tuple[int | None, int | None, list[tuple[int, bytes | None]]]:
        """What the archive holds of a text, in one go (one round trip to PostgreSQL): the article stored under
        one of its URLs, the article with its exact hash, and the stored articles sharing LSH bands with `keys`,
        most shared bands first, with their MinHash sketches (so unlikely ones are dropped before any body is
        read; None if it has none) — never a scan."""
        urls = list(dict.fromkeys(u for u in urls if u))
        queries: list[tuple[str, Sequence[object]]] = []
        if urls:
            queries.append((_BY_URLS.format(marks(len(urls))), urls))
        if content_hash is not None:
            queries.append((_BY_HASH, (content_hash,)))
        if keys:
            queries.append((_BAND_CANDIDATES.format(marks(len(keys))), [*keys, MAX_CANDIDATES]))
        answers = iter(self.driver.gather(queries))
        known = next(answers)[:1] if urls else []
        original = next(answers)[:1] if content_hash is not None else []
        bands = next(answers) if keys else []
        return (known[0][0] if known else None, original[0][0] if original else None,
                [(article_id, bytes(sketch) if sketch is not None else None) for article_id, sketch in bands])

    def bodies(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        return dict(self.driver.rows(_BODIES.format(marks(len(ids))), ids))

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
        window, stamp = timedelta(hours=hours), self.driver.stamp
        params: list[object] = []
        if around is None:
            for key in keys:
                params += [key, True]
            params.append(stamp(datetime.now(UTC) - window))
        else:
            when = around.astimezone(UTC)
            lo, at, hi = stamp(when - window), stamp(when), stamp(when + window)
            for key in keys:
                params += [key, True, at, hi, EVENT_POSTINGS, key, True, lo, at, EVENT_POSTINGS]
        params.append(limit)
        return [row[0] for row in self.driver.rows(_event_query(len(keys), around is not None), params)]

    def event_reports(self, ids: Sequence[int], least: float = 0.0) -> list[tuple[int, int, str, str, datetime | None,
                                                                                 dict[str, float]]]:
        """Stored reports as the same-event test reads them: (id, story, title, lead, published, {entity:
        salience}), entities with a salience below `least` left out."""
        if not ids:
            return []
        rows, entities = self.driver.gather([(_REPORTS.format(marks(len(ids))), ids),
                                             (_SALIENCES.format(marks(len(ids))), [*ids, least])])
        saliences: dict[int, dict[str, float]] = {r[0]: {} for r in rows}
        for article_id, entity_id, salience in entities:
            if article_id in saliences:
                saliences[article_id][entity_id] = salience
        return [(article_id, story or article_id, title, lead, datetime.fromisoformat(published) if published
                 else None, saliences[article_id]) for article_id, story, title, lead, published in rows]

    def story_of(self, article_id: int) -> int:
        story = self.driver.value(_STORY_OF, (article_id,))
        return int(story or article_id)

    def insert_article(self, a: Article, *, status: Status, duplicate_of: int | None, similarity: float | None,
                       signature: bytes, sketch: bytes | None, bands: Sequence[int], urls: Iterable[str],
                       story_id: int | None = None) -> int:
        """Insert one article with its URLs, identity rows and entities; raises IntegrityError on a race."""
        driver = self.driver
        published_at = driver.stamp(a.published.astimezone(UTC) if a.published else None)
        story = self.story_of(duplicate_of) if duplicate_of else story_id  # None: its own, known once inserted
        article_id = driver.insert_id(_INSERT_ARTICLE, (
            a.url, a.source, a.outlet, a.title, a.body, a.published.isoformat() if a.published else None,
            published_at, a.updated.isoformat() if a.updated else None, a.author, a.fetched_url,
            a.encoding, a.image, a.content_hash, signature, status.value, duplicate_of, similarity, a.relevance,
            a.on_topic, driver.stamp(datetime.now(UTC)), story))
        self.inserted += 1
        with driver.pipelined():
            if story is None:
                driver.execute(_SET_STORY, (article_id, article_id))
            self.add_urls(article_id, [a.url, *urls])
            if status is Status.NEW:
                driver.execute(_INSERT_HASH, (a.content_hash, article_id))
                if sketch is not None:
                    driver.execute(_INSERT_SKETCH, (article_id, sketch))
                if bands:
                    driver.execute(_insert_bands(len(bands)), [x for key in bands for x in (key, article_id)])
            self._insert_entities(article_id, a.entities, published_at, a.on_topic and status is Status.NEW)
        return article_id

    def set_entities(self, article_id: int, hits: Sequence[EntityHit]) -> None:
        """Replace an article's entity rows (a re-tag after the gazetteer changed writes through here)."""
        self.driver.execute(_DELETE_ENTITIES, (article_id,))
        if hits:
            published_at, on_topic, status = self.driver.rows(_OPEN_AT, (article_id,))[0]  # as the driver keeps it
            self._insert_entities(article_id, hits, published_at, bool(on_topic) and status == Status.NEW.value)

    def _insert_entities(self, article_id: int, hits: Sequence[EntityHit], published_at: object,
                         open_story: bool) -> None:
        """`published_at` as the driver stores it (Driver.stamp)."""
        self.driver.many(_INSERT_ENTITIES, [
            (article_id, h.entity.id, h.count, h.first_pos, h.in_headline, round(h.salience, 4), published_at,
             open_story, json.dumps([[m.start, m.end, m.text] for m in h.mentions], ensure_ascii=False))
            for h in hits])

    def set_relevance(self, article_id: int, relevance: float, on_topic: bool) -> None:
        """Re-score an article; its entity rows follow (whether it is an open story may change)."""
        self.conn.execute(update(t.articles).where(_a.id == article_id).values(relevance=relevance, on_topic=on_topic))
        is_open = select(and_(_a.on_topic.is_(True), _a.status == Status.NEW.value)).where(_a.id == article_id)
        self.conn.execute(update(t.article_entities).where(_e.article_id == article_id)
                          .values(open_story=is_open.scalar_subquery()))

    def add_urls(self, article_id: int, urls: Iterable[str]) -> None:
        """Remember more URLs for an article; ones already known are left alone."""
        self.driver.many(_INSERT_URLS, [(u, article_id) for u in dict.fromkeys(u for u in urls if u)])

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        if not etag and not last_modified:
            return
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(t.http_cache).values(url=url, etag=etag, last_modified=last_modified,
                                                   updated_at=datetime.now(UTC))
        self.conn.execute(stmt.on_conflict_do_update(
            index_elements=["url"], set_=dict(etag=etag, last_modified=last_modified, updated_at=datetime.now(UTC))))
