"""Fault tests over a real loopback server: each bad source is recorded with its kind, the good one is stored.

One case per fault the fetcher must survive: the run finishes, the failure is data on the source, and a
good source served by the same server is stored regardless.
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import struct
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from sinowatch.config import FetchSettings, load_settings
from sinowatch.models import ListingRules, SourceConfig, SourceKind
from sinowatch.pipeline import Context, fetch_sources
from sinowatch.store.queries import iter_articles
from tests.helpers.site import Reply, Site, serve
from tests.test_fetch_pipeline import page, rss

SETTINGS = FetchSettings(host_delay=0.0, timeout=1.5, retries=1, max_bytes=5_000_000,
                         allow_private_addresses=False)  # the sources' own host is trusted; others are not


def drip(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.send_header("Content-Length", "100000")
    h.end_headers()
    try:
        for _ in range(60):
            h.wfile.write(b" ")
            h.wfile.flush()
            time.sleep(0.1)
    except OSError:
        pass


def reset(h: BaseHTTPRequestHandler) -> None:
    h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    h.rfile.close()
    h.wfile.close()
    h.connection.close()  # linger 0: the kernel answers with RST instead of a response


def stall(h: BaseHTTPRequestHandler) -> None:
    time.sleep(4)


def huge(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.end_headers()  # no Content-Length: the cap must hold while streaming
    try:
        for _ in range(50):
            h.wfile.write(b"<!-- " + b"x" * (1 << 20) + b" -->")
    except OSError:
        pass
    h.close_connection = True


def flaky(site: Site, path: str, first: Reply, then: Reply) -> None:
    calls: list[int] = []

    def handler(h: BaseHTTPRequestHandler) -> Reply:
        calls.append(1)
        return first if len(calls) == 1 else then
    site.handle(path, handler)


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
                  + "".join(f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip("abcdefgh", "bcdefghi", strict=True))
                  + ']><rss version="2.0"><channel><title>&i;</title><item><title>&i;</title>'
                  '<link>{base}/a/good</link></item></channel></rss>')


def setup_case(case: str, site: Site, other: Site) -> tuple[SourceConfig, str | None]:
    """Serve the bad source for `case`; returns it and the kind its failure must be recorded as."""
    bad = SourceConfig(name="bad", url=site.url("/bad.xml"), kind=SourceKind.FEED, outlet="BAD")
    feed_bad = rss(site, "bad-article")
    match case:
        case "timeout":
            site.handle("/bad.xml", stall)
            return bad, "timeout"
        case "slow drip":
            site.handle("/bad.xml", drip)
            return bad, "timeout"
        case "connection reset":
            site.handle("/bad.xml", reset)
            return bad, "connect"
        case "500 then success":
            flaky(site, "/bad.xml", Reply(500), Reply(200, feed_bad.encode(), {"Content-Type": "application/rss+xml"}))
            site.add("/a/bad-article", page("텐센트 새 모델 공개", "bad-article", "텐센트"))
            return bad, None
        case "429 with Retry-After":
            flaky(site, "/bad.xml", Reply(429, b"", {"Retry-After": "1"}),
                  Reply(200, feed_bad.encode(), {"Content-Type": "application/rss+xml"}))
            site.add("/a/bad-article", page("텐센트 새 모델 공개", "bad-article", "텐센트"))
            return bad, None
        case "429 beyond the cap":
            site.add("/bad.xml", status=429, headers={"Retry-After": "86400"})
            return bad, "rate_limited"
        case "410":
            site.add("/bad.xml", status=410)
            return bad, "gone"
        case "50 MB body":
            site.handle("/bad.xml", huge)
            return bad, "too_large"
        case "gzip bomb":
            site.add("/bad.xml", gzip.compress(b" " * 60_000_000), content_type="application/rss+xml",
                     headers={"Content-Encoding": "gzip"})
            return bad, "too_large"
        case "invalid XML feed":
            site.add("/bad.xml", "<html><body>이 페이지는 피드가 아닙니다</body></html>", content_type="text/html")
            return bad, "parse_error"
        case "billion laughs":
            site.add("/bad.xml", BILLION_LAUGHS.replace("{base}", site.base), content_type="application/rss+xml")
            return bad, "parse_error"
        case "redirect loop":
            site.add("/bad.xml", status=302, headers={"Location": "/bad2.xml"})
            site.add("/bad2.xml", status=302, headers={"Location": "/bad.xml"})
            return bad, "redirect"
        case "redirect to a private address":
            site.add("/bad.xml", rss(site, "bad-article"), content_type="application/rss+xml")
            other.add("/secret", "internal")
            site.add("/a/bad-article", status=302, headers={"Location": other.url("/secret")})
            return bad, "blocked_address"
        case "link to a private address":
            site.add("/bad.xml", '<rss version="2.0"><channel><item><title>x</title>'
                     '<link>http://169.254.169.254/latest/meta-data/</link></item></channel></rss>',
                     content_type="application/rss+xml")
            return bad, "blocked_address"
        case "robots.txt disallow":
            site.add("/robots.txt", "User-agent: *\nDisallow: /bad\n", content_type="text/plain")
            return bad, "robots_denied"
        case "listing selector matches nothing":
            site.add("/bad.html", "<html><body><ul><li><a href='/a/x'>x</a></li></ul></body></html>")
            return replace(bad, url=site.url("/bad.html"), kind=SourceKind.HTML,
                           listing=ListingRules(links="div.nothing a")), "parse_error"
        case "feed declaring UTF-8 with EUC-KR bytes":
            body = rss(site, "bad-article").replace("<title>bad-article</title>", "<title>똠방각하 바이두</title>")
            site.add("/bad.xml", body.encode("cp949"), content_type="application/rss+xml; charset=utf-8")
            site.add("/a/bad-article", page("텐센트 새 모델 공개", "bad-article", "텐센트").encode("cp949"),
                     content_type="text/html; charset=utf-8")
            return bad, None
    raise AssertionError(case)


CASES = ["timeout", "slow drip", "connection reset", "500 then success", "429 with Retry-After",
         "429 beyond the cap", "410", "50 MB body", "gzip bomb", "invalid XML feed", "billion laughs",
         "redirect loop", "redirect to a private address", "link to a private address", "robots.txt disallow",
         "listing selector matches nothing", "feed declaring UTF-8 with EUC-KR bytes"]


@pytest.mark.parametrize("case", CASES)
def test_fault(case: str, tmp_path: Path, site: Site) -> None:
    with serve("127.0.0.2") as other:
        bad, kind = setup_case(case, site, other)
        site.add("/good.xml", rss(site, "good"), content_type="application/rss+xml")
        site.add("/a/good", page("바이두 새 모델 공개", "good", "바이두"))
        good = SourceConfig(name="good", url=site.url("/good.xml"), kind=SourceKind.FEED, outlet="GOOD")
        settings = replace(load_settings(None, env={}), database_url=f"sqlite:///{tmp_path / 'f.db'}",
                           fetch=SETTINGS)
        ctx = Context.open(settings)
        try:
            started = time.monotonic()
            reports = {r.source: r for r in asyncio.run(fetch_sources(ctx, [bad, good]))}
            elapsed = time.monotonic() - started
            rows = {r["name"]: r for r in ctx.store.source_rows()}
            titles = sorted(a.title for a in iter_articles(ctx.store))
        finally:
            ctx.close()
        assert other.hits("/secret") == 0
    assert elapsed < 20
    assert reports["good"].error_kind is None and reports["good"].new == 1
    assert reports["bad"].error_kind == kind, reports["bad"].error
    if kind:
        assert rows["bad"]["last_error_kind"] == kind and rows["bad"]["consecutive_failures"] == 1
        assert rows["bad"]["last_error"]
        assert titles == ["바이두 새 모델 공개"]
    else:
        assert rows["bad"]["consecutive_failures"] == 0
        assert titles == ["바이두 새 모델 공개", "텐센트 새 모델 공개"]  # no mojibake reached the store


def test_429_retry_after_was_waited_for(tmp_path: Path, site: Site) -> None:
    flaky(site, "/feed.xml", Reply(429, b"", {"Retry-After": "1"}),
          Reply(200, rss(site).encode(), {"Content-Type": "application/rss+xml"}))
    settings = replace(load_settings(None, env={}), database_url=f"sqlite:///{tmp_path / 'f.db'}", fetch=SETTINGS)
    ctx = Context.open(settings)
    try:
        asyncio.run(fetch_sources(ctx, [SourceConfig(name="s", url=site.url("/feed.xml"), kind=SourceKind.FEED)]))
    finally:
        ctx.close()
    arrivals = [r.at for r in site.requests if r.path == "/feed.xml"]
    assert len(arrivals) == 2 and arrivals[1] - arrivals[0] >= 0.95

