"""Small selectolax helpers shared by the HTML parsers: text of a fragment, the document's base URL."""

from __future__ import annotations

import re
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

SPACE = re.compile(r"[ \t\r\f\v\u00a0\u3000]+")


def html_to_text(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace folded (plain text passes through)."""
    if "<" not in fragment and "&" not in fragment:
        return SPACE.sub(" ", fragment).strip()
    tree = LexborHTMLParser(f"<div>{fragment}</div>")
    for node in tree.css("script, style"):
        node.decompose()
    body = tree.body
    return SPACE.sub(" ", body.text(separator=" ") if body else "").strip()


def base_url(tree: LexborHTMLParser, url: str) -> str:
    """The URL relative links resolve against: `<base href>` when the page gives one."""
    base = tree.css_first("base[href]")
    return resolve_base(url, base.attributes.get("href") if base else None)


def resolve_base(url: str, href: str | None) -> str:
    """The page's URL, or its first `<base href>` resolved against it."""
    return urljoin(url, href.strip()) if href else url
