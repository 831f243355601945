"""The article's headline: source rule, JSON-LD, og:title, the page's own heading, <title> without the outlet, and
where all of these only name the outlet, the most prominent line shown just above the date line."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from sinowatch.models import ArticleRules
from sinowatch.parse.body import HEADING_TAGS, Block
from sinowatch.parse.byline import reporter_name
from sinowatch.parse.dates import scan_dates
from sinowatch.parse.dom import TEXT, Dom, node_text, select_all
from sinowatch.parse.metadata import Metadata
from sinowatch.text.boilerplate import is_boilerplate, squash
from sinowatch.text.normalize import word_chars

_TITLE_WORDS = frozenset({"headline", "title", "tit", "subject", "heading"})
_TITLE_HOLDERS: Final = frozenset({"h4", "div", "td", "p", "span", "strong", "b", "header", "section"})
SEPARATORS: Final = re.compile(r"\s+(?:[|｜│:\-–—<>«»·]|::|--|<<|>>)\s+|\s*(?:--|::|[|｜│])\s*")
# ":::대구경북일보:::", "== 제목 ==": framing, not words
_FRAMING: Final = re.compile(r"^(?:[\s:|｜│=~*·•]|[-–—_]{2,})+|(?:[\s:|｜│=~*·•]|[-–—_]{2,})+$")
_OUTLET_WORDS: Final = re.compile(
    r"뉴스|일보|신문|닷컴|타임스|타임즈|방송|미디어|데일리|투데이|저널|통신|경제|인민망|신화망|人民网|新华网|기사본문|본문"
    r"|news|times|daily|journal|korea|herald|post|press|tribune|online|\.com|\.co\.kr|\.kr|\.net|tv|people",
    re.I,
)
_MAX_TITLE: Final = 300
_CONTINUED: Final = "….,·"  # where outlets cut a long headline for og:title
_CUT_TITLE: Final = 8  # a cut title this long at least is taken as the start of a heading
_BARE_HEADING: Final = 6  # rank of an unclassed h2/h3: used only when the <title> repeats it
_WEAK_RANK: Final = 5  # rank of a headline-classed element that is no heading
_HEADLINE_TAGS: Final = frozenset({"h1", "h2", "h3"})
_RANKED_TAGS: Final = _HEADLINE_TAGS | _TITLE_HOLDERS
# "Copyright ⓒ 2003-2016 대구경북일보.", "<저작권자 ⓒ 연합뉴스, 무단 전재>": the holder is the outlet
_COPYRIGHT_HOLDER: Final = re.compile(
    r"(?:[ⓒ©]|\(c\)|copyright)\s*(?:[ⓒ©]\s*|\(c\)\s*)?(?:(?:19|20)\d\d(?:\s*[-~]\s*(?:19|20)\d\d)?\s*)?"
    r"([^\s,.|<>()\[\]]{2,20})",
    re.I,
)
_HOME: Final = re.compile(
    r"^(?:(?:https?:)?//[^/?#]+)?(?:/|\./)(?:(?:index|main|default|home)\.\w+)?(?:[?#].*)?$", re.I)
# Shown sizes in px: <font size=N>, CSS keywords, a heading's default
_FONT_SIZES: Final = {1: 10.0, 2: 13.0, 3: 16.0, 4: 18.0, 5: 24.0, 6: 32.0, 7: 48.0}
_KEYWORD_SIZES: Final = {
    "xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0, "x-large": 24.0,
    "xx-large": 32.0, "xxx-large": 48.0, "larger": 19.0, "smaller": 13.0,
}
_HEADING_SIZES: Final = {"h1": 32.0, "h2": 24.0, "h3": 18.7, "h4": 16.0, "h5": 13.3, "h6": 10.7}
_CSS_SIZE: Final = re.compile(r"font-size\s*:\s*(?:([\d.]+)\s*(px|pt|em|rem|%)?|([a-z-]+))", re.I)
_CSS_UNITS: Final = {"px": 1.0, "": 1.0, "pt": 4 / 3, "em": 16.0, "rem": 16.0, "%": 0.16}
_CSS_BOLD: Final = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.I)
_OUTLET_CHARS: Final = 16  # an outlet's name, folded, is no longer ("대구경북일보", "인민망한국어판", "thekoreaherald")
_BODY_SIZE: Final = 16.0  # what unstyled text is shown at
_PROMINENT: Final = 18.0  # a line at least this big stands out from body text
_NEAR_DATE_LINE: Final = 5  # how many lines above the date line a shown headline may stand
_ABOUT_BLOCKS: Final = 40  # how much of the body a <title> is checked against


def headline(dom: Dom, meta: Metadata, rules: ArticleRules, blocks: Sequence[Block] = (),
             body_start: int | None = None) -> str | None:
    """Source rule, JSON-LD headline, og:title, a headline-like heading, h1, then <title> without its outlet.
    A value that only names the outlet ("대구경북일보", og:site_name, the logo's name) is no headline; where
    nothing else is left, the most prominent line just above the date line before the body (`blocks[body_start]`)
    is."""
    if rules.title:
        picked = next((t for t in (node_text(n) for n in select_all(dom.tree, (rules.title,))) if t), None)
        if picked:
            return picked
    sites = [s for s in (meta.site_name, _title_tail(meta.title_tag)) if s]
    outlet = _Outlet(dom, sites, blocks)
    if meta.headline and not outlet.named(meta.headline):  # JSON-LD's, cut short at times: og:title goes on
        longer = [strip_site_suffix(meta.og_title, sites)] if meta.og_title else []
        return _completed(strip_site_suffix(meta.headline, sites), longer)
    ranked = _headings(dom, meta.title_tag, outlet)
    headings = [text for text, _ in ranked]
    if meta.og_title and not outlet.named(meta.og_title):
        stripped = strip_site_suffix(meta.og_title, sites)
        # og:title "제목 - 어느매체" where the outlet is unknown: the page's own heading shows where it ends
        shorter = [h for h in headings if stripped.startswith(h) and SEPARATORS.match(stripped, len(h))]
        return max(shorter, key=len) if shorter else _completed(stripped, headings)
    title = strip_site_suffix(meta.title_tag, sites, aggressive=True) if meta.title_tag else None
    usable = bool(title) and not outlet.named(title or "", by_shape=True)
    if ranked and not (ranked[0][1] and usable and _about(title or "", blocks[body_start or 0:])):
        return ranked[0][0]
    if not title or not usable:
        return shown_headline(dom, blocks, body_start, outlet) or title or None
    if not _about(title, blocks[body_start or 0:]):  # "Document", "제목 없음": a template's placeholder
        return shown_headline(dom, blocks, body_start, outlet) or title
    return title


def _completed(title: str, headings: list[str]) -> str:
    """og:title (or JSON-LD's headline) cut short, where the page's heading (or og:title) goes on: "… 돌파" over
    "… 돌파…'AI칩 국산화' 최대 수혜", or "… 바이두·화웨이..." over the whole line. Only a heading that goes on after an
    ellipsis or a comma, or that the cut title's trailing ellipsis says is longer, is taken for the whole headline."""
    base = title.rstrip(".…").rstrip() if title.endswith(("...", "…")) else None
    if base is not None and len(base) < _CUT_TITLE:
        return title
    longer = [h for h in headings if len(h) > len(title) and (
        h.startswith(base) if base else h.startswith(title) and h[len(title)] in _CONTINUED)]
    return min(longer, key=len) if longer else title  # the nearest: a header box may hold the subtitle too


def _about(title: str, blocks: Sequence[Block]) -> bool:
    """Whether a word of the title (two characters or more) occurs in the body: a real headline shares some."""
    words = [w for w in _fold_words(title) if len(w) >= 2]
    if not words or not blocks:
        return True
    text = _fold(" ".join(b.text for b in blocks[:_ABOUT_BLOCKS]))
    return any(w in text for w in words)


def _fold_words(text: str) -> list[str]:
    return [word_chars(word).lower() for word in text.split()]


def strip_site_suffix(title: str, sites: list[str], aggressive: bool = False) -> str:
    """"제목 | 연합뉴스" → "제목". With `aggressive` (a bare <title> is all there is), what is left after the
    outlet-like segments go is reduced to its longest segment when that one clearly dominates."""
    text = _FRAMING.sub("", squash(title))
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
    segments = sorted((_FRAMING.sub("", s) for s in SEPARATORS.split(text) if _FRAMING.sub("", s)), key=len,
                      reverse=True)
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


def _headings(dom: Dom, title_tag: str | None, outlet: _Outlet) -> list[tuple[str, bool]]:
    """Headline candidates, best first: those the <title> repeats, then itemprop=headline, headline-classed
    h1/h2/h3, plain h1, any headline-classed element; document order breaks ties. Each with whether it is weak:
    a headline-classed element that is no heading and that the <title> does not repeat ("<strong class=tit_cp>
    연합뉴스 주요 뉴스" over a box of other stories), which a real <title> beats."""
    ranked: list[tuple[bool, int, int, str]] = []
    in_title = _fold(title_tag or "")
    tags = dom.tags
    candidates = sorted({*(i for i in dom.labelled if i), *(i for i in dom.elements if tags[i] in _HEADLINE_TAGS)})
    titled: dict[frozenset[str], bool] = {}  # class/id words -> whether one of them says "title"
    for index in candidates:  # only these can rank: itemprop, class/id words, h1-h3 (document order breaks ties)
        rank = _rank(dom, index, titled)
        if rank is None or dom.chrome[index]:
            continue
        text = node_text(dom.nodes[index])
        if not text or not 6 <= len(text) <= _MAX_TITLE:
            continue
        repeated = _fold(text) in in_title
        if (rank == _BARE_HEADING and not repeated) or outlet.named(text) or _logo(dom, index):
            continue
        ranked.append((not repeated, rank, index, text))
    return [(text, unrepeated and rank == _WEAK_RANK) for unrepeated, rank, _, text in sorted(ranked)]


def _logo(dom: Dom, index: int) -> bool:
    """A heading whose every word is a link home ("<h1 class=doc-title><a href=/>Daum</a><a href=//news…/>뉴스</a>"):
    the site's logo, whatever its class says."""
    tags, texts = dom.tags, dom.texts
    homed, child, end = False, index + 1, dom.ends[index]
    while child < end:
        if tags[child] == "a" and _HOME.match(dom.attr(child, "href") or ""):
            homed, child = True, dom.ends[child]
            continue
        if tags[child] == TEXT and texts[child].strip():
            return False
        child += 1
    return homed


def _rank(dom: Dom, index: int, cache: dict[frozenset[str], bool]) -> int | None:
    if dom.attr(index, "itemprop") == "headline":
        return 0
    tag = dom.tags[index]
    if tag not in _RANKED_TAGS:
        return None
    found = dom.words[index]
    titled = cache.get(found) if found else False
    if titled is None:
        joined = " ".join(found)  # every title word holds one of these
        titled = cache[found] = any(hint in joined for hint in ("tit", "headline", "subject", "heading")) \
            and any(_is_title_word(w) for w in found)
    if tag in _HEADLINE_TAGS:
        if titled:
            return 1 if tag == "h1" else 2 if tag == "h2" else 3
        return 4 if tag == "h1" else _BARE_HEADING
    return _WEAK_RANK if titled else None


def _is_title_word(word: str) -> bool:
    """"title", "tit", "headline", "atitle", "newsTitle" (as "news title"), but not "subtitle"."""
    return word in _TITLE_WORDS or (word.endswith(("title", "headline", "subject")) and not word.startswith("sub"))


class _Outlet:
    """What the page calls its outlet: og:site_name and the <title>'s tail, then (looked up when first needed) the
    name of the home link or logo and the copyright holder."""

    def __init__(self, dom: Dom, sites: list[str], blocks: Sequence[Block]) -> None:
        self.dom, self.blocks = dom, blocks
        self.sites = {f for f in (_fold(site) for site in sites) if f}
        self._shown: set[str] | None = None

    def named(self, text: str, by_shape: bool = False) -> bool:
        """Whether `text` is only the outlet's name; `by_shape`: or looks like one ("대구경북일보": one short word
        with 일보, 뉴스, 신문... in it), for a <title> that is all a page has."""
        folded = _fold(text)
        if folded in self.sites:
            return bool(folded)
        if not folded or len(folded) > _OUTLET_CHARS:
            return False
        if folded in self.shown():
            return True
        plain = _FRAMING.sub("", squash(text))
        return by_shape and len(plain) <= 15 and not any(ch.isspace() for ch in plain) \
            and bool(_OUTLET_WORDS.search(plain))

    def shown(self) -> set[str]:
        if self._shown is None:
            self._shown = self._gather()
        return self._shown

    def _gather(self) -> set[str]:
        dom = self.dom
        names: set[str] = set()
        for index in dom.elements:
            if not ((dom.tags[index] == "a" and _HOME.match(dom.attr(index, "href") or ""))
                    or "logo" in dom.words[index]):
                continue
            end = dom.ends[index]
            names.add(_fold(squash("".join(dom.texts[index:end]))))
            for inner in range(index + 1, end):
                if dom.tags[inner] == "img":
                    names.update(_fold(dom.attr(inner, key) or "") for key in ("alt", "title"))
        for block in self.blocks:
            if len(block.text) <= 200:
                names.update(_fold(m.group(1)) for m in _COPYRIGHT_HOLDER.finditer(block.text))
        return {name for name in names if 2 <= len(name) <= _OUTLET_CHARS}


def shown_headline(dom: Dom, blocks: Sequence[Block], body_start: int | None,
                   outlet: _Outlet | None = None) -> str | None:
    """The most prominent line (biggest font, bold, a heading) among the few lines just above the date or byline
    line that precedes the body: an old table layout's `<td><font size=5><b>제목</b></font></td>`."""
    if body_start is None:
        return None
    before = list(blocks[:body_start])
    anchor = len(before)
    for position in range(len(before) - 1, max(len(before) - 1 - 2 * _NEAR_DATE_LINE, -1), -1):
        if _dates_or_names(before[position].text):
            anchor = position
            break
    best: tuple[float, str] | None = None
    for block in before[max(anchor - _NEAR_DATE_LINE, 0):anchor]:
        text = block.text
        if not 6 <= len(text) <= 200 or block.link_density > 0.5 or dom.chrome[dom.index.get(block.container, 0)]:
            continue
        size = _prominence(dom, block)
        if size is None or _dates_or_names(text) or is_boilerplate(text) or (outlet and outlet.named(text)):
            continue
        if best is None or size >= best[0]:  # the nearer to the date line of two alike
            best = (size, text)
    return best[1] if best else None


def _dates_or_names(text: str) -> bool:
    """A date line or a byline: "김도윤 기자 | 2016-03-16"."""
    return len(text) <= 120 and (bool(reporter_name(text)) or any(not f.relative for f in scan_dates(text)))


def _prominence(dom: Dom, block: Block) -> float | None:
    """How big the block is shown (px, bold counting extra), if it stands out from body text at all."""
    size: float | None = None
    bold, titled = block.bold, block.container_tag in HEADING_TAGS
    outside = False  # past the block's own element: an ancestor's class says nothing about this line
    for node_id in reversed(block.path):  # innermost first; the first size found is the one shown
        index = dom.index.get(node_id)
        if index is None:
            continue
        tag, attrs = dom.tags[index], dom.attrs(index)
        style = attrs.get("style") or ""
        if size is None:
            size = _font_size(tag, attrs.get("size"), style)
        bold = bold or bool(style and _CSS_BOLD.search(style))
        if not outside:
            titled = titled or any(_is_title_word(w) for w in dom.words[index])
        outside = outside or node_id == block.container
    shown = size if size is not None else _BODY_SIZE
    if not (bold or titled or shown >= _PROMINENT):
        return None
    return shown * (1.2 if bold else 1.0) + (1.0 if titled else 0.0)


def _font_size(tag: str, size_attr: str | None, style: str) -> float | None:
    found = _CSS_SIZE.search(style) if style else None
    if found:
        if found.group(3):
            return _KEYWORD_SIZES.get(found.group(3).lower())
        try:
            return float(found.group(1)) * _CSS_UNITS[(found.group(2) or "").lower()]
        except ValueError:
            return None
    if tag == "font" and size_attr:
        raw = size_attr.strip()
        try:
            step = 3 + int(raw) if raw[:1] in "+-" else int(raw)
        except ValueError:
            return None
        return _FONT_SIZES[min(max(step, 1), 7)]
    return _HEADING_SIZES.get(tag)


def _is_site(segment: str, sites: list[str]) -> bool:
    folded = _fold(segment)
    for site in sites:
        name = _fold(site)
        if len(name) >= 2 and (name in folded or folded in name):
            return True
    return len(segment) <= 20 and bool(_OUTLET_WORDS.search(segment))


def _fold(text: str) -> str:
    return word_chars(text).lower()
