"""The Store: one engine over SQLite (WAL) or PostgreSQL, migrated on open, with transactions for writers."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.pool import QueuePool, StaticPool

from sinowatch.errors import StoreError
from sinowatch.models import SourceConfig
from sinowatch.store import schema as t
from sinowatch.store.migrations import migrate
from sinowatch.store.tx import Tx

log = logging.getLogger("sinowatch.store")


class Conflict(StoreError):
    """A unique constraint refused a write: another writer stored the same thing first. Retry."""


# Pages each pooled SQLite connection may cache (the default is 2 MB): 16 MB, so a pool of up to 8 stays
# well inside what a run may use (bench/pipeline.py measured 855 MB of RSS with 64 MB each).
SQLITE_CACHE_KB = 16_384
# WAL pages between automatic checkpoints (SQLite's default is 1,000). An article writes ~70 pages (64 of them
# band-index leaves at random places), so the default checkpointed every ~14 articles, and that article's commit
# paid for writing back and syncing them all: storing into a 10k archive, mean 4.9 ms and p95 19.7 ms per article.
# With 10,000 (a WAL of up to ~40 MB) pages rewritten between checkpoints are written back once: mean 4.0 ms,
# p95 6.2 ms, median unchanged (3.3 ms).
SQLITE_AUTOCHECKPOINT = 10_000
# PostgreSQL plans the look-ups by its statistics; the store refreshes them itself as it grows, by at least
# ANALYZE_MIN articles or a fifth of those it held at the last ANALYZE (autovacuum may be off, as on the machine
# the benchmarks ran on, or run late: a store filled from empty in minutes had none, and the band look-up
# became a sequential scan, 34 ms instead of 0.3 ms at 6,000 articles). ANALYZE also drops the plans that
# pooled connections cached for prepared statements, so none outlives the table sizes it was made for.
ANALYZE_MIN, ANALYZE_GROWTH = 500, 0.2
ANALYSED_TABLES = ("articles", "article_urls", "content_hashes", "lsh_bands", "sketches", "article_entities")
SQLITE_BUSY_S = 30.0  # how long a writer waits for another process's write to end
BACKOFF_CAP = 16  # a failing source is tried at most every 16 intervals, so it recovers within a day or so


def now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The archive. Open with `Store.open(url)`; write inside `with store.transaction() as tx`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        # SQLite has one writer at a time, and a writer waiting for the lock polls for it, sleeping up to 100 ms
        # between tries: while the fetch's batch writer took it back to back, a source's small write (its
        # validators, its fetch record) lost every race until the 30 s busy timeout (bench/pipeline.py, 200
        # sources: "database is locked", the run stopped). This process's writers queue here instead; the
        # busy timeout is left for other processes (a daemon and a CLI command on one file).
        self._writing = threading.RLock() if self.dialect == "sqlite" else None
        self.unanalysed = 0  # articles stored since this process last refreshed PostgreSQL's statistics
        self.analysed_size: float | None = None  # articles the statistics counted then (None: not read yet)

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect, create the SQLite file's directory if needed, and apply pending migrations."""
        if url.startswith("sqlite:///") and ":memory:" not in url:
            Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
        try:
            if url.startswith("sqlite"):
                # Pooled: opening a connection costs the PRAGMAs, and closing the last one checkpoints
                # the WAL — together most of a small write transaction. A connection serves one thread at
                # a time (the pool hands it out), so pysqlite's same-thread check is not needed.
                args = {"timeout": SQLITE_BUSY_S, "check_same_thread": False}
                if ":memory:" in url or url in ("sqlite://", "sqlite:///"):  # one database per connection
                    engine = create_engine(url, poolclass=StaticPool, connect_args=args)
                else:
                    engine = create_engine(url, poolclass=QueuePool, pool_size=4, max_overflow=4,
                                           pool_timeout=60, connect_args=args)
                event.listen(engine, "connect", _sqlite_pragmas)
                event.listen(engine, "begin", _sqlite_begin)
            else:
                engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)
            store = cls(engine)
            with engine.begin() as conn:
                migrate(conn)
        except (OperationalError, DBAPIError) as exc:
            raise StoreError(f"cannot open the database {_redact(url)}: {_reason(exc)}") from exc
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One transaction; a unique-constraint refusal surfaces as Conflict, other failures as StoreError."""
        dbapi = self.engine.dialect.dbapi  # Tx runs the per-article statements on the driver's own cursor
        try:
            with self._writing or nullcontext(), self.engine.begin() as conn:
                tx = Tx(conn)
                try:
                    yield tx
                finally:
                    tx.close()
        except (IntegrityError, dbapi.IntegrityError) as exc:
            raise Conflict(f"a concurrent writer stored this first: {_reason(exc)}") from exc
        except (OperationalError, DBAPIError, dbapi.Error) as exc:
            raise StoreError(f"database error: {_reason(exc)}") from exc
        if tx.inserted and self.dialect == "postgresql":
            try:
                self._keep_statistics(tx.inserted)
            except (OperationalError, DBAPIError) as exc:  # committed already: a stale plan is no lost article
                log.warning("could not refresh the query planner's statistics: %s", _reason(exc))

    def _keep_statistics(self, inserted: int) -> None:
        """ANALYZE the tables the look-ups read once the archive has grown enough since the statistics were
        taken (ANALYZE_MIN, ANALYZE_GROWTH); ANALYZE samples, so it costs about the same at any size."""
        self.unanalysed += inserted
        if self.analysed_size is None:
            self.analysed_size = self._counted_articles()
        if self.unanalysed < max(ANALYZE_MIN, ANALYZE_GROWTH * self.analysed_size):
            return
        with self.engine.connect() as conn:
            conn.execute(text(f"ANALYZE {', '.join(ANALYSED_TABLES)}"))
            conn.commit()
        self.unanalysed, self.analysed_size = 0, self._counted_articles()

    def _counted_articles(self) -> float:
        """How many articles PostgreSQL's statistics say the archive holds (0 before the first ANALYZE)."""
        with self.engine.connect() as conn:
            return max(0.0, float(conn.execute(text("SELECT reltuples FROM pg_class WHERE oid = 'articles'::regclass"))
                                  .scalar_one()))

    @contextmanager
    def read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                conn.info["readonly"] = True  # info lives with the pooled connection: cleared after use
                try:
                    yield conn
                finally:
                    conn.info.pop("readonly", None)
        except (OperationalError, DBAPIError) as exc:
            raise StoreError(f"database error: {_reason(exc)}") from exc

    # -- sources ---------------------------------------------------------------------------------

    def sync_sources(self, configs: Sequence[SourceConfig]) -> None:
        """Make sure every configured source has its row (health lives there)."""
        with self.transaction() as tx:
            known = {r.name: r.url for r in tx.conn.execute(select(t.sources.c.name, t.sources.c.url))}
            for s in configs:
                if s.name not in known:  # another daemon starting at the same moment may insert it first
                    dialect = postgresql if self.dialect == "postgresql" else sqlite
                    tx.conn.execute(dialect.insert(t.sources).values(name=s.name, url=s.url, kind=s.kind.value,
                                                                     consecutive_failures=0).on_conflict_do_nothing())
                elif known[s.name] != s.url:  # a new URL is a fresh start: a 410 on the old one no longer counts
                    tx.conn.execute(update(t.sources).where(t.sources.c.name == s.name)
                                    .values(url=s.url, kind=s.kind.value, disabled_reason=None,
                                            consecutive_failures=0, failing_since=None))

    def record_fetch(self, name: str, *, interval: float, error_kind: str | None = None, error: str | None = None,
                     disable: str | None = None, jitter: float = 0.0) -> datetime:
        """Store the outcome of one fetch of a source (health is data on the source) and when it is due next:
        its interval after a success; after n failures in a row, interval × 2^n, at most BACKOFF_CAP×."""
        stamp = now()
        c = t.sources.c
        with self.transaction() as tx:
            if error_kind is None:
                next_at = stamp + timedelta(seconds=interval + jitter)
                values = dict(last_fetch_at=stamp, last_success_at=stamp, consecutive_failures=0,
                              failing_since=None, next_fetch_at=next_at)
            else:
                row = tx.conn.execute(select(c.failing_since, c.consecutive_failures).where(c.name == name)).first()
                failures = (row.consecutive_failures if row else 0) + 1
                next_at = stamp + timedelta(seconds=interval * min(2 ** failures, BACKOFF_CAP) + jitter)
                values = dict(last_fetch_at=stamp, last_error_at=stamp, last_error_kind=error_kind,
                              last_error=(error or "")[:2000], consecutive_failures=failures,
                              failing_since=(row.failing_since if row else None) or stamp, next_fetch_at=next_at)
            if disable:
                values["disabled_reason"] = disable
            tx.conn.execute(update(t.sources).where(c.name == name).values(**values))
        return next_at

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Which of these URLs an article was already seen under: checked before fetching, in one query."""
        c = t.article_urls.c
        found: set[str] = set()
        unique = list(dict.fromkeys(u for u in urls if u))
        with self.read() as conn:
            for start in range(0, len(unique), 500):
                found.update(conn.execute(select(c.url).where(c.url.in_(unique[start:start + 500]))).scalars())
        return found

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self.transaction() as tx:
            tx.save_validators(url, etag, last_modified)

    def source_states(self, sources: Sequence[SourceConfig]) -> dict[str, tuple[str | None, str | None, str | None]]:
        """Where each source stands before a fetch: name -> (why it is disabled, if it is; the ETag and
        Last-Modified kept for its URL). Two queries for a whole run, not two per source. A reader: it never
        waits for a writer."""
        s, h = t.sources.c, t.http_cache.c
        names, urls = [x.name for x in sources], list({x.url for x in sources})
        disabled: dict[str, str | None] = {}
        kept: dict[str, tuple[str | None, str | None]] = {}
        with self.read() as conn:
            for start in range(0, max(len(names), len(urls)), 500):
                disabled.update((n, r) for n, r in conn.execute(select(s.name, s.disabled_reason)
                                                                .where(s.name.in_(names[start:start + 500]))))
                kept.update((u, (e, m)) for u, e, m in conn.execute(
                    select(h.url, h.etag, h.last_modified).where(h.url.in_(urls[start:start + 500]))))
        return {x.name: (disabled.get(x.name), *kept.get(x.url, (None, None))) for x in sources}

    def source_rows(self) -> list[dict[str, object]]:
        with self.read() as conn:
            return [dict(r._mapping) for r in conn.execute(select(t.sources).order_by(t.sources.c.name))]

    def warm(self) -> tuple[int, float]:
        """Read the LSH band index and the sketches through once, so that a check's look-ups find their pages
        in memory (the OS page cache; PostgreSQL's buffers too). At archive scale they outgrow what stays
        cached, and a check of a new article otherwise waits on some 64 random reads for its bands and one per
        candidate for its sketch (bench/dedupe_io.py measured 7-15 ms cold against 0.4 ms warm at 1M articles).
        Returns (band rows, seconds)."""
        start = time.perf_counter()
        with self.read() as conn:
            conn.execute(text("SELECT count(sketch) FROM sketches")).scalar_one()  # a narrow table: read it all
            if self.dialect == "postgresql":
                conn.execute(text("SET LOCAL enable_seqscan = off"))  # walk the index, not the table
                rows = conn.execute(text("SELECT count(*) FROM lsh_bands WHERE key >= :low"),
                                    {"low": -(2**63)}).scalar_one()
            else:  # a WITHOUT ROWID table: its one B-tree is the index
                rows = conn.execute(text("SELECT count(*) FROM lsh_bands")).scalar_one()
        return int(rows), time.perf_counter() - start

    def optimise(self) -> None:
        """Housekeeping: refresh the query planner's statistics."""
        with self.engine.connect() as conn:
            conn.execute(text("PRAGMA optimize" if self.dialect == "sqlite" else "ANALYZE"))
            conn.commit()

    # -- counts ----------------------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        c = t.articles.c
        with self.read() as conn:
            rows = conn.execute(select(c.status, c.on_topic, func.count()).group_by(c.status, c.on_topic))
            out = {"articles": 0, "new": 0, "duplicate": 0, "near_duplicate": 0, "off_topic": 0}
            for status, on_topic, n in rows:
                out["articles"] += n
                out[status] = out.get(status, 0) + n
                if not on_topic:
                    out["off_topic"] += n
            return out


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_S * 1000)}")
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_AUTOCHECKPOINT}")
    cursor.close()
    # Let SQLAlchemy's begin() event issue BEGIN IMMEDIATE instead of pysqlite's deferred BEGIN.
    dbapi_conn.isolation_level = None  # type: ignore[attr-defined]


def _sqlite_begin(conn: Connection) -> None:
    """Writers take the lock up front (no deadlock upgrading a read lock); readers stay deferred."""
    conn.exec_driver_sql("BEGIN" if conn.info.get("readonly") else "BEGIN IMMEDIATE")


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).strip().splitlines()[0][:300]


def _redact(url: str) -> str:
    import re

    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)
