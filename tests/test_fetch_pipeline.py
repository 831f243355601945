"""`fetch` over real loopback sites: a failing source is recorded with its kind and the others are stored."""

from __future__ import annotations

import asyncio
import gzip
import time
from dataclasses import replace
from pathlib import Path

import pytest

from sinowatch.config import FetchSettings, load_settings
from sinowatch.models import ListingRules, SourceConfig, SourceKind
from sinowatch.pipeline import Context, fetch_sources
from sinowatch.store.queries import iter_articles
from tests.helpers.site import Reply, Site

ARTICLE = """<html><head><title>{title} | 테스트일보</title>
<link rel="canonical" href="https://news.example/{slug}">
<meta property="article:published_time" content="2025-03-14T09:12:00+09:00"></head>
<body><nav><a href="/">홈</a> <a href="/world">국제</a></nav>
<article><h1>{title}</h1><div id="articleBody">{body}</div></article>
<footer>무단전재 및 재배포 금지</footer></body></html>"""

BODIES = {
    "바이두": ["중국 인공지능 기업 바이두가 새로운 대규모 언어모델 어니 5를 공개했다.",
             "회사는 추론 능력과 중국어 이해가 이전 세대보다 크게 나아졌다고 밝혔다.",
             "베이징 본사에서 열린 행사에는 개발자 3천여 명이 참석했다."],
    "화웨이": ["화웨이가 선전에서 열린 개발자 대회에서 AI 칩 어센드의 새 로드맵을 발표했다.",
             "미국의 수출 통제 속에서 자체 반도체 생태계를 키우겠다는 전략이다.",
             "업계는 SMIC의 수율 개선 여부가 관건이라고 본다."],
    "텐센트": ["텐센트가 자체 AI 모델 훈위안을 메신저 위챗에 본격 탑재한다고 밝혔다.",
             "이용자는 대화창에서 바로 검색과 요약 기능을 쓸 수 있게 된다.",
             "중국 인터넷 업계의 AI 비서 경쟁이 한층 치열해질 전망이다."],
}


def page(title: str, slug: str, who: str) -> str:
    return ARTICLE.format(title=title, slug=slug, body="".join(f"<p>{p}</p>" for p in BODIES[who]))


def rss(site: Site, *slugs: str) -> str:
    items = "".join(f"<item><title>{s}</title><link>{site.url('/a/' + s)}</link>"
                    f"<pubDate>Fri, 14 Mar 2025 09:12:00 +0900</pubDate></item>" for s in slugs)
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'


def source(name: str, url: str, kind: SourceKind = SourceKind.FEED, **kw: object) -> SourceConfig:
    return SourceConfig(name=name, url=url, kind=kind, outlet=name.upper(), **kw)  # type: ignore[arg-type]


@pytest.fixture
def ctx(tmp_path: Path, db_url: str) -> Context:
    settings = replace(load_settings(None, env={}), database_url=db_url,
                       fetch=FetchSettings(host_delay=0.0, timeout=3.0, allow_private_addresses=True, retries=1))
    context = Context.open(settings)
    yield context
    context.close()


def health(ctx: Context) -> dict[str, dict[str, object]]:
    return {r["name"]: r for r in ctx.store.source_rows()}  # type: ignore[misc]


