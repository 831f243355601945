"""Article extraction: headline, dates, byline, body paragraphs, canonical URL, image and language of one page."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sinowatch.models import ArticleRules, Extracted
from sinowatch.parse.body import Page, read_blocks, totals
from sinowatch.parse.byline import clean_author, reporter_name
from sinowatch.parse.dates import FoundDate, parse_date, pick_dates, scan_dates
from sinowatch.parse.dom import Dom, node_text, select_all
from sinowatch.parse.headline import headline
from sinowatch.parse.html import base_url
from sinowatch.parse.metadata import Metadata, absolute_url, read_metadata
from sinowatch.parse.paragraphs import article_paragraphs, body_roots, fallback_paragraphs
from sinowatch.text.boilerplate import squash

log = logging.getLogger(__name__)

_DATE_WORDS = frozenset({
    "date", "time", "datetime", "info", "information", "infomation", "byline", "write", "writer", "reg", "regdate",
    "update", "updated", "stamp", "timestamp", "posted", "published", "pubdate", "meta", "dates", "times",
})
_AUTHOR_WORDS = frozenset({"byline", "reporter", "writer", "author", "journalist", "byl"})
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_HAS_DIGIT = re.compile(r"\d")
# 홍길동, 홍길동·김철수, 남궁민수, Kim Min-jun
_PERSON = re.compile(r"[가-힣]{2,4}(?:\s?[·,]\s?[가-힣]{2,4})*|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3}")
_CLOCK = re.compile(r"\d:\d\d")
_DATE_ATTRIBUTES = (
    ("datetime", ""), ("data-date-time", ""), ("data-published-time", "published"), ("data-published", "published"),
    ("data-modify-date-time", "updated"), ("data-modified-time", "updated"), ("data-updated", "updated"),
)


def extract(html: str, url: str, *, timezone: str = "Asia/Seoul", rules: ArticleRules | None = None,
            encoding: str | None = None) -> Extracted:
    """Everything one article page says about its article; never raises, whatever the page holds."""
    try:
        return _extract(html or "", url, timezone, rules or ArticleRules(), encoding)
    except Exception:  # noqa: BLE001 - a hostile page must not stop a fetch run; the result is just empty
        log.debug("extraction failed for %s", url, exc_info=True)
        return Extracted(url=url, encoding=encoding)


def _extract(html: str, url: str, timezone: str, rules: ArticleRules, encoding: str | None) -> Extracted:
    tree = LexborHTMLParser(html)
    meta = read_metadata(tree, url)
    dom = Dom(tree)
    title = headline(dom, meta, rules)
    published, updated = _dates(dom, meta, rules, timezone)
    page = read_blocks(dom, rules.remove)
    found = totals(page)
    roots = body_roots(dom, page, found, rules.body)
    paragraphs = article_paragraphs(page, roots, title)
    shown = sum(map(len, paragraphs))
    if shown < 100 and meta.article_body and len(meta.article_body) > shown:  # a page its scripts fill in
        paragraphs = fallback_paragraphs(meta.article_body)
    return Extracted(
        url=url,
        title=title,
        paragraphs=paragraphs,
        published=published,
        updated=updated,
        author=_author(dom, meta, rules, page, roots),
        canonical_url=meta.canonical_url,
        image=meta.image or _first_image(page, roots, base_url(tree, url)),
        language=meta.language or ("ko" if _HANGUL.search(" ".join(paragraphs[:5]) or title or "") else None),
        site_name=meta.site_name,
        encoding=encoding,
    )


# --- dates ------------------------------------------------------------------------------------------------------


def _dates(dom: Dom, meta: Metadata, rules: ArticleRules, timezone: str) -> tuple[datetime | None, datetime | None]:
    """Source rule, then structured data, then the page's own date lines; each fills only what is missing."""
    published = updated = None
    if rules.date:
        published, updated = pick_dates(_scan_nodes(select_all(dom.tree, (rules.date,)), timezone))
    structured, timed = _first_date(meta.published, timezone)
    published = published or structured
    updated = updated or _first_date(meta.updated, timezone)[0]
    if published is None or updated is None or not timed:
        page_published, page_updated = pick_dates(_page_dates(dom, timezone))
        # "2025-04-18" in a meta tag and "15:09, April 18, 2025" on the page: the page knows the time
        if published is not None and not timed and page_published is not None \
                and page_published.date() == published.date():
            published = page_published
        published, updated = published or page_published, updated or page_updated
    if published is not None and updated is not None and updated < published:
        updated = None
    return published, updated


