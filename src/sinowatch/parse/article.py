"""Article extraction: headline, dates, byline, body paragraphs, canonical URL, image and language of one page."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime
from typing import Final

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sinowatch.models import ArticleRules, Extracted
from sinowatch.parse.body import Page, read_blocks
from sinowatch.parse.byline import clean_author, outlet_like, reporter_name
from sinowatch.parse.dates import FoundDate, parse_date, pick_dates, scan_dates
from sinowatch.parse.dom import Dom, node_text, select_all
from sinowatch.parse.headline import headline
from sinowatch.parse.metadata import Metadata, absolute_url, read_metadata, rendered_article, story_fields
from sinowatch.parse.paragraphs import (
    article_paragraphs,
    body_roots,
    body_start,
    fallback_paragraphs,
    trim_chrome,
)
from sinowatch.parse.scoring import totals
from sinowatch.text.boilerplate import squash
from sinowatch.text.normalize import word_chars

log = logging.getLogger(__name__)

_DATE_WORDS = frozenset({
    "date", "time", "datetime", "info", "information", "infomation", "byline", "write", "writer", "reg", "regdate",
    "update", "updated", "stamp", "timestamp", "posted", "published", "pubdate", "meta", "dates", "times",
})
_AUTHOR_WORDS: Final = frozenset({"byline", "reporter", "writer", "author", "journalist", "byl"})
_HANGUL: Final = re.compile(r"[\uac00-\ud7a3]")
_HAS_DIGIT: Final = re.compile(r"\d")
# 홍길동, 홍길동·김철수, 남궁민수, Kim Min-jun
_PERSON: Final = re.compile(r"[가-힣]{2,4}(?:\s?[·,]\s?[가-힣]{2,4})*|[A-Z][a-z]+(?:[ -][A-Z][a-z]+){1,3}")
_CLOCK: Final = re.compile(r"\d:\d\d")
_ROW_LEVELS: Final = 6  # how far above a date line its comment row may start
_ROW_CHARS: Final = 1500  # a comment row is no longer
_ROW_WORDS: Final = 8  # ... and holds at least this much besides its dates
# Without both, a text shows no date with a time of day (a year; an hour followed by ":" and minutes, or by 시)
_CLOCK_HINT: Final = re.compile(r"\d\s*(?::\d|시)")
_YEAR_HINT: Final = re.compile(r"(?:19|20)\d\d")
_DATE_ATTRIBUTES: Final = (
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
    page = read_blocks(dom, rules.remove)
    found = totals(page)
    roots = body_roots(dom, page, found, rules.body)
    start = body_start(page, roots)
    title = headline(dom, meta, rules, page.blocks, start)
    published, updated = _dates(dom, meta, rules, timezone, _Layout(dom, page, roots, start, title))
    paragraphs = article_paragraphs(page, roots, title)
    shown = sum(map(len, paragraphs))
    if shown < 100 and meta.article_body and len(meta.article_body) > shown:  # a page its scripts fill in
        paragraphs = fallback_paragraphs(meta.article_body)
    elif shown < 100:  # ... from a story in a script (Arc XP)
        rendered, story = rendered_article(tree)
        if sum(map(len, rendered)) > shown:
            paragraphs = trim_chrome(rendered)
            story_title, story_published, story_authors = story_fields(story)
            title = title if meta.headline or meta.og_title else story_title or title
            published = published or (parse_date(story_published, timezone) if story_published else None)
            meta.authors = meta.authors or story_authors
    if published is None:  # an Arc XP page that renders its text but keeps its time in the story's script
        story_published = story_fields(rendered_article(tree)[1])[1]
        published = parse_date(story_published, timezone) if story_published else None
    return Extracted(
        url=url,
        title=title,
        paragraphs=paragraphs,
        published=published,
        updated=updated,
        author=_author(dom, meta, rules, page, roots),
        canonical_url=meta.canonical_url,
        image=meta.image or _first_image(page, roots, meta.base or url),
        language=meta.language or ("ko" if _HANGUL.search(" ".join(paragraphs[:5]) or title or "") else None),
        site_name=meta.site_name,
        encoding=encoding,
    )


# --- dates ------------------------------------------------------------------------------------------------------


def _dates(dom: Dom, meta: Metadata, rules: ArticleRules, timezone: str,
           layout: _Layout) -> tuple[datetime | None, datetime | None]:
    """Source rule, then structured data, then the page's own date lines; each fills only what is missing."""
    published = updated = None
    if rules.date:
        published, updated = pick_dates([f for _, f in _scan_nodes(select_all(dom.tree, (rules.date,)), timezone)])
    structured, timed = _first_date(meta.published, timezone)
    if structured is not None and published is None and len(meta.published) > 1:
        structured, timed = _agreed(dom, meta.published, structured, timed, timezone, layout)
    published = published or structured
    updated = updated or _first_date(meta.updated, timezone)[0]
    if published is None or updated is None or not timed:
        page_published, page_updated = pick_dates(_page_dates(dom, timezone, layout))
        # "2025-04-18" in a meta tag and "15:09, April 18, 2025" on the page: the page knows the time
        if published is not None and not timed and page_published is not None \
                and page_published.date() == published.date():
            published = page_published
        # article:published_time rewritten at each edit: it is the page's "수정" time, and the page shows "입력" earlier
        elif published is not None and page_published is not None and page_updated is not None \
                and page_published < published and abs((published - page_updated).total_seconds()) < 60:
            published = page_published
        published, updated = published or page_published, updated or page_updated
    if published is not None and updated is not None and updated < published:
        updated = None
    return published, updated


