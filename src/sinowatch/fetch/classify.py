"""Every fetch failure mapped once, here, to a named kind stored on the source."""

from __future__ import annotations

import email.utils
import ssl
import time

import httpx

from sinowatch.errors import FetchError

RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}
RETRYABLE_KINDS = {"connect", "timeout", "http_5xx", "rate_limited"}
HINTS = {
    "dns": "the host name does not resolve; check the URL",
    "connect": "the server refused or dropped the connection; it may be down",
    "timeout": "the server is too slow; raise [fetch] timeout if this persists",
    "tls": "the TLS handshake failed; the site's certificate may be invalid",
    "http_4xx": "the server refused the request; check the URL",
    "gone": "the server says the URL is gone for good (410); the source was disabled",
    "http_5xx": "the server failed; it will be retried on the next run",
    "rate_limited": "the server asks us to slow down; raise interval or host_delay",
    "too_large": "the response is larger than [fetch] max_bytes",
    "robots_denied": "robots.txt does not allow this URL for our User-Agent",
    "blocked_address": "the URL resolves to a private address; set allow_private_addresses to allow it",
    "redirect": "too many redirects or a redirect loop",
    "bad_url": "only http and https URLs are fetched",
}


def from_exception(exc: Exception, url: str) -> FetchError:
    """Map an httpx / OS error to a FetchError with a kind and a hint."""
    if isinstance(exc, FetchError):
        return exc
    text = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        kind = "connect" if isinstance(exc, httpx.PoolTimeout) else "timeout"
    elif isinstance(exc, httpx.ConnectError):
        cause = exc.__cause__ or exc.__context__
        lowered = text.lower()
        if isinstance(cause, ssl.SSLError) or "ssl" in lowered or "certificate" in lowered:
            kind = "tls"
        elif "name or service not known" in lowered or "nodename nor servname" in lowered \
                or "temporary failure in name resolution" in lowered or "getaddrinfo" in lowered:
            kind = "dns"
        else:
            kind = "connect"
    elif isinstance(exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError, ConnectionError)):
        kind = "connect"
    elif isinstance(exc, httpx.TooManyRedirects):
        kind = "redirect"
    elif isinstance(exc, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
        kind = "bad_url"
    elif isinstance(exc, httpx.DecodingError):
        kind = "bad_content"
    else:
        kind = "unknown"
    return FetchError(kind, f"{kind}: {text} ({url})", url=url, hint=HINTS.get(kind, ""))


def from_status(response: httpx.Response, url: str) -> FetchError:
    """Map an HTTP error status to a FetchError, keeping Retry-After for 429 and 503."""
    status = response.status_code
    if status == 429:
        kind = "rate_limited"
    elif status == 410:
        kind = "gone"
    elif status >= 500 or status == 408:
        kind = "http_5xx" if status >= 500 else "timeout"
    else:
        kind = "http_4xx"
    return FetchError(kind, f"HTTP {status} {response.reason_phrase} ({url})", url=url,
                      hint=HINTS.get(kind, ""), retry_after=retry_after(response.headers.get("retry-after")),
                      status=status)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def is_retryable(error: FetchError) -> bool:
    return error.kind in RETRYABLE_KINDS
