"""CPU work off the event loop: decode, extract, tag, score and fingerprint pages on a process pool.

Each worker process builds its own matcher once (the initializer); the event loop sends raw bytes and gets
back an Article and its Identity. With `[fetch] workers = 0` the same function runs inline.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from sinowatch import dedupe, relevance
from sinowatch.config import RelevanceSettings
from sinowatch.entities import Matcher, load_gazetteer
from sinowatch.errors import ParseError
from sinowatch.fetch.decode import decode_html
from sinowatch.fetch.urls import canonical_url
from sinowatch.models import Article, Extracted, FeedItem, Identity, SourceConfig
from sinowatch.parse.article import extract
from sinowatch.resources import limit_malloc_arenas, settle_heap

log = logging.getLogger("sinowatch.fetch")
_worker: tuple[Matcher, RelevanceSettings] | None = None  # one per worker process, built by _init
INLINE_FIRST = 40


def _init(extra_entities: Path | None, rules: RelevanceSettings) -> None:
    global _worker
    limit_malloc_arenas()
    _worker = (Matcher(load_gazetteer([extra_entities] if extra_entities else [])), rules)
    settle_heap()


def page_article(matcher: Matcher, rules: RelevanceSettings, body: bytes, content_type: str | None, url: str,
                 source: SourceConfig, item: FeedItem) -> tuple[Article, Identity]:
    """One fetched page, bytes to analysed article: decode once, parse once."""
    text, encoding = decode_html(body, content_type, source.encoding)
    page = extract(text, url, timezone=source.timezone, rules=source.article, encoding=encoding)
    return analyse_page(matcher, rules, page, source=source.name, outlet=source.display_name, fetched_url=url,
                        item=item)


def _in_worker(body: bytes, content_type: str | None, url: str, source: SourceConfig,
               item: FeedItem) -> tuple[Article, Identity]:
    assert _worker is not None, "worker not initialised"
    return page_article(*_worker, body, content_type, url, source, item)


def analyse_page(matcher: Matcher, rules: RelevanceSettings, page: Extracted, *, source: str, outlet: str,
                 fetched_url: str | None = None, item: FeedItem | None = None) -> tuple[Article, Identity]:
    """Normalise, tag, score and fingerprint one extracted page: everything but the store."""
    title = (page.title or (item.title if item else None) or "").strip()
    body = page.body
    if not body.strip() and item and item.summary:
        body = item.summary
    if not title and not body.strip():
        raise ParseError(f"no headline and no text found in {fetched_url or page.url}")
    hits = matcher.tag(body, title)
    rel = relevance.score(title, body, hits, rules)
    identity = dedupe.identify(body)
    url = canonical_url(page.canonical_url or page.url or fetched_url or "", fetched_url or page.url)
    article = Article(url=url, source=source, outlet=outlet, title=title or body[:80], body=body,
                      published=page.published or (item.published if item else None), updated=page.updated,
                      author=page.author, fetched_url=fetched_url, encoding=page.encoding, image=page.image,
                      content_hash=identity.content_hash, entities=hits, relevance=rel.score,
                      on_topic=rel.on_topic)
    return article, identity


class Analyser:
    """Runs page_article on a pool sized to the cores, or inline with workers = 0.

    The pool starts once a run has analysed INLINE_FIRST pages: starting worker processes (each loading the
    gazetteer) costs about a second, more than a small run (the demo, one feed) spends on analysis at all.
    """

    def __init__(self, matcher: Matcher, rules: RelevanceSettings, extra_entities: Path | None, workers: int) -> None:
        self.matcher, self.rules, self.extra, self.workers = matcher, rules, extra_entities, workers
        self.pool: ProcessPoolExecutor | None = None
        self.seen = 0

    async def page(self, body: bytes, content_type: str | None, url: str, source: SourceConfig,
                   item: FeedItem) -> tuple[Article, Identity]:
        self.seen += 1
        if self.workers <= 0 or (self.pool is None and self.seen <= INLINE_FIRST):
            return page_article(self.matcher, self.rules, body, content_type, url, source, item)
        loop = asyncio.get_running_loop()
        for _ in range(2):
            pool = self._pool()
            try:
                return await loop.run_in_executor(pool, _in_worker, body, content_type, url, source, item)
            except BrokenProcessPool:  # a worker was killed (out of memory, a signal): a new pool, once
                self._discard(pool)
        raise ParseError(f"the analysing process died twice on this page ({url})")

    def _pool(self) -> ProcessPoolExecutor:
        if self.pool is None:
            # forkserver: the parent has threads (the event loop's resolver, servers in tests); fork is unsafe
            self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("forkserver"),
                                            initializer=_init, initargs=(self.extra, self.rules))
        return self.pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Drop a broken pool (every page waiting on it retries on the next one)."""
        if self.pool is pool:
            log.warning("an analysing process died; starting a new pool")
            pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
