"""OPML subscription lists: the feeds people already follow, as (title, feed URL, site URL)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from sinowatch.errors import ParseError


@dataclass(frozen=True)
class Outline:
    title: str
    feed_url: str
    site_url: str | None = None


def parse_opml(body: bytes, name: str = "OPML") -> list[Outline]:
    """Every outline with an xmlUrl, nested folders included; entity declarations are refused."""
    if b"<!ENTITY" in body[:4096].upper():
        raise ParseError(f"{name}: declares XML entities; refused")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise ParseError(f"{name}: not readable OPML: {exc}") from None
    if root.tag.lower() != "opml":
        raise ParseError(f"{name}: not OPML: root element <{root.tag}>")
    out = []
    for el in root.iter("outline"):
        url = (el.get("xmlUrl") or el.get("xmlurl") or "").strip()
        if url:
            title = (el.get("title") or el.get("text") or url).strip()
            out.append(Outline(title, url, (el.get("htmlUrl") or "").strip() or None))
    if not out:
        raise ParseError(f"{name}: no outline has an xmlUrl")
    return out
