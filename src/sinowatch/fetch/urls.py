"""URL identity: one canonical spelling per article, tracking parameters and fragments dropped."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

TRACKING = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|msclkid|yclid|mc_cid|mc_eid|igshid|_ga|_gl|ref_src|cmpid|"
    r"phpsessid|jsessionid|sessionid|sid|aspsessionid\w*|from|share|spm|scm|ncid|outlink)$",
    re.IGNORECASE,
)
DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str, base: str | None = None) -> str:
    """Scheme and host lower-cased, default port, fragment and tracking parameters dropped.

    Query order is kept (some CMSs care), empty paths become "/". Non-http URLs come back unchanged.
    """
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url.strip()
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING.match(k)]
    # One spelling for a path written raw (/검색) or percent-encoded (/%EA%B2%80%EC%83%89).
    path = quote(unquote(re.sub(r"/{2,}", "/", parts.path)), safe="/:@!$&'()*+,;=~-._") or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True, safe="/:@,"), ""))


def host_of(url: str) -> str:
    """The host and port a politeness limit applies to."""
    parts = urlsplit(url)
    return (parts.netloc or "").lower()
