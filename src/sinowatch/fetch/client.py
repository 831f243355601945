"""The shared HTTP client: limits, politeness, robots.txt, conditional GET, retries, size caps."""

from __future__ import annotations

import asyncio
import ipaddress
import random
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from sinowatch.config import FetchSettings
from sinowatch.errors import FetchError
from sinowatch.fetch import classify
from sinowatch.fetch.robots import RobotsCache
from sinowatch.fetch.urls import host_of

MAX_REDIRECTS = 5
RETRY_AFTER_CAP = 120.0
BACKOFF_BASE = 0.5


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the ETag and Last-Modified last seen for a URL."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass
class Response:
    """A finished GET: the final URL, the status (200 or 304) and the body, capped."""

    url: str
    status: int
    content: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def validators(self) -> Validators:
        return Validators(self.headers.get("etag"), self.headers.get("last-modified"))

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")


class _Host:
    """Per-host politeness: at most `per_host` requests at once, starts at least `delay` apart."""

    def __init__(self, per_host: int) -> None:
        self.slots = asyncio.Semaphore(per_host)
        self.lock = asyncio.Lock()
        self.next_start = 0.0

    async def wait_turn(self, delay: float) -> None:
        async with self.lock:
            now = time.monotonic()
            if self.next_start > now:
                await asyncio.sleep(self.next_start - now)
            self.next_start = time.monotonic() + delay


class Fetcher:
    """One shared async client for a whole run; use as `async with Fetcher(settings) as f`."""

    def __init__(self, settings: FetchSettings, *, transport: httpx.AsyncBaseTransport | None = None,
                 sleep: bool = True) -> None:
        self.settings = settings
        timeout = httpx.Timeout(settings.timeout, connect=min(10.0, settings.timeout))
        self.client = httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, transport=transport,
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=settings.concurrency, max_keepalive_connections=settings.concurrency))
        self.slots = asyncio.Semaphore(settings.concurrency)
        self.hosts: dict[str, _Host] = {}
        self.robots = RobotsCache(self._fetch_robots, settings.user_agent)
        self.backoff = sleep

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def get(self, url: str, *, validators: Validators | None = None,
                  headers: Iterable[tuple[str, str]] = (), trusted: str | None = None) -> Response:
        """GET a URL politely, following redirects; raises FetchError with a named kind.

        `trusted` is a host (host:port) the user configured: its own address is not checked, so a source
        may live on an intranet. Every other host — article links, redirect targets — must resolve to
        public addresses unless `allow_private_addresses` is set.
        """
        attempt = 0
        while True:
            try:
                return await self._follow(url, validators, dict(headers), trusted)
            except FetchError as error:
                if not classify.is_retryable(error) or attempt >= self.settings.retries:
                    raise
                wait = BACKOFF_BASE * 2 ** attempt * (1 + random.random())
                if error.retry_after is not None:
                    if error.retry_after > RETRY_AFTER_CAP:
                        raise
                    wait = max(wait, error.retry_after)
                attempt += 1
                if self.backoff:
                    await asyncio.sleep(wait)

    async def _follow(self, url: str, validators: Validators | None, headers: dict[str, str],
                      trusted: str | None) -> Response:
        seen: set[str] = set()
        for _ in range(MAX_REDIRECTS + 1):
            if url in seen:
                raise FetchError("redirect", f"redirect loop at {url}", url=url, hint=classify.HINTS["redirect"])
            seen.add(url)
            await self._check_url(url, trusted)
            if not await self.robots.allowed(url):
                raise FetchError("robots_denied", f"robots.txt disallows {url}", url=url,
                                 hint=classify.HINTS["robots_denied"])
            response = await self._polite_get(url, validators, headers)
            if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            return response
        raise FetchError("redirect", f"more than {MAX_REDIRECTS} redirects from {url}", url=url,
                         hint=classify.HINTS["redirect"])

    async def _polite_get(self, url: str, validators: Validators | None, headers: dict[str, str]) -> Response:
        host = self.hosts.setdefault(host_of(url), _Host(self.settings.per_host))
        delay = max(self.settings.host_delay, await self.robots.crawl_delay(url))
        async with self.slots, host.slots:
            await host.wait_turn(delay)
            return await self._get_once(url, validators, headers)

    async def _get_once(self, url: str, validators: Validators | None, headers: dict[str, str]) -> Response:
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        try:
            async with asyncio.timeout(self.settings.timeout * 2):  # total, against slow drips
                async with self.client.stream("GET", url, headers=headers) as r:
                    if r.status_code in (301, 302, 303, 307, 308, 304):
                        return Response(url, r.status_code, b"", _headers(r))
                    if r.status_code >= 400:
                        raise classify.from_status(r, url)
                    return Response(str(r.url), r.status_code, await self._read_capped(r, url), _headers(r))
        except TimeoutError:
            raise FetchError("timeout", f"timeout: no complete answer within {self.settings.timeout * 2:g} s ({url})",
                             url=url, hint=classify.HINTS["timeout"]) from None
        except (httpx.HTTPError, OSError) as exc:
            raise classify.from_exception(exc, url) from exc

    async def _read_capped(self, r: httpx.Response, url: str) -> bytes:
        cap = self.settings.max_bytes
        declared = r.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > cap:
            raise _too_large(url, cap)
        chunks, size = [], 0
        async for chunk in r.aiter_bytes():  # decompressed bytes: gzip bombs hit the cap too
            size += len(chunk)
            if size > cap:
                raise _too_large(url, cap)
            chunks.append(chunk)
        return b"".join(chunks)

    async def _check_url(self, url: str, trusted: str | None = None) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FetchError("bad_url", f"not an http(s) URL: {url}", url=url, hint=classify.HINTS["bad_url"])
        if self.settings.allow_private_addresses or (trusted and host_of(url) == trusted):
            return
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(parts.hostname, parts.port or 80,
                                                                 type=socket.SOCK_STREAM)
        except OSError as exc:
            raise FetchError("dns", f"dns: cannot resolve {parts.hostname}: {exc}", url=url,
                             hint=classify.HINTS["dns"]) from None
        for info in infos:
            address = ipaddress.ip_address(info[4][0])
            if not address.is_global:
                raise FetchError("blocked_address", f"{parts.hostname} resolves to non-public address {address}",
                                 url=url, hint=classify.HINTS["blocked_address"])

    async def _fetch_robots(self, url: str) -> tuple[int, bytes]:
        """robots.txt as (status, body); network failures count as status 0."""
        try:
            response = await self._follow_plain(url)
            return response.status, response.content
        except FetchError as error:
            return error.status or 0, b""

    async def _follow_plain(self, url: str) -> Response:
        for _ in range(MAX_REDIRECTS + 1):
            await self._check_url(url, host_of(url))  # robots.txt of a host we are already fetching from
            response = await self._polite_get(url, None, {})
            if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
                url = urljoin(url, response.headers["location"])
                continue
            return response
        raise FetchError("redirect", f"too many redirects for {url}", url=url)


def _headers(r: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in r.headers.items()}


def _too_large(url: str, cap: int) -> FetchError:
    return FetchError("too_large", f"response larger than {cap} bytes ({url})", url=url,
                      hint=classify.HINTS["too_large"])
