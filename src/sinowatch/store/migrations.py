"""Named migrations, applied in order on open and recorded in `schema_migrations`.

`0001_initial` creates the tables as `schema.py` first defined them. A later change to a table adds a new
named migration here that alters it (checking what exists, so it is safe to run against any version).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, inspect, select, text

from sinowatch.store import schema as t
from sinowatch.text import fingerprint

SKETCH_BATCH = 5_000  # articles read per step of migration 0007


def _initial(conn: Connection) -> None:
    t.metadata.create_all(conn, checkfirst=True)


def _leases(conn: Connection) -> None:
    """Source leases and digest claims, for several daemons on one database."""
    columns = {c["name"] for c in inspect(conn).get_columns("sources")}
    for name, kind in (("lease_owner", "VARCHAR(200)"), ("lease_until", "TIMESTAMP WITH TIME ZONE"
                                                                        if conn.dialect.name == "postgresql"
                                                                        else "DATETIME")):
        if name not in columns:
            conn.execute(text(f"ALTER TABLE sources ADD COLUMN {name} {kind}"))
    t.digest_claims.create(conn, checkfirst=True)
    if "ix_sources_next_fetch_at" not in {i["name"] for i in inspect(conn).get_indexes("sources")}:
        conn.execute(text("CREATE INDEX ix_sources_next_fetch_at ON sources (next_fetch_at)"))


def _bands_64x2(conn: Connection) -> None:
    """LSH went from 32 bands of 4 rows to 64 of 2 (truncated copies were missed): recompute the band keys
    from the MinHash signatures already stored — nothing is re-fetched or re-fingerprinted."""
    conn.execute(delete(t.lsh_bands))
    a = t.articles.c
    rows = conn.execute(select(a.id, a.signature).where(a.status == "new", a.signature.is_not(None)))
    batch: list[dict[str, int]] = []
    for article_id, signature in rows:
        batch += [dict(band=i, key=k, article_id=article_id)
                  for i, k in enumerate(fingerprint.band_keys(fingerprint.from_bytes(signature)))]
        if len(batch) >= 10_000:
            conn.execute(insert(t.lsh_bands), batch)
            batch = []
    if batch:
        conn.execute(insert(t.lsh_bands), batch)


def _band_key_index(conn: Connection) -> None:
    """Index band keys alone: `(band, key) IN (...)` made SQLite scan the whole table on every look-up."""
    if _band_primary_key(conn)[0] == "key":  # created in the 0005 shape: the key leads the primary key
        return
    if "ix_lsh_bands_key" not in {i["name"] for i in inspect(conn).get_indexes("lsh_bands")}:
        conn.execute(text("CREATE INDEX ix_lsh_bands_key ON lsh_bands (key)"))


def _band_rows_by_key(conn: Connection) -> None:
    """Band rows keyed by (key, article_id) in one B-tree. The 0001 table kept a rowid table, a
    (band, key, article_id) key and a key index: three B-trees, two of them written at 64 random places per
    new article, which made the commit of a small article write some 130 pages and grow with the archive.
    Rows are copied in key order; nothing is recomputed."""
    if _band_primary_key(conn) == ["key", "article_id"]:
        return
    conn.execute(text("ALTER TABLE lsh_bands RENAME TO lsh_bands_0001"))
    if conn.dialect.name == "postgresql":  # the old primary key and index keep their names: free them
        conn.execute(text("ALTER TABLE lsh_bands_0001 DROP CONSTRAINT IF EXISTS lsh_bands_pkey"))
        conn.execute(text("ALTER TABLE lsh_bands_0001 DROP CONSTRAINT IF EXISTS lsh_bands_article_id_fkey"))
    conn.execute(text("DROP INDEX IF EXISTS ix_lsh_bands_key"))
    t.lsh_bands.create(conn)
    conn.execute(text("INSERT INTO lsh_bands (key, article_id, band) "
                      "SELECT key, article_id, band FROM lsh_bands_0001 ORDER BY key, article_id"))
    conn.execute(text("DROP TABLE lsh_bands_0001"))


def _entity_time(conn: Connection) -> None:
    """Entity rows carry their article's published_at, indexed with the entity: finding same-event reports
    reads the 72-hour window of each entity, not every mention it ever had."""
    if "published_at" not in {c["name"] for c in inspect(conn).get_columns("article_entities")}:
        kind = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
        conn.execute(text(f"ALTER TABLE article_entities ADD COLUMN published_at {kind}"))
        conn.execute(text("UPDATE article_entities SET published_at = "
                          "(SELECT published_at FROM articles WHERE articles.id = article_entities.article_id)"))
    if "ix_article_entities_entity_time" not in {i["name"] for i in inspect(conn).get_indexes("article_entities")}:
        conn.execute(text("CREATE INDEX ix_article_entities_entity_time ON article_entities (entity_id, published_at)"))
    conn.execute(text("DROP INDEX IF EXISTS ix_article_entities_entity"))  # a prefix of the new one


def _sketches(conn: Connection) -> None:
    """MinHash sketches in a narrow table of their own (schema.sketches): a look-up read each candidate's
    signature off its article row, and at a million articles those rows (with their bodies) are a 6 GB
    table read at random. Sketches are derived from the signatures already stored, in id order, in batches."""
    t.sketches.create(conn, checkfirst=True)
    a, last = t.articles.c, 0
    while True:
        rows = conn.execute(select(a.id, a.signature)
                            .where(a.id > last, a.status == "new", a.signature.is_not(None))
                            .order_by(a.id).limit(SKETCH_BATCH)).all()
        if not rows:
            return
        conn.execute(insert(t.sketches), [dict(article_id=i, sketch=fingerprint.sketch(fingerprint.from_bytes(sig)))
                                          for i, sig in rows])
        last = rows[-1][0]


def _open_story_index(conn: Connection) -> None:
    """A covering index for "is this an open story", read by the same-event look-up (schema.articles)."""
    if "ix_articles_open_story" not in {i["name"] for i in inspect(conn).get_indexes("articles")}:
        conn.execute(text("CREATE INDEX ix_articles_open_story ON articles (id, on_topic, status)"))


def _open_mentions(conn: Connection) -> None:
    """Entity rows say whether their article is an open story, in one index with the entity and the time:
    the same-event look-up joined every mention in a busy window to its article to ask, and PostgreSQL spent
    27 ms a report on it in bench/pipeline.py. The indexes this replaces (0006's, 0008's) are dropped."""
    if "open_story" not in {c["name"] for c in inspect(conn).get_columns("article_entities")}:
        conn.execute(text("ALTER TABLE article_entities ADD COLUMN open_story BOOLEAN NOT NULL DEFAULT false"))
    conn.execute(text("UPDATE article_entities SET open_story = true WHERE article_id IN "
                      "(SELECT id FROM articles WHERE on_topic = true AND status = 'new')"))
    if "ix_article_entities_open_story" not in {i["name"] for i in inspect(conn).get_indexes("article_entities")}:
        conn.execute(text("CREATE INDEX ix_article_entities_open_story "
                          "ON article_entities (entity_id, open_story, published_at, article_id)"))
    conn.execute(text("DROP INDEX IF EXISTS ix_article_entities_entity_time"))
    conn.execute(text("DROP INDEX IF EXISTS ix_articles_open_story"))


def _band_primary_key(conn: Connection) -> list[str]:
    return list(inspect(conn).get_pk_constraint("lsh_bands")["constrained_columns"])


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("0001_initial", _initial),
    ("0002_leases", _leases),
    ("0003_lsh_64x2", _bands_64x2),
    ("0004_band_key_index", _band_key_index),
    ("0005_band_rows_by_key", _band_rows_by_key),
    ("0006_entity_time", _entity_time),
    ("0007_sketches", _sketches),
    ("0008_open_story_index", _open_story_index),
    ("0009_open_mentions", _open_mentions),
]


def migrate(conn: Connection) -> list[str]:
    """Apply pending migrations; returns their names. Serialised across processes on PostgreSQL."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(7343201)"))  # concurrent daemons start one at a time
    if not inspect(conn).has_table(t.migrations.name):
        t.migrations.create(conn)
    done = set(conn.execute(select(t.migrations.c.name)).scalars())
    applied = []
    for name, step in MIGRATIONS:
        if name not in done:
            step(conn)
            conn.execute(insert(t.migrations).values(name=name, applied_at=datetime.now(UTC)))
            applied.append(name)
    return applied


def schema_version(conn: Connection) -> str | None:
    return conn.execute(select(t.migrations.c.name).order_by(t.migrations.c.name.desc()).limit(1)).scalar()