def _agreed(dom: Dom, values: list[str], first: datetime, timed: bool, timezone: str,
            layout: _Layout) -> tuple[datetime, bool]:
    """Where structured values disagree (JSON-LD "T00:05:00+09:00", a CMS writing UTC's clock with Korea's offset,
    against article:published_time "T09:05:00+09:00"), the one the page's own date line shows."""
    others = [d for d in (parse_date(v, timezone) for v in values) if d is not None]
    if all(abs((d - first).total_seconds()) < 60 for d in others):
        return first, timed
    shown = pick_dates(_page_dates(dom, timezone, layout))[0]
    agreeing = next((d for d in others if shown is not None and abs((d - shown).total_seconds()) < 60), None)
    return (agreeing, True) if agreeing is not None else (first, timed)


def _first_date(values: list[str], timezone: str) -> tuple[datetime | None, bool]:
    """The first value that parses, and whether it gave a time of day."""
    for value in values:
        parsed = parse_date(value, timezone)
        if parsed is not None:
            if parsed.hour == parsed.minute == parsed.second == 0:  # "2025-11-19T00:00:00+09:00": a day, no time
                return parsed, False
            return parsed, bool(_CLOCK.search(value)) or len(re.sub(r"\D", "", value)) >= 12
    return None, False


def _page_dates(dom: Dom, timezone: str, layout: _Layout) -> list[FoundDate]:
    """Dates in byline/date areas (document order); else labelled date lines, else the date lines of the header
    (between the headline and the body) and bylines, else a lone date with a time. Dates in reader comments and
    other timestamped rows after the body count for nothing."""
    # A date area inside furniture counts when a label names its date and it stands between the headline and the
    # body: "title_foot" (title + foot) holds "입력 2025-01-23 03:00"
    areas = [i for i in dom.labelled if i and dom.words[i] & _DATE_WORDS and (not dom.chrome[i] or layout.in_header(i))]
    found = [f for i, f in _scan_indexed(dom, areas, timezone)
             if not layout.comment(i) and (not dom.chrome[i] or f.kind)]
    if any(f.kind or f.has_time for f in found):
        return found
    lines = [i for i in dom.texted if not dom.chrome[i] and _short_own_text(dom, i)]
    scanned = _scan_indexed(dom, lines, timezone)
    labelled = [f for i, f in scanned if f.kind and not layout.comment(i)]
    if labelled:
        return labelled
    header = [f for i, f in scanned if not f.relative and layout.in_header(i)]
    if header and not any(f.has_time for f in header):  # "2016-03-16" up top, "2016-03-16 16:21" lower down
        timed = [f for i, f in scanned if f.has_time and not f.relative and i < layout.end]
        header = [f for f in timed if f.value.date() == header[0].value.date()][:1] or header
    if header:
        return header
    lone = next((f for i, f in scanned if f.has_time and not f.relative and not layout.comment(i)), None)
    return [lone] if lone is not None else found


def _scan_indexed(dom: Dom, elements: list[int], timezone: str) -> list[tuple[int, FoundDate]]:
    """`_scan_nodes` of the `Dom`'s elements, each date with its element's index."""
    return [(elements[p], f) for p, f in _scan_nodes([dom.nodes[i] for i in elements], timezone)]


def _scan_nodes(nodes: list[LexborNode], timezone: str) -> list[tuple[int, FoundDate]]:
    """Dates shown in each node's text, with the node's place in `nodes`; a machine-readable twin in a date
    attribute (data-date-time, often to the second) replaces the shown date it repeats, and stands alone where the
    text shows none."""
    shown: list[tuple[int, FoundDate]] = []
    exact: list[tuple[int, FoundDate]] = []
    for position, node in enumerate(nodes):
        text = squash(node.text(separator=" "))
        shown.extend((position, f) for f in (scan_dates(text, timezone) if 0 < len(text) <= 200 else []))
        attributes = node.attributes
        for attr, kind in _DATE_ATTRIBUTES:
            value = attributes.get(attr)
            parsed = parse_date(value, timezone) if value else None
            if parsed is not None:
                exact.append((position, FoundDate(0, 0, parsed, True, kind)))
    twins = [f for _, f in exact]
    refined = [(position, _twin(f, twins)) for position, f in shown]
    return refined + [(p, e) for p, e in exact if all(e.value != f.value for _, f in refined)]


def _fold(text: str) -> str:
    return word_chars(text).lower()


