"""robots.txt per host (RFC 9309 via protego): fetched once, cached for the client's lifetime."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

Fetch = Callable[[str], Awaitable[tuple[int, bytes]]]
ALLOW_ALL = Protego.parse("")
DENY_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


class RobotsCache:
    """Answers "may we fetch this URL?" and "how long must we wait between requests?" per host."""

    def __init__(self, fetch: Fetch, user_agent: str) -> None:
        self.fetch = fetch
        self.agent = user_agent.split("/", 1)[0].strip() or "sinowatch"
        self.rules: dict[str, Protego] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    async def allowed(self, url: str) -> bool:
        return bool((await self._rules(url)).can_fetch(url, self.agent))

    async def crawl_delay(self, url: str) -> float:
        delay = (await self._rules(url)).crawl_delay(self.agent)
        return float(delay or 0.0)

    async def _rules(self, url: str) -> Protego:
        parts = urlsplit(url)
        root = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
        if parts.path == "/robots.txt":
            return ALLOW_ALL
        if root in self.rules:
            return self.rules[root]
        async with self.locks.setdefault(root, asyncio.Lock()):
            if root not in self.rules:
                self.rules[root] = _parse(*await self.fetch(root))
        return self.rules[root]


def _parse(status: int, body: bytes) -> Protego:
    """RFC 9309 §2.3.1: 4xx means no rules; 5xx or unreachable means assume complete disallow."""
    if 200 <= status < 300:
        return Protego.parse(body[:500_000].decode("utf-8", errors="replace"))
    if 400 <= status < 500:
        return ALLOW_ALL
    if status == 0:
        return ALLOW_ALL  # the host is unreachable: the article request fails on its own, with its real cause
    return DENY_ALL
