"""The shared client against a real loopback server: conditional GET, retries, caps, redirects, robots, guards."""

from __future__ import annotations

import asyncio
import gzip
import time
from http.server import BaseHTTPRequestHandler

import pytest

from sinowatch.config import FetchSettings
from sinowatch.errors import FetchError
from sinowatch.fetch.client import Fetcher
from tests.helpers.site import Reply, Site

FAST = FetchSettings(host_delay=0.0, timeout=2.0, allow_private_addresses=True, retries=2, max_bytes=200_000)


def get(url: str, settings: FetchSettings = FAST, **kw: object):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        async with Fetcher(settings, sleep=False) as f:
            return await f.get(url, **kw)  # type: ignore[arg-type]
    return asyncio.run(go())


def kind_of(url: str, settings: FetchSettings = FAST) -> str:
    with pytest.raises(FetchError) as info:
        get(url, settings)
    return info.value.kind


def test_user_agent_and_conditional_get(site: Site) -> None:
    site.handle("/feed", lambda h: Reply(304) if h.headers.get("If-None-Match") == '"v1"' else
                Reply(200, b"<rss/>", {"ETag": '"v1"', "Last-Modified": "Sat, 21 Nov 2026 08:00:00 GMT"}))
    first = get(site.url("/feed"))
    assert first.status == 200 and first.validators.etag == '"v1"'
    second = get(site.url("/feed"), validators=first.validators)
    assert second.not_modified and second.content == b""
    assert site.requests[-1].headers["User-Agent"].startswith("sinowatch/")


def test_500_then_success_is_retried(site: Site) -> None:
    calls = []
    site.handle("/flaky", lambda h: (calls.append(1), Reply(500) if len(calls) < 2 else Reply(200, b"ok"))[1])
    assert get(site.url("/flaky")).content == b"ok"
    assert len(calls) == 2


def test_404_is_not_retried(site: Site) -> None:
    site.add("/missing", status=404)
    assert kind_of(site.url("/missing")) == "http_4xx"
    assert site.hits("/missing") == 1


def test_429_retry_after_is_honoured_then_gives_up(site: Site) -> None:
    site.add("/busy", status=429, headers={"Retry-After": "1"})
    started = time.monotonic()

    async def go() -> str:
        async with Fetcher(FAST) as f:  # real sleeping: Retry-After must be waited for
            try:
                await f.get(site.url("/busy"))
            except FetchError as exc:
                return exc.kind
        return "no error"
    assert asyncio.run(go()) == "rate_limited"
    assert site.hits("/busy") == 3 and time.monotonic() - started >= 2.0


def test_410_is_gone(site: Site) -> None:
    site.add("/gone", status=410)
    assert kind_of(site.url("/gone")) == "gone"


def test_body_cap_while_streaming_and_after_decompression(site: Site) -> None:
    site.add("/big", b"x" * 300_000)
    assert kind_of(site.url("/big")) == "too_large"
    bomb = gzip.compress(b"\0" * 20_000_000)
    site.add("/bomb", bomb, headers={"Content-Encoding": "gzip"})
    assert len(bomb) < FAST.max_bytes
    assert kind_of(site.url("/bomb")) == "too_large"


def test_redirects_loops_and_limits(site: Site) -> None:
    site.add("/a", status=302, headers={"Location": "/b"})
    site.add("/b", status=302, headers={"Location": "/a"})
    assert kind_of(site.url("/a")) == "redirect"
    for i in range(7):
        site.add(f"/r{i}", status=301, headers={"Location": f"/r{i + 1}"})
    site.add("/r7", b"end")
    assert kind_of(site.url("/r0")) == "redirect"
    site.add("/moved", status=301, headers={"Location": "/r6"})
    response = get(site.url("/moved"))
    assert response.content == b"end" and response.url.endswith("/r7")


def test_private_addresses_refused_unless_allowed(site: Site) -> None:
    site.add("/page", b"hello")
    strict = FetchSettings(host_delay=0.0, timeout=2.0, allow_private_addresses=False)
    assert kind_of(site.url("/page"), strict) == "blocked_address"
    assert site.hits("/page") == 0
    assert kind_of("ftp://example.org/x", strict) == "bad_url"


def test_robots_txt_disallow(site: Site) -> None:
    site.add("/robots.txt", "User-agent: *\nDisallow: /private\nAllow: /private/ok\n", content_type="text/plain")
    site.add("/private/ok", b"ok")
    site.add("/private/no", b"no")

    async def go() -> tuple[bytes, str]:
        async with Fetcher(FAST, sleep=False) as f:  # one client: robots.txt is fetched once per host
            ok = (await f.get(site.url("/private/ok"))).content
            try:
                await f.get(site.url("/private/no"))
            except FetchError as exc:
                return ok, exc.kind
        return ok, "no error"
    assert asyncio.run(go()) == (b"ok", "robots_denied")
    assert site.hits("/private/no") == 0 and site.hits("/robots.txt") == 1


def test_slow_drip_hits_the_total_timeout(site: Site) -> None:
    def drip(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "1000")
        h.end_headers()
        try:
            for _ in range(100):
                h.wfile.write(b"x")
                h.wfile.flush()
                time.sleep(0.1)
        except OSError:
            pass
    site.handle("/drip", drip)
    settings = FetchSettings(host_delay=0.0, timeout=1.0, allow_private_addresses=True, retries=0)
    started = time.monotonic()
    assert kind_of(site.url("/drip"), settings) == "timeout"
    assert time.monotonic() - started < 5


def test_connection_refused_is_connect(site: Site) -> None:
    settings = FetchSettings(host_delay=0.0, timeout=1.0, allow_private_addresses=True, retries=0)
    assert kind_of("http://127.0.0.1:9/nothing", settings) == "connect"