def _twin(shown: FoundDate, exact: list[FoundDate]) -> FoundDate:
    match = next((e for e in exact if abs((e.value - shown.value).total_seconds()) < 60), None)
    return replace(shown, value=match.value) if match is not None and shown.has_time else shown


def _short_own_text(dom: Dom, index: int) -> bool:
    raw = dom.own_text(index)
    if len(raw) < 6 or raw.isspace():
        return False
    own = squash(raw)
    return 6 <= len(own) <= 120 and any(map(str.isdigit, own))


class _Layout:
    """Where the article sits among the page's elements (document-order indices into the `Dom`): its header runs
    from the headline shown on the page to the body's first paragraph; everything from the end of the body
    elements on comes after it. Worked out when first asked."""

    def __init__(self, dom: Dom, page: Page, roots: set[int], start: int | None, title: str | None) -> None:
        self.dom, self._page, self._roots, self._start, self._title = dom, page, roots, start, title
        self._span: tuple[int, int, int] | None = None
        self._comments: dict[tuple[int, str], bool] = {}  # (parent, tag) -> its rows of that tag are comments

    @property
    def end(self) -> int:
        """The first element after the body's elements."""
        return self._where()[2]

    def _where(self) -> tuple[int, int, int]:
        """(the headline's element or -1, the body's first paragraph's element or -1, the end of the body)."""
        if self._span is None:
            dom, blocks, start = self.dom, self._page.blocks, self._start
            index = dom.index
            ends = [dom.ends[index[r]] for r in self._roots if r in index]
            first = index.get(blocks[start].container, -1) if start is not None else -1
            top = -1  # the headline's element, if the page shows it above the body
            folded = _fold(self._title or "")
            for block in reversed(blocks[:start] if start is not None and folded else []):
                if _fold(block.text) == folded:
                    top = index.get(block.container, -1)
                    break
            self._span = (top, first, max(ends) if ends else len(dom.tags))
        return self._span

    def in_header(self, node: int) -> bool:
        """A date line between the headline and the body, or a byline ("김도윤 기자 | 2016-03-16") before the
        body's end."""
        top, first, end = self._where()
        if 0 <= top < node <= first:
            return True
        return node < end and bool(reporter_name(squash(self.dom.own_text(node))))

    def comment(self, node: int) -> bool:
        """Inside one of several sibling rows after the body that each show a time of day: reader comments, a
        list of other articles."""
        if node < self.end:
            return False
        dom = self.dom
        current, levels = node, 0
        while current > 0 and current >= self.end and levels < _ROW_LEVELS:
            parent = dom.parents[current]
            if parent < 0:
                break
            key = (parent, dom.tags[current])
            found = self._comments.get(key)
            if found is None:
                found = self._comments[key] = self._timed_rows(*key) >= 2
            if found:
                return True
            current, levels = parent, levels + 1
        return False

    def _timed_rows(self, parent: int, tag: str) -> int:
        dom = self.dom
        count = 0
        child, end = parent + 1, dom.ends[parent]
        while child < end:
            if dom.tags[child] == tag and dom.text_len(child) <= _ROW_CHARS:
                text = squash(" ".join(dom.texts[child:dom.ends[child]]))
                if _CLOCK_HINT.search(text) and _YEAR_HINT.search(text):  # else it shows no date with a time
                    count += _comment_row(text)
            child = dom.ends[child]
        return count


def _comment_row(text: str) -> bool:
    """A row that shows an unlabelled date with a time and something more than that: a nickname and a comment, a
    linked headline. "입력 2024-05-06 10:00" (labelled) and a bare "2024-05-06 10:00" are the article's own."""
    found = scan_dates(text)
    timed = any(f.has_time and not f.relative and not f.kind for f in found)
    return timed and len(text) - sum(f.end - f.start for f in found) >= _ROW_WORDS


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
    for index in dom.labelled:
        if not index or (not dom.words[index] & _AUTHOR_WORDS and dom.attr(index, "itemprop") != "author"):
            continue
        text = node_text(dom.nodes[index]) or ""
        name = reporter_name(text) or (clean_author(text) if len(text) <= 30 and not _HAS_DIGIT.search(text) else None)
        if name:
            found.append(name)
    inside = [b.text for b in page.blocks if not roots.isdisjoint(b.path)]
    found += [n for n in (reporter_name(t) for t in inside[:3] + inside[-8:][::-1]) if n]
    if not any(map(_person, found)):  # a byline in furniture the body walk skipped
        first = next((n for n in (_own_reporter(dom, i) for i in dom.texted) if n), None)
        found += [first] if first else []
    return next((a for a in found if _person(a)), found[0] if found else None)


def _person(name: str) -> bool:
    """Shaped as a person's name, and not an outlet's ("조선비즈" in og:article:author has a name's shape)."""
    if _PERSON.fullmatch(name) is None:
        return False
    return name.isascii() or not any(outlet_like(part) for part in re.split(r"\s?[·,]\s?", name))


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