def test_failures_are_recorded_and_the_rest_is_stored(ctx: Context, site: Site) -> None:
    site.add("/good.xml", rss(site, "one", "two"), content_type="application/rss+xml")
    for slug, who in (("one", "바이두"), ("two", "화웨이")):
        site.add(f"/a/{slug}", page(f"{who} 새 모델 공개", slug, who))
    site.add("/broken.xml", "<rss><channel><item><title>unterminated", content_type="application/rss+xml")
    site.add("/down.xml", status=503)
    site.add("/list.html", "<html><body><ul class='x'><li><a href='/a/one'>one</a></li></ul></body></html>")
    site.add("/gone.xml", status=410)
    sources = [source("good", site.url("/good.xml")), source("broken", site.url("/broken.xml")),
               source("down", site.url("/down.xml")), source("gone", site.url("/gone.xml")),
               source("nomatch", site.url("/list.html"), SourceKind.HTML, listing=ListingRules(links="ul.y li a"))]
    reports = {r.source: r for r in asyncio.run(fetch_sources(ctx, sources))}
    assert reports["good"].new == 2 and reports["good"].error_kind is None
    assert reports["broken"].error_kind == "parse_error"
    assert reports["down"].error_kind == "http_5xx" and site.hits("/down.xml") == 2  # retried once
    assert reports["gone"].error_kind == "gone"
    assert reports["nomatch"].error_kind == "parse_error" and "matched no article links" in str(reports["nomatch"].error)
    rows = health(ctx)
    assert rows["good"]["consecutive_failures"] == 0 and rows["good"]["last_success_at"] is not None
    for name in ("broken", "down", "gone", "nomatch"):
        assert rows[name]["consecutive_failures"] == 1 and rows[name]["last_error"], name
    assert rows["gone"]["disabled_reason"]
    assert sorted(a.title for a in iter_articles(ctx.store)) == ["바이두 새 모델 공개", "화웨이 새 모델 공개"]
    asyncio.run(fetch_sources(ctx, sources))
    assert health(ctx)["down"]["consecutive_failures"] == 2


def test_known_urls_are_not_fetched_again_and_304_costs_nothing(ctx: Context, site: Site) -> None:
    body = rss(site, "one").encode()
    site.handle("/feed.xml", lambda h: Reply(304) if h.headers.get("If-None-Match") == '"f1"' else
                Reply(200, body, {"ETag": '"f1"', "Content-Type": "application/rss+xml"}))
    site.add("/a/one", page("바이두 새 모델", "one", "바이두"))
    src = [source("feed", site.url("/feed.xml"))]
    first = asyncio.run(fetch_sources(ctx, src))[0]
    assert first.new == 1
    second = asyncio.run(fetch_sources(ctx, src))[0]
    assert second.not_modified and site.hits("/a/one") == 1


def test_a_failed_article_keeps_the_feed_unvalidated_so_nothing_is_lost(ctx: Context, site: Site) -> None:
    body = rss(site, "one", "two").encode()
    site.handle("/feed.xml", lambda h: Reply(304) if h.headers.get("If-None-Match") == '"f1"' else
                Reply(200, body, {"ETag": '"f1"', "Content-Type": "application/rss+xml"}))
    site.add("/a/one", page("바이두 새 모델", "one", "바이두"))
    site.add("/a/two", status=500)
    src = [source("feed", site.url("/feed.xml"))]
    first = asyncio.run(fetch_sources(ctx, src))[0]
    assert first.new == 1 and first.failed == 1 and first.error_kind == "http_5xx"
    site.add("/a/two", page("화웨이 새 모델", "two", "화웨이"))
    second = asyncio.run(fetch_sources(ctx, src))[0]  # no 304: the feed is read again, the lost item fetched
    assert not second.not_modified and second.new == 1 and second.known == 1
    assert health(ctx)["feed"]["consecutive_failures"] == 0


def test_feed_declaring_utf8_with_euckr_bytes_is_not_mojibake(ctx: Context, site: Site) -> None:
    site.add("/feed.xml", rss(site, "k"), content_type="application/rss+xml")
    body = page("텐센트 새 모델 공개", "k", "텐센트").encode("cp949")
    site.add("/a/k", body, content_type="text/html; charset=utf-8")  # the header lies
    report = asyncio.run(fetch_sources(ctx, [source("liar", site.url("/feed.xml"))]))[0]
    assert report.new == 1
    [article] = list(iter_articles(ctx.store))
    assert article.title == "텐센트 새 모델 공개" and "\ufffd" not in article.body


