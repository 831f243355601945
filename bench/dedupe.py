"""What checking one new article for duplicates costs as the archive grows: 10k, 100k and 1M articles.

Usage:
    .venv/bin/python bench/dedupe.py                                   # 10k, 100k, 1M on SQLite and PostgreSQL
    .venv/bin/python bench/dedupe.py --sizes 10000 --backends sqlite   # a quick run (about half a minute)
    .venv/bin/python bench/dedupe.py --sizes 10000,100000 --backends sqlite,postgresql --probes 500

Options: --seed, --copy-share (share of near-copies in the archive, 0.10), --probes (articles checked per
archive, 500), --check-budget (seconds of checking per archive, 1200, then it stops after at least 50),
--workers (fingerprinting processes, all cores), --build bulk|store, --pg-url, --tmpdir, --keep (leave the
archives in place), --explain (print the query plan of the LSH band look-up on each archive), --no-warm (do
not read the band index ahead before checking, as the daemon does at start with Store.warm), --reuse URL with
--probe-offset N (check an archive an earlier --keep run left, migrated on open, with probes numbered from N).

For each backend (SQLite in a temporary file; PostgreSQL in a fresh schema of
postgresql+psycopg://postgres@127.0.0.1:5432/test, created and dropped here, skipped with the reason when the
server does not answer) and each size, the script

1. builds an archive of synthetic Korean articles from bench/corpus.py (a seeded stream, 10 % of it copies
   of earlier articles). `--build bulk` (the default) fingerprints with `sinowatch.dedupe.identify` in a
   process pool and bulk-inserts exactly the rows `store_article` writes (articles with content hash,
   signature, status, duplicate_of, similarity and story; article_urls; content_hashes, sketches and
   lsh_bands for originals), deciding each copy's status the way `store_article` does (same hash: duplicate; a shared LSH
   band and `dedupe.near_duplicate` against its original: near-duplicate; otherwise new). Band rows are
   inserted sorted; foreign keys are not checked during the load (SQLite: PRAGMA foreign_keys off on the build
   connection; PostgreSQL: dropped, then re-added and so validated after
   it, then the tables are VACUUM ANALYZEd as autovacuum would. `--build store` calls `store_article` one
   article at a time instead (the real path, slow at large sizes).
2. checks `--probes` new articles against it (half fresh articles, 15 % exact copies, 35 % near-copies of
   archived articles: chrome, dropped sentences, switched Hanja, truncated) through the real code path,
   `identify()` then `store_article(store, article, identity)`, timing each with `time.perf_counter`, after
   20 warm-up checks that are not counted. Inside `store_article` the look-ups (`Tx.identity_matches`: URLs,
   hash, LSH bands), the confirmation (`dedupe.near_duplicate`) and the insert are timed by wrappers.
3. prints median and p95 per article, the outcomes against the truth, and at the end a summary table.

Memory stays bounded: bodies are generated on demand and streamed; only the band keys of the archive
(12 bytes a row, 64 rows per original) are held to sort them before the insert.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import pickle
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import event, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import COPY_KINDS, Corpus  # noqa: E402

from sinowatch import dedupe  # noqa: E402
from sinowatch.models import Article, Status  # noqa: E402
from sinowatch.pipeline.core import store_article  # noqa: E402
from sinowatch.store import Store, Tx  # noqa: E402
from sinowatch.store.db import SQLITE_CACHE_KB  # noqa: E402
from sinowatch.store import schema as t  # noqa: E402
from sinowatch.store.tx import MAX_CANDIDATES  # noqa: E402
from sinowatch.text import fingerprint  # noqa: E402
from sinowatch.text.fingerprint import BANDS, to_bytes  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
CHUNK = 500  # articles per fingerprinting task
COMMIT_EVERY = 25_000  # articles per build transaction
WARMUP = 20
BULK_TABLES = ("articles", "article_urls", "content_hashes", "sketches", "lsh_bands")


# -- building the archive ------------------------------------------------------------------------

_corpus: Corpus | None = None


def _init_worker(seed: int, copy_share: float) -> None:
    global _corpus
    _corpus = Corpus(seed, copy_share)


def _fingerprint_chunk(bounds: tuple[int, int]) -> list[tuple]:
    """Rows for articles [start, stop): what store_article would decide and write for each."""
    assert _corpus is not None
    rows = []
    for i in range(*bounds):
        art = _corpus.article(i)
        body = art.body
        ident = dedupe.identify(body)
        status, dup, sim = Status.NEW, None, None
        if art.original is not None:
            orig_body = _corpus.article(art.original).body
            orig = dedupe.identify(orig_body)
            if ident.content_hash == orig.content_hash:
                status, dup, sim = Status.DUPLICATE, art.original + 1, 1.0
            elif any(a == b for a, b in zip(ident.bands, orig.bands, strict=True)):
                match = dedupe.near_duplicate(ident, [dedupe.Candidate(art.original + 1, orig_body)])
                if match:
                    status, dup, sim = match.status, art.original + 1, match.similarity
        rows.append((i + 1, art.kind, art.source, art.outlet, art.url, art.title, body, art.published,
                     ident.content_hash, to_bytes(ident.signature), status, dup, sim,
                     ident.bands if status is Status.NEW else None))
    return rows


@dataclass
class Build:
    path: str
    seconds: float
    statuses: Counter
    band_rows: int
    largest_bucket: int = 0
    bytes: int = 0
    phases: dict[str, float] = field(default_factory=dict)
    fingerprint_seconds: float | None = None  # when read from a cache: what computing them took


class Fingerprints:
    """The rows of articles 0..size-1, computed by a process pool, or read back from a cache that an earlier
    build with the same seed and copy share wrote (`--cache DIR`: so a second backend need not fingerprint
    the same million bodies again; the output says so and how long the fingerprinting took)."""

    def __init__(self, size: int, seed: int, copy_share: float, workers: int, cache: str | None) -> None:
        self.size, self.seed, self.copy_share, self.workers = size, seed, copy_share, workers
        self.cached_seconds: float | None = None  # fingerprinting time of the build that wrote the cache
        self.path = Path(cache) / f"seed{seed}-copies{copy_share:g}.rows" if cache else None
        self.meta = self.path.with_suffix(".json") if self.path else None
        if self.meta and self.meta.exists():
            info = json.loads(self.meta.read_text())
            if info["rows"] >= size:
                self.cached_seconds = info["seconds"] * size / info["rows"]
        self.pool = None if self.cached_seconds is not None else mp.Pool(workers, _init_worker, (seed, copy_share))

    def __iter__(self) -> Iterator[list[tuple]]:
        if self.cached_seconds is not None:
            assert self.path
            with self.path.open("rb") as f:
                done = 0
                while done < self.size:
                    rows = pickle.load(f)[: self.size - done]
                    done += len(rows)
                    yield rows
            return
        assert self.pool
        chunks = [(s, min(s + CHUNK, self.size)) for s in range(0, self.size, CHUNK)]
        if self.meta and self.meta.exists():
            self.meta.unlink()  # the file is being rewritten: not a cache until it is complete
        out = self.path.open("wb") if self.path else None
        t0 = time.perf_counter()
        try:
            for rows in self.pool.imap(_fingerprint_chunk, chunks):
                if out:
                    pickle.dump(rows, out, protocol=pickle.HIGHEST_PROTOCOL)
                yield rows
        finally:
            if out:
                out.close()
        if self.meta:
            self.meta.write_text(json.dumps({"rows": self.size, "seconds": time.perf_counter() - t0}))

    def close(self) -> None:
        if self.pool:
            self.pool.terminate()


def build_bulk(store: Store, size: int, seed: int, copy_share: float, workers: int, cache: str | None) -> Build:
    t0 = time.perf_counter()
    pg = store.dialect == "postgresql"
    statuses: Counter = Counter()
    band_keys = np.empty(size * BANDS, dtype=np.int64)
    band_ids = np.empty(size * BANDS, dtype=np.int32)
    n_bands = 0
    stamp = datetime.now(UTC)
    dropped_fks: list[tuple[str, str, str]] = []
    prints = Fingerprints(size, seed, copy_share, workers, cache)  # pool before any connection: nothing inherited
    waited = 0.0
    with store.engine.connect() as conn:
        if pg:
            dropped_fks = _drop_foreign_keys(conn)
        else:
            conn.commit()  # PRAGMA foreign_keys is a no-op inside a transaction
            conn.exec_driver_sql("PRAGMA cache_size=-1000000")  # 1 GB for the build connection only
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # as on PostgreSQL: no per-row key look-ups
            conn.commit()
        tx = conn.begin()
        done = 0
        rows_iter = iter(prints)
        while True:
            t_wait = time.perf_counter()
            rows = next(rows_iter, None)
            waited += time.perf_counter() - t_wait
            if rows is None:
                break
            articles, urls, hashes, sketches = [], [], [], []
            for (aid, _kind, source, outlet, url, title, body, published, chash, sig, status, dup, sim,
                 bands) in rows:
                statuses[status.value] += 1
                articles.append(dict(
                    id=aid, url=url, source=source, outlet=outlet, title=title, body=body,
                    published=published.isoformat(), published_at=published.astimezone(UTC), updated=None,
                    author=None, fetched_url=None, encoding=None, image=None, content_hash=chash,
                    signature=sig, status=status.value, duplicate_of=dup, similarity=sim, relevance=0.0,
                    on_topic=False, created_at=stamp, story_id=dup or aid))
                urls.append(dict(url=url, article_id=aid))
                if status is Status.NEW:
                    hashes.append(dict(hash=chash, article_id=aid))
                    sketches.append(dict(article_id=aid, sketch=fingerprint.sketch(fingerprint.from_bytes(sig))))
                if bands:
                    band_keys[n_bands:n_bands + BANDS] = bands
                    band_ids[n_bands:n_bands + BANDS] = aid
                    n_bands += BANDS
            conn.execute(insert(t.articles), articles)
            conn.execute(insert(t.article_urls), urls)
            if hashes:
                conn.execute(insert(t.content_hashes), hashes)
                conn.execute(insert(t.sketches), sketches)
            done += len(rows)
            if done % COMMIT_EVERY < CHUNK or done == size:
                tx.commit()
                tx = conn.begin()
                _progress(f"  {done:,}/{size:,} articles, {time.perf_counter() - t0:.0f} s")
        t_articles = time.perf_counter() - t0
        # lsh_bands, sorted by its primary key (key, article_id) so the B-tree grows at its right edge
        band_of = np.tile(np.arange(BANDS, dtype=np.int16), n_bands // BANDS)
        keys, ids = band_keys[:n_bands], band_ids[:n_bands]
        order = np.lexsort((ids, keys))
        band_of, keys, ids = band_of[order], keys[order], ids[order]
        del order, band_keys, band_ids
        largest = _largest_bucket(band_of, keys)
        step = 1_000_000
        for s in range(0, n_bands, step):
            part = zip(band_of[s:s + step].tolist(), keys[s:s + step].tolist(), ids[s:s + step].tolist(),
                       strict=True)
            if pg:
                with conn.connection.driver_connection.cursor() as cur, \
                        cur.copy("COPY lsh_bands (band, key, article_id) FROM STDIN") as copy:
                    copy.write("".join(f"{b}\t{k}\t{a}\n" for b, k, a in part))
            else:
                conn.exec_driver_sql("INSERT INTO lsh_bands (band, key, article_id) VALUES (?, ?, ?)", list(part))
            if (s // step) % 8 == 7:
                tx.commit()
                tx = conn.begin()
                _progress(f"  {s + step:,}/{n_bands:,} band rows, {time.perf_counter() - t0:.0f} s")
        tx.commit()
        if not pg:  # the connection goes back to the pool: as the store opened it
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.exec_driver_sql(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
            conn.commit()
        t_bands = time.perf_counter() - t0 - t_articles
        prints.close()
        if prints.cached_seconds is not None:
            phases = {"articles (fingerprints read from the cache)": t_articles, "bands": t_bands}
        else:
            phases = {"articles": t_articles, "of which waiting for fingerprints": waited, "bands": t_bands}
        if pg:
            t1 = time.perf_counter()
            with conn.begin():
                for table, name, definition in dropped_fks:
                    conn.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
                conn.execute(text("SELECT setval(pg_get_serial_sequence('articles', 'id'), :n)"), {"n": size})
            phases["foreign keys"] = time.perf_counter() - t1
            t1 = time.perf_counter()
            conn.commit()
            raw = conn.connection.driver_connection
            raw.autocommit = True
            for table in BULK_TABLES:
                raw.execute(f"VACUUM ANALYZE {table}")
            raw.autocommit = False
            phases["vacuum analyze"] = time.perf_counter() - t1
    _progress("")
    build = Build("bulk", time.perf_counter() - t0, statuses, n_bands, largest, phases=phases)
    if prints.cached_seconds is not None:
        build.path = "bulk, cached fingerprints"
        build.fingerprint_seconds = prints.cached_seconds
    return build


def _drop_foreign_keys(conn) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """The foreign keys of the bulk-loaded tables, dropped; re-added (and so validated) after the load."""
    with conn.begin():
        rows = conn.execute(text(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(:tables)"), {"tables": list(BULK_TABLES)}).all()
        for table, name, _ in rows:
            conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    return [tuple(r) for r in rows]


def _largest_bucket(band_of: np.ndarray, keys: np.ndarray) -> int:
    """The most articles sharing one (band, key): what one band of a look-up can return."""
    if not len(keys):
        return 0
    change = np.flatnonzero(np.diff(keys) != 0)  # the band is hashed into the key
    bounds = np.concatenate(([0], change + 1, [len(keys)]))
    return int(np.diff(bounds).max())


def build_store(store: Store, size: int, seed: int, copy_share: float) -> Build:
    """The real path: identify() and store_article() for every article, one transaction each."""
    t0 = time.perf_counter()
    corpus = Corpus(seed, copy_share)
    statuses: Counter = Counter()
    for i in range(size):
        art = corpus.article(i)
        ident = dedupe.identify(art.body)
        res = store_article(store, _article(art, ident), ident)
        statuses[res.status.value] += 1
        if (i + 1) % 5000 == 0:
            _progress(f"  {i + 1:,}/{size:,} articles, {time.perf_counter() - t0:.0f} s")
    _progress("")
    with store.read() as conn:
        n_bands = conn.execute(text("SELECT count(*) FROM lsh_bands")).scalar()
    return Build("store_article", time.perf_counter() - t0, statuses, n_bands)


def _article(art, ident: dedupe.Identity) -> Article:  # noqa: ANN001
    return Article(url=art.url, source=art.source, outlet=art.outlet, title=art.title, body=art.body,
                   published=art.published, content_hash=ident.content_hash)


# -- checking new articles -------------------------------------------------------------------------

@dataclass
class Probe:
    article: object
    kind: str  # fresh or a copy kind
    truth: str  # new | duplicate | near_duplicate
    original_id: int | None


def probes(corpus: Corpus, size: int, count: int, seed: int, offset: int = 0) -> list[Probe]:
    """Half fresh, 15 % exact copies, 35 % near-copies (chrome, drop, hanja, truncate) of archived originals;
    `offset` numbers them after an earlier check's (whose probes a reused archive already holds)."""
    rng = random.Random(seed * 31 + 7)
    n_exact = round(count * 0.15)
    n_near = round(count * 0.35)
    kinds = ["fresh"] * (count - n_exact - n_near) + ["exact"] * n_exact
    kinds += [COPY_KINDS[1 + k % 4] for k in range(n_near)]
    rng.shuffle(kinds)
    out = []
    for k, kind in enumerate(kinds, start=offset):
        if kind == "fresh":
            out.append(Probe(corpus.probe_fresh(k, size), kind, "new", None))
            continue
        j = rng.randrange(size)
        while corpus.kind(j) != "fresh":
            j = rng.randrange(size)
        art = corpus.probe_copy(j, kind, k)
        same = dedupe.identify(art.body).content_hash == dedupe.identify(corpus.article(j).body).content_hash
        out.append(Probe(art, kind, "duplicate" if same else "near_duplicate", j + 1))
    return out


