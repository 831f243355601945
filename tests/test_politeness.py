"""Politeness against real loopback hosts: per-host concurrency and start spacing; other hosts run in parallel."""

from __future__ import annotations

import asyncio
import threading
import time
from http.server import BaseHTTPRequestHandler

from sinowatch.config import FetchSettings
from sinowatch.fetch.client import Fetcher
from tests.helpers.site import Reply, Site, serve


def slow_page(site: Site, path: str, seconds: float, live: dict[str, int], peak: dict[str, int]) -> None:
    lock = threading.Lock()

    def handler(h: BaseHTTPRequestHandler) -> Reply:
        with lock:
            live[site.host] = live.get(site.host, 0) + 1
            peak[site.host] = max(peak.get(site.host, 0), live[site.host])
        time.sleep(seconds)
        with lock:
            live[site.host] -= 1
        return Reply(200, b"ok", {"Content-Type": "text/plain"})
    site.handle(path, handler)


def test_per_host_limit_and_delay_while_other_hosts_proceed() -> None:
    settings = FetchSettings(per_host=2, host_delay=1.0, concurrency=16, timeout=10, allow_private_addresses=True)
    live: dict[str, int] = {}
    peak: dict[str, int] = {}
    with serve("127.0.0.1") as a, serve("127.0.0.2") as b:
        for i in range(4):
            slow_page(a, f"/a{i}", 1.5, live, peak)  # slower than the delay: concurrency is what limits here
        for i in range(3):
            slow_page(b, f"/b{i}", 0.1, live, peak)

        async def run() -> None:
            async with Fetcher(settings) as f:
                await asyncio.gather(*(f.get(a.url(f"/a{i}")) for i in range(4)),
                                     *(f.get(b.url(f"/b{i}")) for i in range(3)))
        asyncio.run(run())
        starts_a = sorted(r.at for r in a.requests if r.path.startswith("/a"))
        starts_b = sorted(r.at for r in b.requests if r.path.startswith("/b"))
    assert peak["127.0.0.1"] <= 2 and peak["127.0.0.2"] <= 2
    for first, second in zip(starts_a, starts_a[1:]):
        assert second - first >= 0.95, starts_a  # no two starts on one host closer than the delay
    for first, second in zip(starts_b, starts_b[1:]):
        assert second - first >= 0.95, starts_b
    # host b is not queued behind host a: its first request starts at once, beside host a's first
    assert abs(starts_b[0] - starts_a[0]) < 0.5
    assert starts_b[-1] < starts_a[-1]


def test_robots_crawl_delay_wins_when_larger() -> None:
    settings = FetchSettings(per_host=2, host_delay=0.0, timeout=10, allow_private_addresses=True)
    with serve() as site:
        site.add("/robots.txt", "User-agent: *\nCrawl-delay: 1\n", content_type="text/plain")
        for i in range(3):
            site.add(f"/p{i}", b"ok")

        async def run() -> None:
            async with Fetcher(settings) as f:
                await asyncio.gather(*(f.get(site.url(f"/p{i}")) for i in range(3)))
        asyncio.run(run())
        starts = sorted(r.at for r in site.requests if r.path.startswith("/p"))
    assert all(b - a >= 0.95 for a, b in zip(starts, starts[1:])), starts