def test_gzipped_sitemaps_are_unpacked_and_bombs_refused(ctx: Context, site: Site) -> None:
    """`sitemap.xml.gz` served as a file (no Content-Encoding): unpacked within [fetch] max_bytes."""
    urlset = ('<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
              f'<url><loc>{site.url("/a/one")}</loc><lastmod>2025-03-14T09:12:00+09:00</lastmod></url></urlset>')
    site.add("/news.xml.gz", gzip.compress(urlset.encode()), content_type="application/x-gzip")
    site.add("/index.xml", '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
             '/news.xml.gz</loc></sitemap></sitemapindex>', content_type="application/xml")
    site.add("/a/one", page("바이두 새 모델 공개", "one", "바이두"))
    bomb = gzip.compress(urlset.encode() + b" " * (ctx.settings.fetch.max_bytes + 1))
    site.add("/bomb.xml.gz", bomb, content_type="application/x-gzip")
    site.add("/broken.xml.gz", gzip.compress(urlset.encode())[:40], content_type="application/x-gzip")
    sources = [source("index", site.url("/index.xml"), SourceKind.SITEMAP),
               source("bomb", site.url("/bomb.xml.gz"), SourceKind.SITEMAP),
               source("broken", site.url("/broken.xml.gz"), SourceKind.SITEMAP)]
    reports = {r.source: r for r in asyncio.run(fetch_sources(ctx, sources))}
    assert reports["index"].new == 1 and reports["index"].error_kind is None
    assert len(bomb) < 100_000 and reports["bomb"].error_kind == "too_large"
    assert reports["broken"].error_kind == "parse_error" and "gzip" in str(reports["broken"].error)
    assert [a.title for a in iter_articles(ctx.store)] == ["바이두 새 모델 공개"]


def test_a_gone_source_is_skipped_until_its_url_changes(ctx: Context, site: Site) -> None:
    site.add("/old.xml", status=410)
    site.add("/new.xml", rss(site, "one"), content_type="application/rss+xml")
    site.add("/a/one", page("바이두 새 모델", "one", "바이두"))
    old = source("moved", site.url("/old.xml"))
    assert asyncio.run(fetch_sources(ctx, [old]))[0].error_kind == "gone"
    again = asyncio.run(fetch_sources(ctx, [old]))[0]
    assert again.disabled and site.hits("/old.xml") == 1
    moved = asyncio.run(fetch_sources(ctx, [replace(old, url=site.url("/new.xml"))]))[0]
    assert moved.new == 1 and not moved.disabled


def test_the_process_pool_gives_the_same_articles(tmp_path: Path, site: Site) -> None:
    from sinowatch.pipeline import work
    slugs = [f"p{i}" for i in range(6)]
    site.add("/feed.xml", rss(site, *slugs), content_type="application/rss+xml")
    for i, slug in enumerate(slugs):
        site.add(f"/a/{slug}", page(f"기사 {i}", slug, ["바이두", "화웨이", "텐센트"][i % 3]))
    results = {}
    for workers in (0, 2):
        settings = replace(load_settings(None, env={}), database_url=f"sqlite:///{tmp_path / f'w{workers}.db'}",
                           fetch=FetchSettings(host_delay=0.0, allow_private_addresses=True, workers=workers))
        ctx = Context.open(settings)
        old, work.INLINE_FIRST = work.INLINE_FIRST, 0  # use the pool from the first page
        try:
            asyncio.run(fetch_sources(ctx, [source("feed", site.url("/feed.xml"))]))
            assert (ctx.analyser.pool is not None) == (workers > 0)  # type: ignore[union-attr]
            stored = list(iter_articles(ctx.store))
            # three bodies for six pages: which copy of a pair is stored first depends on timing
            results[workers] = (sorted((a.title, tuple(e.id for e in a.entities)) for a in stored),
                                sorted(a.status for a in stored))
        finally:
            work.INLINE_FIRST = old
            ctx.close()
    assert results[0] == results[2] and results[0][1] == ["duplicate"] * 3 + ["new"] * 3


