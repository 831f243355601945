"""HTML listing pages read with a source's CSS selectors: article links, optional titles and dates."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sinowatch.errors import ParseError
from sinowatch.models import FeedItem, ListingRules
from sinowatch.parse.dates import parse_date
from sinowatch.parse.html import SPACE, base_url

ITEM_TAGS = {"li", "article", "tr", "dl", "dd", "section"}


def parse_listing(html: str, url: str, rules: ListingRules, *,
                  timezone: str = "Asia/Seoul") -> tuple[list[FeedItem], str | None]:
    """The items a listing page links to, in page order, and the next page's URL if any."""
    tree = LexborHTMLParser(html)
    base = base_url(tree, url)
    items: dict[str, FeedItem] = {}
    for node in tree.css(rules.links):
        link = node if node.attributes.get("href") else node.css_first("a[href]")
        href = (link.attributes.get("href") or "").strip() if link else ""
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        target = urljoin(base, href)
        if urlsplit(target).scheme not in ("http", "https") or target in items:
            continue
        item = _item_of(node)
        title = _first_text(item, rules.title) if rules.title else None
        date = _first_text(item, rules.date) if rules.date else None
        items[target] = FeedItem(url=target, title=title or _clean(link.text()) or None,
                                 published=parse_date(date, timezone) if date else None)
    if not items:
        raise ParseError(f"the listing selector {rules.links!r} matched no article links ({url})",
                         hint="check [source.listing] links against the page: `sinowatch extract` shows it")
    return list(items.values()), _next_page(tree, base, rules)


def _item_of(node: LexborNode) -> LexborNode:
    """The list item around a link, where its title and date live."""
    current: LexborNode | None = node
    for _ in range(4):
        if current is None:
            break
        if current.tag in ITEM_TAGS:
            return current
        current = current.parent
    return node.parent or node


def _first_text(scope: LexborNode, selector: str) -> str | None:
    found = scope.css_first(selector)
    return _clean(found.text()) if found else None


def _next_page(tree: LexborHTMLParser, base: str, rules: ListingRules) -> str | None:
    if not rules.next_page:
        return None
    node = tree.css_first(rules.next_page)
    href = node.attributes.get("href") if node else None
    return urljoin(base, href.strip()) if href else None


def _clean(text: str | None) -> str:
    return SPACE.sub(" ", text or "").strip()
