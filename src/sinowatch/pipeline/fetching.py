"""Fetching chained: list a source, fetch its unseen articles, analyse and store each one."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence

import httpx

from sinowatch.errors import FetchError, ParseError, StoreError
from sinowatch.fetch.client import Fetcher, Validators
from sinowatch.fetch.decode import decode_html, unzipped
from sinowatch.fetch.urls import canonical_url, host_of
from sinowatch.models import Article, FeedItem, Identity, SourceConfig, SourceKind, SourceReport, StoreResult
from sinowatch.parse.feed import parse_feed
from sinowatch.parse.listing import parse_listing
from sinowatch.parse.sitemap import parse_sitemap
from sinowatch.pipeline.core import Context, EventMemo, Pending, count, store_articles
from sinowatch.store import Conflict

log = logging.getLogger("sinowatch.fetch")
MAX_SITEMAPS = 5
STORE_RETRIES = 4  # 1 + 2 + 4 s of waiting for the database before the article counts as failed
WRITE_BATCH = 50
WAITING_BATCHES = 4  # analysed articles a run holds at most while the database catches up, in batches
Progress = Callable[[SourceReport], None]


async def fetch_sources(ctx: Context, sources: Sequence[SourceConfig], *,
                        transport: httpx.AsyncBaseTransport | None = None,
                        progress: Progress | None = None) -> list[SourceReport]:
    """Fetch every source concurrently through one shared client; one failing never stops the others."""
    ctx.store.sync_sources(sources)
    writer = Writer(ctx)
    states = ctx.store.source_states([s for s in sources if s.enabled])
    async with Fetcher(ctx.settings.fetch, transport=transport) as fetcher:
        async def one(source: SourceConfig) -> SourceReport:
            report = await fetch_source(ctx, fetcher, source, writer, states.get(source.name))
            if progress:
                progress(report)
            return report
        return list(await asyncio.gather(*(one(s) for s in sources if s.enabled)))


async def fetch_source(ctx: Context, fetcher: Fetcher, source: SourceConfig, writer: Writer | None = None,
                       state: tuple[str | None, str | None, str | None] | None = None) -> SourceReport:
    """List one source, fetch its unseen articles, store them; the outcome is recorded on the source.
    `state`: what Store.source_states read of it beforehand (read here if not given)."""
    report = SourceReport(source.name)
    writer = writer or Writer(ctx)
    # The database calls of a run go to threads: a write waits for the Writer's batch to commit, and the
    # event loop must not wait with it.
    store = ctx.store
    if state is None:
        state = (await asyncio.to_thread(store.source_states, [source]))[source.name]
    disabled, etag, modified = state
    if disabled:  # it answered 410 Gone: not fetched again until its URL changes in the config
        report.disabled, report.error = True, disabled
        return report
    try:
        listing = await fetcher.get(source.url, validators=Validators(etag, modified), headers=source.headers,
                                    trusted=host_of(source.url))
        if listing.not_modified:
            report.not_modified = True
        else:
            items = await list_items(fetcher, source, listing.content, listing.url, listing.content_type)
            report.items = len(items)
            known = await asyncio.to_thread(store.known_urls, [u for i in items for u in (i.url, canonical_url(i.url))])
            todo = [i for i in items if i.url not in known and canonical_url(i.url) not in known]
            report.known += len(items) - len(todo)  # known URLs are not fetched again
            await asyncio.gather(*(fetch_article(ctx, fetcher, source, item, report, writer) for item in todo))
            if not report.failed:  # keep the validators only once every item is safely stored
                await asyncio.to_thread(store.save_validators, source.url, listing.validators.etag,
                                        listing.validators.last_modified)
    except (FetchError, ParseError) as exc:
        report.error_kind, report.error = exc.kind, exc.message
    disable = report.error if report.error_kind == "gone" else None
    await asyncio.to_thread(store.record_fetch, source.name, interval=source.interval, error_kind=report.error_kind,
                            error=report.error, disable=disable,
                            jitter=random.uniform(0, min(60.0, source.interval / 10)))
    return report


async def list_items(fetcher: Fetcher, source: SourceConfig, body: bytes, url: str,
                     content_type: str | None) -> list[FeedItem]:
    """The items a source lists now: a feed, every page of a listing, or a sitemap (index)."""
    cap = fetcher.settings.max_bytes
    if source.kind is SourceKind.FEED:
        body = unzipped(body, cap, url)
        text, _ = decode_html(body, content_type, source.encoding)
        return parse_feed(text, url, timezone=source.timezone)
    if source.kind is SourceKind.HTML:
        assert source.listing is not None
        items: list[FeedItem] = []
        for page in range(source.listing.max_pages):
            text, _ = decode_html(body, content_type, source.encoding)
            found, next_url = parse_listing(text, url, source.listing, timezone=source.timezone)
            items += [i for i in found if i.url not in {x.url for x in items}]
            if not next_url or page + 1 >= source.listing.max_pages:
                break
            response = await fetcher.get(next_url, headers=source.headers, trusted=host_of(source.url))
            body, url, content_type = response.content, response.url, response.content_type
        return items
    sitemap = parse_sitemap(decode_html(unzipped(body, cap, url), content_type, source.encoding)[0], url,
                            timezone=source.timezone)
    items = list(sitemap.items)
    for child in sitemap.sitemaps[:MAX_SITEMAPS]:
        response = await fetcher.get(child, headers=source.headers, trusted=host_of(source.url))
        text, _ = decode_html(unzipped(response.content, cap, response.url), response.content_type, source.encoding)
        items += parse_sitemap(text, response.url, timezone=source.timezone).items
    return items


class Writer:
    """Stores analysed articles in batches — one transaction per batch, on a thread off the event loop —
    retrying when the database is briefly away rather than losing what was fetched.

    Two bounds keep a run's memory flat whatever its size: `pages` holds the articles between their request
    and their analysis (when the analysing processes are the slow part, fetching waits for them instead of
    holding every fetched page), and `room` the articles between their request and their commit (when the
    database is the slow part, fetching waits for it: bench/pipeline.py had fetched all 10,000 pages while
    a third of them still waited to be stored)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.pages = asyncio.Semaphore(2 * ctx.settings.fetch.concurrency)
        self.room = asyncio.Semaphore(WAITING_BATCHES * WRITE_BATCH)
        self.pending: list[tuple[Pending, asyncio.Future[StoreResult]]] = []
        self.flushing: asyncio.Task[None] | None = None
        self.memo = EventMemo()  # stored reports' clustering features, read once a run

    async def store(self, article: Article, identity: Identity, urls: list[str]) -> StoreResult:
        future: asyncio.Future[StoreResult] = asyncio.get_running_loop().create_future()
        self.pending.append(((article, identity, urls), future))
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.ensure_future(self._flush())
        return await future

    async def _flush(self) -> None:
        await asyncio.sleep(0)  # let articles analysed at the same moment join this batch
        while self.pending:
            batch, self.pending = self.pending[:WRITE_BATCH], self.pending[WRITE_BATCH:]
            try:
                results = await self._write([p for p, _ in batch])
            except Exception as exc:  # noqa: BLE001  (handed to every waiting article, then raised there)
                for _, future in batch:
                    future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                future.set_result(result)

    async def _write(self, batch: list[Pending]) -> list[StoreResult]:
        for attempt in range(STORE_RETRIES):
            try:
                return await asyncio.to_thread(store_articles, self.ctx.store, batch, self.ctx.weight, self.memo)
            except Conflict:
                raise
            except StoreError as exc:
                if attempt == STORE_RETRIES - 1:
                    raise
                log.warning("database error, retrying the write in %.0f s: %s", 2 ** attempt, exc.message)
                await asyncio.sleep(2 ** attempt)
        raise AssertionError("unreachable")


async def fetch_article(ctx: Context, fetcher: Fetcher, source: SourceConfig, item: FeedItem,
                        report: SourceReport, writer: Writer) -> None:
    """Fetch, extract, analyse and store one listed article."""
    try:
        async with writer.room:
            async with writer.pages:
                response = await fetcher.get(item.url, headers=source.headers, trusted=host_of(source.url))
                assert ctx.analyser is not None
                article, identity = await ctx.analyser.page(response.content, response.content_type,
                                                            response.url, source, item)
                fetched_url = response.url
                del response  # the page's bytes are not kept while the article waits for its batch
            result = await writer.store(article, identity, [item.url, fetched_url])
    except (FetchError, ParseError) as exc:  # recorded on the source; the other articles go on
        report.failed += 1
        report.error_kind, report.error = exc.kind, f"{item.url}: {exc.message}"
        log.warning("%s: article failed: %s", source.name, report.error)
        return
    count(report, article, result)