def test_a_killed_analysing_process_is_replaced_and_nothing_is_lost(tmp_path: Path, site: Site) -> None:
    """A worker of the process pool killed mid-run (the OOM killer, a signal): the pool is replaced, the
    page is analysed again, and the run stores every article."""
    import os
    import signal
    import time

    from sinowatch.pipeline import work
    slugs = [f"k{i}" for i in range(8)]
    site.add("/feed.xml", rss(site, *slugs), content_type="application/rss+xml")
    for i, slug in enumerate(slugs):
        site.add(f"/a/{slug}", page(f"기사 {i}", slug, ["바이두", "화웨이", "텐센트"][i % 3]).replace(
            "</h1>", f"</h1><p>기사 번호 {i}번의 고유한 첫 문단이 여기에 들어가 서로 다른 본문이 된다.</p>"))
    settings = replace(load_settings(None, env={}), database_url=f"sqlite:///{tmp_path / 'k.db'}",
                       fetch=FetchSettings(host_delay=0.0, allow_private_addresses=True, workers=1))
    ctx = Context.open(settings)
    old, work.INLINE_FIRST = work.INLINE_FIRST, 0
    try:
        analyser = ctx.analyser
        assert analyser is not None
        first = asyncio.run(fetch_sources(ctx, [source("one", site.url("/feed.xml"))]))[0]
        assert first.new + first.duplicates == 8
        pool = analyser.pool
        assert pool is not None
        for pid in list(pool._processes):  # kill the worker between two runs of the daemon
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while not pool._broken and time.monotonic() < deadline:  # the pool notices its dead worker
            time.sleep(0.05)
        site.add("/feed2.xml", rss(site, *slugs), content_type="application/rss+xml")
        with ctx.store.transaction() as tx:  # forget the articles so they are fetched and analysed again
            for name in ("lsh_bands", "sketches", "content_hashes", "article_entities", "article_urls", "articles"):
                tx.conn.exec_driver_sql(f"DELETE FROM {name}")
        again = asyncio.run(fetch_sources(ctx, [source("two", site.url("/feed2.xml"))]))[0]
        assert again.failed == 0 and again.new + again.duplicates == 8
        assert analyser.pool is not None and analyser.pool is not pool
    finally:
        work.INLINE_FIRST = old
        ctx.close()


def test_fetching_waits_for_analysis_instead_of_piling_up_pages(ctx: Context, site: Site) -> None:
    """When analysis is the slow part, at most 2 × concurrency fetched pages wait for it: memory stays
    bounded on a 10,000-page run instead of holding every page until its turn."""
    slugs = [f"m{i}" for i in range(24)]
    site.add("/feed.xml", rss(site, *slugs), content_type="application/rss+xml")
    for i, slug in enumerate(slugs):
        site.add(f"/a/{slug}", page(f"기사 {i}", slug, ["바이두", "화웨이", "텐센트"][i % 3]))
    ctx.settings = replace(ctx.settings, fetch=replace(ctx.settings.fetch, concurrency=3))
    analyser = ctx.analyser
    assert analyser is not None
    original = analyser.page
    waiting, peak = 0, 0

    async def slow_page(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal waiting, peak
        waiting += 1
        peak = max(peak, waiting)
        await asyncio.sleep(0.3)
        try:
            return await original(*args, **kwargs)
        finally:
            waiting -= 1

    analyser.page = slow_page  # type: ignore[method-assign]
    report = asyncio.run(fetch_sources(ctx, [source("slow", site.url("/feed.xml"))]))[0]
    assert report.new + report.duplicates == 24 and report.failed == 0
    assert 1 < peak <= 6


def test_fetching_waits_for_the_database_instead_of_piling_up_articles(ctx: Context, site: Site,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """When storing is the slow part, at most WAITING_BATCHES × WRITE_BATCH articles are between their request
    and their commit: fetching waits for the database, and every article is still stored."""
    from sinowatch.pipeline import fetching

    monkeypatch.setattr(fetching, "WRITE_BATCH", 2)
    monkeypatch.setattr(fetching, "WAITING_BATCHES", 2)
    slugs = [f"w{i}" for i in range(24)]
    site.add("/feed.xml", rss(site, *slugs), content_type="application/rss+xml")
    for i, slug in enumerate(slugs):
        site.add(f"/a/{slug}", page(f"기사 {i}", slug, ["바이두", "화웨이", "텐센트"][i % 3]))
    started = stored = peak = 0
    original_store, analyser = fetching.store_articles, ctx.analyser
    assert analyser is not None
    original_page = analyser.page

    def slow_store(store, batch, weight=None, memo=None):  # type: ignore[no-untyped-def]
        nonlocal stored
        time.sleep(0.2)
        results = original_store(store, batch, weight, memo)
        stored += len(batch)
        return results

    async def counted_page(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal started, peak
        started += 1
        peak = max(peak, started - stored)
        return await original_page(*args, **kwargs)

    monkeypatch.setattr(fetching, "store_articles", slow_store)
    analyser.page = counted_page  # type: ignore[method-assign]
    report = asyncio.run(fetch_sources(ctx, [source("slowdb", site.url("/feed.xml"))]))[0]
    assert report.new + report.duplicates == 24 and report.failed == 0 and stored == 24
    assert 1 < peak <= 4
