"""Small selectolax helpers for the article extractor: class words, safe selection, chrome regions."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from sinowatch.text.boilerplate import squash

_SPLIT_WORDS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
# Regions that hold other articles or site furniture; a byline inside them is not this article's.
NOT_BYLINE = frozenset({
    "related", "relate", "relation", "relnews", "rel", "recommend", "recommended", "recom", "popular", "ranking",
    "rank", "best", "hot", "most", "sidebar", "side", "aside", "widget", "gnb", "lnb", "snb", "nav", "navi",
    "navigation", "menu", "comment", "comments", "cmt", "reply", "replies", "outbrain", "taboola", "dable", "ad",
    "ads", "banner", "bnr", "sponsor", "promo", "newsletter", "subscribe", "sitemap", "family", "pagination", "paging",
})
# ... nor is a heading or a date there (an article's own footer still holds its byline).
OTHER_ARTICLES = NOT_BYLINE | {"footer", "foot", "list", "more"}
_MAX_DEPTH = 30


def words(node: LexborNode) -> set[str]:
    """The words of an element's class and id: "relatedNews art_sns" → {related, news, art, sns}."""
    attrs = node.attributes
    raw = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return {w.rstrip("0123456789") for w in _SPLIT_WORDS.split(_CAMEL.sub(r"\1 \2", raw).lower()) if w}


def select_all(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> list[LexborNode]:
    """All nodes matching any selector; an invalid selector matches nothing."""
    found: list[LexborNode] = []
    for selector in selectors:
        try:
            found.extend(tree.css(selector))
        except (SelectolaxError, ValueError):
            continue
    return found


def elements(tree: LexborHTMLParser) -> list[LexborNode]:
    """Every element of the body in document order (a CSS "body *" is quadratic on deeply nested pages)."""
    body = tree.body
    if body is None:
        return []
    return [n for n in list(body.traverse())[1:] if n.tag and not n.tag.startswith("-")]


def node_text(node: LexborNode, limit: int = 3000) -> str | None:
    """The element's visible text, whitespace folded; None when empty."""
    text = squash(node.text(separator=" "))
    return text[:limit] if text else None


def in_chrome(node: LexborNode, chrome: frozenset[str] = OTHER_ARTICLES) -> bool:
    """Inside a link, a related-articles box, a sidebar or other page furniture."""
    current: LexborNode | None = node.parent
    depth = 0
    while current is not None and depth < _MAX_DEPTH:
        if current.tag in ("a", "nav", "aside") or (words(current) | {current.tag or ""}) & chrome:
            return True
        current, depth = current.parent, depth + 1
    return False
