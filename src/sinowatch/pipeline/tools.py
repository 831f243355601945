"""Tools for people writing source configs: what the extractor, the tagger and a listing see; OPML import."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from sinowatch import relevance
from sinowatch.config import Settings, load_source_file
from sinowatch.config.sources import slug, source_toml
from sinowatch.entities import Matcher, load_gazetteer
from sinowatch.errors import UsageError
from sinowatch.fetch.client import Fetcher
from sinowatch.fetch.decode import decode_html
from sinowatch.fetch.urls import canonical_url
from sinowatch.models import EntityHit, Extracted, FeedItem, SourceConfig
from sinowatch.parse.article import extract
from sinowatch.parse.opml import parse_opml
from sinowatch.pipeline.core import Context
from sinowatch.pipeline.fetching import list_items
from sinowatch.store.queries import iter_articles


def extract_pages(settings: Settings, targets: Sequence[str], *, source: SourceConfig | None = None,
                  allow_private: bool = False) -> list[Extracted]:
    """Extract each file or URL as `fetch` would (the source's time zone, encoding and selectors)."""
    tz = source.timezone if source else settings.timezone
    rules = source.article if source else None
    override = source.encoding if source else None
    pages = []
    urls = [t for t in targets if t.startswith(("http://", "https://"))]
    fetched = _fetch_all(settings, urls, allow_private) if urls else {}
    for target in targets:
        if target in fetched:
            body, content_type, url = fetched[target]
        else:
            path = Path(target)
            if not path.is_file():
                raise UsageError(f"no such file: {target}", hint="give an HTML file or an http(s) URL")
            body, content_type, url = path.read_bytes(), None, path.resolve().as_uri()
        text, encoding = decode_html(body, content_type, override)
        page = extract(text, url, timezone=tz, rules=rules, encoding=encoding)
        if page.canonical_url:
            page.canonical_url = canonical_url(page.canonical_url, url)
        pages.append(page)
    return pages


def _fetch_all(settings: Settings, urls: Sequence[str], allow_private: bool) -> dict[str, tuple[bytes, str | None, str]]:
    fetch_settings = replace(settings.fetch, allow_private_addresses=allow_private or
                             settings.fetch.allow_private_addresses)

    async def run() -> dict[str, tuple[bytes, str | None, str]]:
        async with Fetcher(fetch_settings) as fetcher:
            responses = await asyncio.gather(*(fetcher.get(u) for u in urls))
        return {u: (r.content, r.content_type, r.url) for u, r in zip(urls, responses, strict=True)}

    return asyncio.run(run())


def tag_text(settings: Settings, text: str, title: str = "") -> list[EntityHit]:
    """Entities in one text, with offsets into it."""
    gazetteer = load_gazetteer([settings.entities] if settings.entities else [])
    return Matcher(gazetteer).tag(text, title)


def suggest_names(settings: Settings, text: str) -> list[tuple[str, int]]:
    """Names written as 한글(漢字) / 한글(English) that the gazetteer does not know yet."""
    gazetteer = load_gazetteer([settings.entities] if settings.entities else [])
    return Matcher(gazetteer).suggest(text).most_common()


def check_source(settings: Settings, source: SourceConfig) -> list[FeedItem]:
    """Fetch and parse one source's listing without storing anything: what `fetch` would see."""
    fetch_settings = settings.fetch

    async def run() -> list[FeedItem]:
        async with Fetcher(fetch_settings) as fetcher:
            response = await fetcher.get(source.url, headers=source.headers)
            return await list_items(fetcher, source, response.content, response.url, response.content_type)

    return asyncio.run(run())


def import_opml(settings: Settings, opml: Path, target: Path | None = None) -> tuple[Path, list[SourceConfig]]:
    """Write one `[[source]]` per OPML feed into a feeds/ file, skipping URLs already configured."""
    outlines = parse_opml(opml.read_bytes(), str(opml))
    known_urls = {s.url for s in settings.sources}
    taken = {s.name for s in settings.sources}
    target = target or settings.feeds_dir / f"{slug(opml.stem, set())}.toml"
    if target.exists():
        raise UsageError(f"{target} exists already", hint="choose another file with --out")
    tables = [source_toml(slug(o.title, taken), o.title, o.feed_url, comment=f"from {opml.name}"
                          + (f"; site {o.site_url}" if o.site_url else ""))
              for o in outlines if o.feed_url not in known_urls]
    if not tables:
        raise UsageError(f"every feed in {opml} is configured already")
    text = f"# Imported from {opml.name} by `sinowatch sources import-opml`.\n\n" + "\n".join(tables)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    try:
        written = load_source_file(target, default_timezone=settings.timezone)
    except Exception:
        target.unlink()
        raise
    return target, written


def retag(ctx: Context, since: datetime | None = None, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Tag stored articles again with the current gazetteer and re-score relevance; (articles, changed)."""
    total = changed = 0
    for article in iter_articles(ctx.store, since):
        hits = ctx.matcher.tag(article.body, article.title)
        rel = relevance.score(article.title, article.body, hits, ctx.settings.relevance)
        before = {(e.id, e.count) for e in article.entities}
        with ctx.store.transaction() as tx:
            tx.set_entities(article.id, hits)
            tx.set_relevance(article.id, rel.score, rel.on_topic)
        total += 1
        changed += before != {(h.entity.id, h.count) for h in hits} or article.on_topic != rel.on_topic
        if progress and total % 100 == 0:
            progress(total)
    return total, changed