@dataclass
class Timing:
    identify: float = 0.0
    store: float = 0.0
    lookup: float = 0.0
    confirm: float = 0.0
    insert: float = 0.0
    candidates: int = 0

    @property
    def total(self) -> float:
        return self.identify + self.store

    @property
    def other(self) -> float:
        """Connecting, the URL and hash look-ups, the commit: store_article less the timed parts."""
        return self.store - self.lookup - self.confirm - self.insert


class Instruments:
    """Wrappers timing the parts of store_article; installed only while probes run."""

    def __init__(self) -> None:
        self.current = Timing()
        self._saved = (Tx.identity_matches, Tx.insert_article, dedupe.near_duplicate)

    def __enter__(self) -> Instruments:
        identity_matches, insert_article, near_duplicate = self._saved
        me = self

        def timed_identity_matches(tx: Tx, urls, content_hash, keys):  # noqa: ANN001, ANN202
            t0 = time.perf_counter()
            found = identity_matches(tx, urls, content_hash, keys)  # (one round trip to PostgreSQL)
            me.current.lookup += time.perf_counter() - t0
            me.current.candidates = len(found[2])
            return found

        def timed_insert(tx: Tx, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t0 = time.perf_counter()
            out = insert_article(tx, *args, **kwargs)
            me.current.insert += time.perf_counter() - t0
            return out

        def timed_near_duplicate(identity, candidates):  # noqa: ANN001, ANN202
            t0 = time.perf_counter()
            out = near_duplicate(identity, candidates)
            me.current.confirm += time.perf_counter() - t0
            return out

        Tx.identity_matches = timed_identity_matches  # type: ignore[method-assign]
        Tx.insert_article = timed_insert  # type: ignore[method-assign]
        dedupe.near_duplicate = timed_near_duplicate
        return self

    def __exit__(self, *exc: object) -> None:
        Tx.identity_matches, Tx.insert_article, dedupe.near_duplicate = self._saved  # type: ignore[method-assign]


@dataclass
class Check:
    timings: list[Timing]
    confusion: Counter  # (truth, outcome) -> n
    right_original: int
    copies_found: int
    cap_hits: int
    planned: int = 0
    load: float = 0.0  # 1-minute load average when the check started (other work on the machine skews timings)
    rows_read: float = 0.0  # band rows matching a fresh article's keys, on average
    sharing: float = 0.0  # distinct archived articles sharing a band with a fresh article, on average

    def median(self, attr: str = "total") -> float:
        return statistics.median(getattr(x, attr) for x in self.timings) * 1000

    def p95(self, attr: str = "total") -> float:
        values = sorted(getattr(x, attr) for x in self.timings)
        return values[min(len(values) - 1, int(0.95 * len(values)))] * 1000

    def mean(self, attr: str) -> float:
        return statistics.fmean(getattr(x, attr) for x in self.timings)


def check(store: Store, corpus: Corpus, size: int, count: int, seed: int, budget: float, offset: int = 0) -> Check:
    """Check `count` probes (fewer when they take more than `budget` seconds: at least 50, in shuffled order so
    any prefix keeps the mix)."""
    batch = probes(corpus, size, count, seed, offset)
    load = os.getloadavg()[0]
    warm = [corpus.probe_fresh(100_000 + offset + k, size) for k in range(WARMUP)]
    confusion: Counter = Counter()
    timings = []
    right = found = cap = 0
    stored: list[int] = []
    with Instruments() as inst:
        for art in warm:
            ident = dedupe.identify(art.body)
            store_article(store, _article(art, ident), ident)
        start = time.perf_counter()
        for n, p in enumerate(batch):
            if n >= 50 and time.perf_counter() - start > budget:
                batch = batch[:n]
                break
            inst.current = timing = Timing()
            t0 = time.perf_counter()
            ident = dedupe.identify(p.article.body)
            t1 = time.perf_counter()
            res = store_article(store, _article(p.article, ident), ident)
            t2 = time.perf_counter()
            stored.append(res.article_id)
            timing.identify, timing.store = t1 - t0, t2 - t1
            timings.append(timing)
            confusion[(p.truth, res.status.value)] += 1
            cap += timing.candidates >= MAX_CANDIDATES
            if p.original_id is not None and res.status is not Status.NEW:
                found += 1
                right += res.duplicate_of == p.original_id
    result = Check(timings, confusion, right, found, cap, planned=count, load=load)
    _bucket_load(store, [(dedupe.identify(p.article.body).bands, own) for p, own in zip(batch, stored, strict=True)
                         if p.kind == "fresh"][:100], result)
    return result


def _bucket_load(store: Store, keys: list[tuple[list[int], int]], result: Check) -> None:
    """How much of lsh_bands a fresh article's look-up had to read, before the LIMIT: the rows in its buckets
    and the distinct articles they name, less its own rows (counted after the check with per-band point
    look-ups, not timed)."""
    rows = sharing = 0
    with store.read() as conn:
        for bands, own in keys:
            ids = Counter()
            for key in bands:
                ids.update(r[0] for r in conn.exec_driver_sql(
                    "SELECT article_id FROM lsh_bands WHERE key = %s" if store.dialect == "postgresql"
                    else "SELECT article_id FROM lsh_bands WHERE key = ?", (key,)))
            ids.pop(own, None)
            rows += sum(ids.values())
            sharing += len(ids)
    result.rows_read, result.sharing = rows / max(len(keys), 1), sharing / max(len(keys), 1)


# -- backends ---------------------------------------------------------------------------------------

class Backend:
    name = ""

    def open(self, size: int) -> str:
        raise NotImplementedError

    def size_bytes(self, store: Store) -> int:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class SqliteBackend(Backend):
    name = "sqlite"

    def __init__(self, tmpdir: str | None) -> None:
        self.tmpdir = tmpdir
        self.dir: str | None = None

    def open(self, size: int) -> str:
        self.dir = tempfile.mkdtemp(prefix=f"dedupe-bench-{size}-", dir=self.tmpdir)
        return f"sqlite:///{self.dir}/bench.db"

    def size_bytes(self, store: Store) -> int:
        assert self.dir
        return sum(p.stat().st_size for p in Path(self.dir).iterdir())

    def close(self) -> None:
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.schema: str | None = None

    def unreachable(self) -> str | None:
        try:
            import psycopg

            with psycopg.connect(self._plain(), connect_timeout=3):
                return None
        except Exception as exc:  # any failure to connect means: skip, and say why
            return f"PostgreSQL not reachable at {self.url}: {str(exc).strip().splitlines()[0]}"

    def _plain(self) -> str:
        return self.url.replace("+psycopg", "")

    def open(self, size: int) -> str:
        import psycopg

        self.schema = f"bench_dedupe_{size}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self._plain(), autocommit=True) as conn:
            conn.execute(f"CREATE SCHEMA {self.schema}")
        sep = "&" if "?" in self.url else "?"
        return f"{self.url}{sep}options=-csearch_path%3D{self.schema}"

    def size_bytes(self, store: Store) -> int:
        with store.read() as conn:
            return int(conn.execute(text(
                "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :s AND c.relkind = 'r'"), {"s": self.schema}).scalar() or 0)

    def close(self) -> None:
        if self.schema:
            import psycopg

            with psycopg.connect(self._plain(), autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {self.schema} CASCADE")
            self.schema = None


def explain(store: Store, corpus: Corpus, size: int) -> str:
    """The plan of Tx.band_candidates for a fresh article, as the database runs it."""
    ident = dedupe.identify(corpus.probe_fresh(999_999, size).body)
    captured: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202, PLR0913
        captured.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", capture)
    try:
        with store.transaction() as tx:
            tx.band_candidates(ident.bands)
            statement, parameters = captured[-1]
            prefix = "EXPLAIN QUERY PLAN " if store.dialect == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
            rows = tx.conn.exec_driver_sql(prefix + statement, parameters).all()
            tx.conn.rollback()
    finally:
        event.remove(store.engine, "before_cursor_execute", capture)
    if store.dialect == "sqlite":
        return "\n".join(f"    {r[3]}" for r in rows)
    return _squeeze([r[0] for r in rows])


def _squeeze(lines: list[str]) -> str:
    """A PostgreSQL plan without its conditions and buffer lines, runs of like nodes shown once with a count."""
    kept: list[list] = []
    for line in lines:
        if line.strip().startswith(("Index Cond", "Recheck Cond", "Buffers", "Filter")):
            continue
        shape = re.sub(r"\(actual time=[^)]*\)|\(cost=[^)]*\)", "", line).rstrip()
        if kept and kept[-1][0] == shape:
            kept[-1][1] += 1
        else:
            kept.append([shape, 1, line])
    return "\n".join(f"    {line}" + (f"   [× {n}]" if n > 1 else "") for shape, n, line in kept)


# -- the run ------------------------------------------------------------------------------------------

@dataclass
class Result:
    backend: str
    size: int
    build: Build
    check: Check


def run_one(backend: Backend, size: int, args: argparse.Namespace) -> Result:
    url = args.reuse or backend.open(size)
    if args.keep and not args.reuse:
        print(f"  (kept: {url})")
    try:
        t0 = time.perf_counter()
        store = Store.open(url)  # a reused archive is migrated here, as the daemon would on start
        try:
            if args.reuse:
                build = Build("reused", time.perf_counter() - t0, Counter(), 0)
                print(f"\n{backend.name}, {size:,} articles: reusing {url} (opened and migrated in "
                      f"{build.seconds:.1f} s)")
            elif args.build == "store":
                build = build_store(store, size, args.seed, args.copy_share)
            else:
                build = build_bulk(store, size, args.seed, args.copy_share, args.workers, args.cache)
            if not args.reuse:
                build.bytes = backend.size_bytes(store)
                _report_build(backend.name, size, build, args)
            corpus = Corpus(args.seed, args.copy_share)
            if args.explain:
                print(f"  plan of the band look-up:\n{explain(store, corpus, size)}")
            if args.warm:
                rows, seconds = store.warm()
                print(f"  read the band index ahead (Store.warm, as the daemon does at start): {rows:,} rows in "
                      f"{seconds:.1f} s")
            result = check(store, corpus, size, args.probes, args.seed, args.check_budget, args.probe_offset)
            _report_check(result)
            return Result(backend.name, size, build, result)
        finally:
            store.close()
    finally:
        if not args.keep and not args.reuse:
            backend.close()


def _report_build(backend: str, size: int, b: Build, args: argparse.Namespace) -> None:
    if b.path == "bulk":
        how = f"bulk: identify() in {args.workers} processes, executemany/COPY of the rows store_article writes"
    elif b.fingerprint_seconds is not None:
        how = (f"bulk from fingerprints cached by an earlier build, which spent {_duration(b.fingerprint_seconds)} "
               f"computing them: build time without fingerprinting")
    else:
        how = "store_article() one article at a time"
    s = b.statuses
    phases = ", ".join(f"{k} {v:.1f} s" for k, v in b.phases.items())
    print(f"\n{backend} {size:,}: built in {b.seconds:.1f} s ({how}){f'; {phases}' if phases else ''}")
    print(f"  archive: {sum(s.values()):,} articles ({s['new']:,} new, {s['duplicate']:,} duplicate, "
          f"{s['near_duplicate']:,} near_duplicate), {b.band_rows:,} band rows"
          f"{f', largest band bucket {b.largest_bucket}' if b.largest_bucket else ''}, {b.bytes / 1e9:.2f} GB on disk")


def _report_check(c: Check) -> None:
    n = len(c.timings)
    cut = f" (of {c.planned} planned: stopped at the time budget)" if n < c.planned else ""
    print(f"  check of {n} new articles{cut} (identify + store_article): median {c.median():.2f} ms, "
          f"p95 {c.p95():.2f} ms; load average before the check {c.load:.2f}")
    print(f"    identify        median {c.median('identify'):.2f} ms, p95 {c.p95('identify'):.2f} ms")
    print(f"    store_article   median {c.median('store'):.2f} ms, p95 {c.p95('store'):.2f} ms, of which "
          f"look-ups (URLs, hash, bands) median {c.median('lookup'):.2f} ms (p95 {c.p95('lookup'):.2f}), "
          f"confirm median {c.median('confirm'):.2f} ms (p95 {c.p95('confirm'):.2f}), "
          f"insert median {c.median('insert'):.2f} ms, the rest (connect, commit) "
          f"median {c.median('other'):.2f} ms")
    print(f"    a fresh article's LSH buckets hold {c.rows_read:,.1f} band rows of {c.sharing:,.1f} other articles "
          f"on average (what the look-up reads before its LIMIT)")
    print(f"    LSH candidates per article: mean {c.mean('candidates'):.2f}, "
          f"max {max(x.candidates for x in c.timings)}, at the cap of {MAX_CANDIDATES}: {c.cap_hits}")
    outcomes = ("new", "duplicate", "near_duplicate")
    print("    " + "truth \\ outcome".ljust(18) + "".join(f"{o:>16s}" for o in outcomes))
    for truth in outcomes:
        row = [c.confusion[(truth, o)] for o in outcomes]
        if sum(row):
            print(f"    {truth:18s}" + "".join(f"{v:16d}" for v in row))
    copies = sum(v for (truth, _), v in c.confusion.items() if truth != "new")
    print(f"    copies recognised: {c.copies_found}/{copies} "
          f"({c.copies_found / max(copies, 1):.1%}), pointing at the right original: {c.right_original}")


def _summary(results: list[Result]) -> None:
    print("\nsummary (check = identify + store_article per new article)")
    head = (f"{'backend':<11s} {'size':>10s} {'build':>9s} {'path':<6s} {'median ms':>10s} {'p95 ms':>8s} "
            f"{'store med':>10s} {'× 10k':>7s} {'recall':>7s}")
    print(head)
    print("-" * len(head))
    base = {r.backend: r.check.median() for r in results if r.size == 10_000}
    for r in results:
        ratio = f"{r.check.median() / base[r.backend]:.2f}" if r.backend in base else "-"
        copies = sum(v for (truth, _), v in r.check.confusion.items() if truth != "new")
        path = {"bulk": "bulk", "store_article": "store", "reused": "reused"}.get(r.build.path, "cache")
        print(f"{r.backend:<11s} {r.size:>10,d} {_duration(r.build.seconds):>9s} {path:<6s} "
              f"{r.check.median():>10.2f} {r.check.p95():>8.2f} {r.check.median('store'):>10.2f} {ratio:>7s} "
              f"{r.check.copies_found / max(copies, 1):>7.1%}")


def _revision() -> str:
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=10,
                             cwd=Path(__file__).resolve().parent, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown revision"


def _duration(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def _progress(line: str) -> None:
    if sys.stderr.isatty():
        print(f"\r{line:<70s}", end="" if line else "\r", file=sys.stderr, flush=True)
    elif line:
        print(line, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000,1000000", help="archive sizes, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite, postgresql or both")
    parser.add_argument("--probes", type=int, default=500, help="new articles checked per archive")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--copy-share", type=float, default=0.10, help="share of copies in the archive")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="fingerprinting processes")
    parser.add_argument("--build", choices=("bulk", "store"), default="bulk")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--tmpdir", default=None, help="where the SQLite files go (default: the system's)")
    parser.add_argument("--explain", action="store_true", help="print the plan of the band look-up")
    parser.add_argument("--no-warm", dest="warm", action="store_false",
                        help="check without first reading the band index ahead (Store.warm, which the daemon runs "
                             "at start): look-ups then read whatever pages the build left out of memory")
    parser.add_argument("--check-budget", type=float, default=1200.0,
                        help="seconds of checking per archive before stopping early (at least 50 probes)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files and PostgreSQL schemas")
    parser.add_argument("--cache", default=None, metavar="DIR",
                        help="write the fingerprinted rows here, or read them back if an earlier build wrote them")
    parser.add_argument("--reuse", default=None, metavar="URL",
                        help="check the archive an earlier --keep run left at URL instead of building one (give its "
                             "size as the one --sizes value and one backend; it is migrated on open)")
    parser.add_argument("--probe-offset", type=int, default=0, metavar="N",
                        help="number the probes from N (a reused archive already holds an earlier check's probes)")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s]
    if args.reuse and (len(sizes) != 1 or "," in args.backends):
        parser.error("--reuse checks one archive: give one --sizes value and one --backends value")
    backends: list[Backend] = []
    for name in (b.strip() for b in args.backends.split(",") if b.strip()):
        if name == "sqlite":
            backends.append(SqliteBackend(args.tmpdir))
        elif name in ("postgresql", "postgres", "pg"):
            pg = PostgresBackend(args.pg_url)
            reason = pg.unreachable()
            if reason:
                print(f"skipping PostgreSQL: {reason}")
            else:
                backends.append(pg)
        else:
            parser.error(f"unknown backend {name!r} (use sqlite, postgresql)")
    print(f"dedupe bench: sizes {', '.join(f'{s:,}' for s in sizes)}; seed {args.seed}; "
          f"{args.copy_share:.0%} copies in the archive; {args.probes} probes per archive; "
          f"{os.cpu_count()} CPUs; python {sys.version.split()[0]}; sqlite {sqlite3.sqlite_version}")
    print(f"code: {_revision()}; LSH {fingerprint.BANDS} bands × {fingerprint.ROWS} rows, "
          f"at most {MAX_CANDIDATES} candidates confirmed")
    results = []
    t0 = time.perf_counter()
    for backend in backends:
        for size in sizes:
            results.append(run_one(backend, size, args))
    _summary(results)
    print(f"\ntotal wall time {_duration(time.perf_counter() - t0)}")


if __name__ == "__main__":
    main()
