"""The tables. Uniqueness lives here (URLs, text hashes, ledger rows), not in in-memory sets."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    false,
)

metadata = MetaData()

migrations = Table(
    "schema_migrations", metadata,
    Column("name", String(200), primary_key=True),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

sources = Table(
    "sources", metadata,
    Column("name", String(200), primary_key=True),
    Column("url", Text, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("last_fetch_at", DateTime(timezone=True)),
    Column("last_success_at", DateTime(timezone=True)),
    Column("last_error_at", DateTime(timezone=True)),
    Column("last_error_kind", String(40)),
    Column("last_error", Text),
    Column("failing_since", DateTime(timezone=True)),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("next_fetch_at", DateTime(timezone=True), index=True),
    Column("disabled_reason", Text),
    Column("lease_owner", String(200)),  # the daemon fetching it now (several daemons share one database)
    Column("lease_until", DateTime(timezone=True)),  # after this, another daemon may take it over
)

http_cache = Table(  # conditional GET validators per URL
    "http_cache", metadata,
    Column("url", Text, primary_key=True),
    Column("etag", Text),
    Column("last_modified", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

articles = Table(
    "articles", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("url", Text, nullable=False, unique=True),  # canonical
    Column("source", String(200), nullable=False, index=True),
    Column("outlet", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("published", String(40)),  # ISO 8601 with the outlet's own offset, as the page said it
    Column("published_at", DateTime(timezone=True), index=True),  # the same instant, for ordering
    Column("updated", String(40)),
    Column("author", Text),
    Column("fetched_url", Text),
    Column("encoding", String(40)),
    Column("image", Text),
    Column("content_hash", String(64), nullable=False, index=True),
    Column("signature", LargeBinary),
    Column("status", String(20), nullable=False),
    Column("duplicate_of", Integer, ForeignKey("articles.id"), index=True),
    Column("story_id", Integer, index=True),  # the head article of its story cluster
    Column("similarity", Float),
    Column("relevance", Float, nullable=False, default=0.0),
    Column("on_topic", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
)

article_urls = Table(  # every URL an article was seen under: the check before fetching
    "article_urls", metadata,
    Column("url", Text, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False, index=True),
)

content_hashes = Table(  # first article with each text: a racing second insert fails here
    "content_hashes", metadata,
    Column("hash", String(64), primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
)

lsh_bands = Table(  # the near-duplicate index: a lookup touches only articles sharing a band key
    "lsh_bands", metadata,
    # Keyed by (key, article_id) alone — the band number is hashed into the key, so keys never collide
    # across bands. One B-tree (WITHOUT ROWID on SQLite): each new article inserts 64 random keys, and every
    # extra index would double the pages a commit writes (migration 0005 says more).
    Column("key", BigInteger, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("band", Integer, nullable=False),
    sqlite_with_rowid=False,
)

sketches = Table(  # what a look-up reads of each LSH candidate: the low byte of its 128 MinHash values
    "sketches", metadata,
    # One row per original (status new), the articles the band index names. The full signature stays on the
    # article row, but that row holds the body too, and at a million articles reading 20 candidates'
    # signatures there meant 20 random reads in a 6 GB table; 128-byte sketches of a million articles fit in
    # 150 MB (migration 0007).
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True, autoincrement=False),
    Column("sketch", LargeBinary, nullable=False),
)


article_entities = Table(
    "article_entities", metadata,
    Column("article_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("entity_id", String(100), primary_key=True),
    Column("count", Integer, nullable=False),
    Column("first_pos", Integer, nullable=False),
    Column("in_headline", Boolean, nullable=False),
    Column("salience", Float, nullable=False),
    Column("mentions", Text, nullable=False),  # JSON [[start, end, text], ...]
    # The article's published_at and whether it is an open story (on topic, an original), copied here so
    # that "open stories on this entity within 72 hours, nearest first" (Tx.event_candidates) reads one index
    # and nothing else: no article rows (SQLite keeps the body inline before on_topic and status), and only
    # the window, however many years of mentions the archive holds (migrations 0006 and 0009).
    Column("published_at", DateTime(timezone=True)),
    Column("open_story", Boolean, nullable=False, server_default=false()),
    Index("ix_article_entities_open_story", "entity_id", "open_story", "published_at", "article_id"),
)

digests = Table(
    "digests", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("subscription", String(200), nullable=False),
    Column("period", String(40), nullable=False),
    Column("message_id", Text, nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("sent_at", DateTime(timezone=True)),
    Column("stories", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # sent | failed
    Column("error", Text),
)

deliveries = Table(  # the ledger: one row per (subscription, story) once the server accepted it
    "deliveries", metadata,
    Column("subscription", String(200), primary_key=True),
    Column("story_id", Integer, ForeignKey("articles.id"), primary_key=True),
    Column("digest_id", Integer, ForeignKey("digests.id"), nullable=False),
    Column("delivered_at", DateTime(timezone=True), nullable=False),
)

digest_claims = Table(  # one row per (subscription, period): the daemon that inserts it sends that digest
    "digest_claims", metadata,
    Column("subscription", String(200), primary_key=True),
    Column("period", String(40), primary_key=True),
    Column("owner", String(200), nullable=False),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
)
