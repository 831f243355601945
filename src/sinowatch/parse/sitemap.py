"""Sitemaps: `<urlset>` (with Google News `<news:news>`) and `<sitemapindex>` — bytes in, items out."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import urljoin

from sinowatch.errors import ParseError
from sinowatch.models import FeedItem
from sinowatch.parse.dates import parse_date

MAX_ENTRIES = 2000


@dataclass
class Sitemap:
    """What one sitemap document holds: article entries, or further sitemaps to read."""

    items: list[FeedItem] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)


def parse_sitemap(body: str, url: str, *, timezone: str = "Asia/Seoul") -> Sitemap:
    """Read a sitemap, already decoded to text; newest entries first when they carry dates.
    Entity declarations are refused."""
    if "<!ENTITY" in body[:4096].upper():
        raise ParseError(f"sitemap declares XML entities; refused ({url})")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ParseError(f"not a readable sitemap ({url}): {exc}") from None
    result = Sitemap()
    kind = _local(root.tag)
    if kind == "sitemapindex":
        result.sitemaps = [urljoin(url, loc) for el in root if (loc := _child_text(el, "loc"))][:MAX_ENTRIES]
        return result
    if kind != "urlset":
        raise ParseError(f"not a sitemap: root element <{kind}> ({url})")
    for el in list(root)[:MAX_ENTRIES]:
        loc = _child_text(el, "loc")
        if not loc:
            continue
        news = next((c for c in el if _local(c.tag) == "news"), None)
        title = _child_text(news, "title") if news is not None else None
        date = (_child_text(news, "publication_date") if news is not None else None) or _child_text(el, "lastmod")
        result.items.append(FeedItem(url=urljoin(url, loc), title=title,
                                     published=parse_date(date, timezone) if date else None))
    result.items.sort(key=lambda i: i.published.timestamp() if i.published else 0.0, reverse=True)
    return result


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child_text(el: ET.Element | None, name: str) -> str | None:
    if el is None:
        return None
    for child in el:
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None