def _first_date(values: list[str], timezone: str) -> tuple[datetime | None, bool]:
    """The first value that parses, and whether it gave a time of day."""
    for value in values:
        parsed = parse_date(value, timezone)
        if parsed is not None:
            return parsed, bool(_CLOCK.search(value)) or len(re.sub(r"\D", "", value)) >= 12
    return None, False


def _page_dates(dom: Dom, timezone: str) -> list[FoundDate]:
    """Dates in byline/date areas (document order); else labelled date lines, else a lone date with a time."""
    areas = [dom.nodes[i] for i in dom.elements if dom.words[i] & _DATE_WORDS and not dom.chrome[i]]
    found = _scan_nodes(areas, timezone)
    if any(f.kind or f.has_time for f in found):
        return found
    lines = _scan_nodes([dom.nodes[i] for i in dom.elements if not dom.chrome[i] and _short_own_text(dom, i)],
                        timezone)
    return [f for f in lines if f.kind] or [f for f in lines if f.has_time and not f.relative][:1] or found


def _scan_nodes(nodes: list[LexborNode], timezone: str) -> list[FoundDate]:
    """Dates shown in each node's text; a machine-readable twin in a date attribute (data-date-time, often to
    the second) replaces the shown date it repeats, and stands alone where the text shows none."""
    shown: list[FoundDate] = []
    exact: list[FoundDate] = []
    for node in nodes:
        text = squash(node.text(separator=" "))
        shown.extend(scan_dates(text, timezone) if 0 < len(text) <= 200 else [])
        for attr, kind in _DATE_ATTRIBUTES:
            value = node.attributes.get(attr)
            parsed = parse_date(value, timezone) if value else None
            if parsed is not None:
                exact.append(FoundDate(0, 0, parsed, True, kind))
    refined = [_twin(f, exact) for f in shown]
    return refined + [e for e in exact if all(e.value != f.value for f in refined)]


def _twin(shown: FoundDate, exact: list[FoundDate]) -> FoundDate:
    match = next((e for e in exact if abs((e.value - shown.value).total_seconds()) < 60), None)
    return replace(shown, value=match.value) if match is not None and shown.has_time else shown


def _short_own_text(dom: Dom, index: int) -> bool:
    raw = dom.own_text(index)
    if len(raw) < 6 or raw.isspace():
        return False
    own = squash(raw)
    return 6 <= len(own) <= 120 and any(ch.isdigit() for ch in own)


# --- byline, image ----------------------------------------------------------------------------------------------


def _author(dom: Dom, meta: Metadata, rules: ArticleRules, page: Page, roots: set[int]) -> str | None:
    """Source rule, JSON-LD/meta author, a byline element, a "홍길동 기자" line at the ends of the body;
    a person's name beats an outlet's."""
    found: list[str] = []
    if rules.author:
        found += [a for a in (clean_author(node_text(n)) for n in select_all(dom.tree, (rules.author,))) if a]
        if found:
            return found[0]
    found += [a for a in (clean_author(raw) for raw in meta.authors) if a]
    for index in dom.elements:
        if not dom.words[index] & _AUTHOR_WORDS and dom.attr(index, "itemprop") != "author":
            continue
        text = node_text(dom.nodes[index]) or ""
        name = reporter_name(text) or (clean_author(text) if len(text) <= 30 and not _HAS_DIGIT.search(text) else None)
        if name:
            found.append(name)
    inside = [b.text for b in page.blocks if roots.intersection(b.path)]
    found += [n for n in (reporter_name(t) for t in inside[:3] + inside[-8:][::-1]) if n]
    if not any(_PERSON.fullmatch(a) for a in found):  # a byline in furniture the body walk skipped
        found += [n for n in (_own_reporter(dom, i) for i in dom.elements) if n][:1]
    return next((a for a in found if _PERSON.fullmatch(a)), found[0] if found else None)


def _own_reporter(dom: Dom, index: int) -> str | None:
    raw = dom.own_text(index)
    if len(raw) < 4 or dom.byline_chrome[index] or raw.isspace():
        return None
    own = squash(raw)
    return reporter_name(own) if 4 <= len(own) <= 60 else None


def _first_image(page: Page, roots: set[int], base: str) -> str | None:
    for node in (n for node_id, n in page.nodes.items() if node_id in roots):  # document order
        for img in node.css("img"):
            src = img.attributes.get("data-src") or img.attributes.get("src")
            resolved = absolute_url(base, src)
            if resolved:
                return resolved
    return None
