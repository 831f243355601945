"""Feeds — RSS 2.0, RSS 1.0 (RDF), Atom through feedparser, JSON Feed by hand — bytes in, FeedItems out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin

import feedparser

from sinowatch.errors import ParseError
from sinowatch.models import FeedItem
from sinowatch.parse.dates import parse_date
from sinowatch.parse.html import html_to_text

MAX_ITEMS = 500


def parse_feed(text: str, url: str, *, headers: Mapping[str, str] | None = None,
               timezone: str = "Asia/Seoul") -> list[FeedItem]:
    """Items of a feed document, already decoded to text (feedparser's own guess turns CP949 into
    windows-1252 mojibake); a document with no readable entries, or one declaring entities, raises ParseError."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped.startswith("{"):
        return _json_feed(stripped, url, timezone)
    if "<!ENTITY" in stripped[:4096].upper():
        raise ParseError(f"the feed declares XML entities; refused ({url})",
                         hint="entity declarations are how billion-laughs bombs work; real feeds do not need them")
    response_headers = {k.lower(): v for k, v in (headers or {}).items() if k.lower() != "content-type"}
    response_headers.setdefault("content-location", url)
    # Links are resolved against the feed's base either way; resolve_relative_uris would also rewrite the links
    # inside each summary's HTML (a parse of its own, 8 % of the feed's time), and only their text is kept.
    parsed = feedparser.parse(stripped, response_headers=response_headers, sanitize_html=False,
                              resolve_relative_uris=False)
    items = [item for entry in parsed.entries[:MAX_ITEMS] if (item := _entry(entry, timezone))]
    if not items and (parsed.bozo or not parsed.version):
        reason = parsed.get("bozo_exception") or "no RSS, Atom or RDF root element"
        raise ParseError(f"not a readable feed ({url}): {reason}",
                         hint="check the URL points at the feed itself, or use kind = \"html\"")
    return items


def _entry(entry: Any, timezone: str) -> FeedItem | None:
    link = entry.get("link") or next((x.get("href") for x in entry.get("links", []) if x.get("href")), None)
    if not link and str(entry.get("id", "")).startswith(("http://", "https://")):
        link = entry["id"]
    if not link:
        return None
    # The raw string, not feedparser's *_parsed: that assumes UTC when a Korean feed gives no zone.
    raw_date = entry.get("published") or entry.get("updated") or entry.get("dc_date") or ""
    summary = entry.get("summary") or ""
    return FeedItem(url=link.strip(), title=_text(entry.get("title")), published=parse_date(raw_date, timezone),
                    summary=html_to_text(summary) if summary else None)


def _json_feed(body: str, url: str, timezone: str) -> list[FeedItem]:
    try:
        doc = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ParseError(f"not a readable JSON Feed ({url}): {exc}") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith("https://jsonfeed.org/"):
        raise ParseError(f"JSON document is not a JSON Feed ({url})")
    items = []
    for entry in doc.get("items", [])[:MAX_ITEMS]:
        if not isinstance(entry, dict):
            continue
        link = entry.get("url") or entry.get("external_url")
        if isinstance(link, str) and link:
            summary = entry.get("summary") or entry.get("content_text")
            items.append(FeedItem(url=urljoin(url, link), title=_text(entry.get("title")),
                                  published=parse_date(str(entry.get("date_published") or ""), timezone),
                                  summary=summary if isinstance(summary, str) else None))
    return items


def _text(value: object) -> str | None:
    return html_to_text(value).strip() or None if isinstance(value, str) else None
