"""The article's headline: source rule, JSON-LD, og:title, the page's own heading, <title> without the outlet."""

from __future__ import annotations

import re

from sinowatch.models import ArticleRules
from sinowatch.parse.dom import Dom, node_text, select_all
from sinowatch.parse.metadata import Metadata
from sinowatch.text.boilerplate import squash

_TITLE_WORDS = frozenset({"headline", "title", "tit", "subject", "heading"})
_TITLE_HOLDERS = frozenset({"h4", "div", "td", "p", "span", "strong", "b", "header", "section"})
SEPARATORS = re.compile(r"\s+(?:[|｜│:\-–—<>«»·]|::|--|<<|>>)\s+|\s*(?:--|::|[|｜│])\s*")
_OUTLET_WORDS = re.compile(
    r"뉴스|일보|신문|닷컴|타임스|타임즈|방송|미디어|데일리|투데이|저널|통신|경제|인민망|신화망|人民网|新华网|기사본문|본문"
    r"|news|times|daily|journal|korea|herald|post|press|tribune|online|\.com|\.co\.kr|\.kr|\.net|tv|people",
    re.I,
)
_NON_WORD = re.compile(r"[\W_]+")
_MAX_TITLE = 300
_BARE_HEADING = 6  # rank of an unclassed h2/h3: used only when the <title> repeats it


def headline(dom: Dom, meta: Metadata, rules: ArticleRules) -> str | None:
    """Source rule, JSON-LD headline, og:title, a headline-like heading, h1, then <title> without its outlet."""
    if rules.title:
        picked = next((t for t in (node_text(n) for n in select_all(dom.tree, (rules.title,))) if t), None)
        if picked:
            return picked
    sites = [s for s in (meta.site_name, _title_tail(meta.title_tag)) if s]
    if meta.headline:
        return strip_site_suffix(meta.headline, sites)
    headings = _headings(dom, meta.title_tag, sites)
    if meta.og_title:
        stripped = strip_site_suffix(meta.og_title, sites)
        # og:title "제목 - 어느매체" where the outlet is unknown: the page's own heading shows where it ends
        shorter = [h for h in headings if stripped.startswith(h) and SEPARATORS.match(stripped, len(h))]
        return max(shorter, key=len) if shorter else stripped
    if headings:
        return headings[0]
    if meta.title_tag:
        return strip_site_suffix(meta.title_tag, sites, aggressive=True)
    return None


def strip_site_suffix(title: str, sites: list[str], aggressive: bool = False) -> str:
    """"제목 | 연합뉴스" → "제목". With `aggressive` (a bare <title> is all there is), what is left after the
    outlet-like segments go is reduced to its longest segment when that one clearly dominates."""
    text = squash(title)
    while True:
        cuts = list(SEPARATORS.finditer(text))
        if not cuts:
            return text
        head, tail = text[: cuts[-1].start()].strip(), text[cuts[-1].end():].strip()
        if len(head) < 4 or not tail or len(tail) > 30 or not _is_site(tail, sites):
            break
        text = head
    if not aggressive:
        return text
    segments = sorted((s.strip() for s in SEPARATORS.split(text) if s.strip()), key=len, reverse=True)
    if len(segments) > 1 and len(segments[0]) >= 1.5 * len(segments[1]):
        return segments[0]
    return text


def _title_tail(title_tag: str | None) -> str | None:
    """The last segment of "제목 - 매체명", when it is short enough to be the outlet."""
    text = title_tag or ""
    cuts = list(SEPARATORS.finditer(text))
    if not cuts:
        return None
    head, tail = text[: cuts[-1].start()].strip(), text[cuts[-1].end():].strip()
    return tail if 2 <= len(tail) <= 20 and len(tail) < len(head) else None


def _headings(dom: Dom, title_tag: str | None, sites: list[str]) -> list[str]:
    """Headline candidates, best first: those the <title> repeats, then itemprop=headline, headline-classed
    h1/h2/h3, plain h1, any headline-classed element; document order breaks ties."""
    ranked: list[tuple[bool, int, int, str]] = []
    in_title = _fold(title_tag or "")
    for order, index in enumerate(dom.elements):
        rank = _rank(dom, index)
        if rank is None or dom.chrome[index]:
            continue
        text = node_text(dom.nodes[index])
        if not text or not 6 <= len(text) <= _MAX_TITLE or _is_site_name(text, sites):
            continue
        repeated = _fold(text) in in_title
        if rank == _BARE_HEADING and not repeated:
            continue
        ranked.append((not repeated, rank, order, text))
    return [text for *_, text in sorted(ranked)]


def _rank(dom: Dom, index: int) -> int | None:
    tag = dom.tags[index]
    if dom.attr(index, "itemprop") == "headline":
        return 0
    found = dom.words[index]
    titled = bool(found) and any(_is_title_word(w) for w in found)
    if tag in ("h1", "h2", "h3") and titled:
        return {"h1": 1, "h2": 2}.get(tag, 3)
    if tag == "h1":
        return 4
    if titled and tag in _TITLE_HOLDERS:
        return 5
    return _BARE_HEADING if tag in ("h2", "h3") else None


def _is_title_word(word: str) -> bool:
    """"title", "tit", "headline", "atitle", "newsTitle" (as "news title"), but not "subtitle"."""
    return word in _TITLE_WORDS or (word.endswith(("title", "headline", "subject")) and not word.startswith("sub"))


def _is_site_name(text: str, sites: list[str]) -> bool:
    folded = _fold(text)
    return any(folded == _fold(site) for site in sites)


def _is_site(segment: str, sites: list[str]) -> bool:
    folded = _fold(segment)
    for site in sites:
        name = _fold(site)
        if len(name) >= 2 and (name in folded or folded in name):
            return True
    return len(segment) <= 20 and bool(_OUTLET_WORDS.search(segment))


def _fold(text: str) -> str:
    return _NON_WORD.sub("", text).lower()
