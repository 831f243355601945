"""The text blocks of an article page, in document order, chrome skipped by class and tag (scoring.py weighs them)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from selectolax.lexbor import LexborNode

from sinowatch.parse.dom import TEXT, Dom, select_all

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})
HEADING_TAGS: Final = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SKIP_TAGS: Final = frozenset({
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "math", "object", "embed", "video",
    "audio", "button", "select", "option", "textarea", "input", "head", "title", "meta", "link", "map", "figcaption",
    "nav", "aside", "footer", "header", "dialog",
})
# Chrome that may wrap the article on sloppy sites; skipped only while it holds a minor share of the page's text.
_SOFT_SKIP_TAGS: Final = frozenset({"nav", "aside", "footer", "header", "dialog"})

# Class/id words of page furniture (whole words after splitting "relatedNews", "art_sns", "ad-box").
NEGATIVE_WORDS: Final = frozenset({
    "ad", "ads", "adv", "advert", "advertisement", "advertising", "banner", "banners", "bnr", "sponsor", "sponsored",
    "promo", "promotion", "share", "sharing", "sns", "social", "comment", "comments", "cmt", "reply", "replies",
    "related", "relate", "relation", "relnews", "rel", "recommend", "recommended", "recom", "popular", "ranking",
    "rank", "best", "hot", "most", "footer", "foot", "gnb", "lnb", "snb", "nav", "navi", "navigation", "menu",
    "breadcrumb", "breadcrumbs", "location", "sidebar", "side", "aside", "widget", "subscribe", "subscription",
    "newsletter", "tag", "tags", "keyword", "keywords", "copyright", "util", "utility", "utils", "toolbar", "tools",
    "login", "search", "popup", "modal", "caption", "figcaption", "byline", "reporter", "writer", "journalist",
    "author", "profile", "outbrain", "taboola", "dable", "more", "blind", "hidden", "hide", "sr", "screen", "skip",
    "offscreen", "player", "tts", "jebo", "btn", "button", "icon", "ico", "rss", "pagination", "paging", "pager",
    "quick", "family", "cookie", "consent", "date", "header", "head", "masthead", "logo", "notice", "sitemap",
    "feedback", "poll", "vote", "emotion", "reaction", "like", "sympathy", "premium", "paywall", "membership",
    "summary", "summury", "summery",  # "3줄 요약", "AI 요약" boxes and 부제 lines: the article again, shorter
})
_PICTURE_WORDS: Final = frozenset({
    "photo", "img", "image", "pic", "picture", "figure", "thumb", "thumbnail", "gallery",
})
# Where many sites put the article text; used when it holds a fair share of the prose.
PREFERRED_SELECTORS: Final = (
    "[itemprop=articleBody]", "#articleBody", "#article-body", "#article_body", "#articleBodyContents",
    "#article-view-content-div", "#dic_area", "#newsct_article", "#newsEndContents", "#news_body_area",
    "#news-body", "#newsBody", "#textBody", "#articeBody", "#article_content", "#articleContent",
    "#article-content", ".article_body", ".article-body", ".articleBody", ".article_txt", ".article-text",
    ".art_body", ".article_view", ".news_body", ".news-body", ".news_text", ".story-news", ".view_con",
    ".view-con", ".view_content", ".news_view", ".article_cont", ".article-content", ".articleContent",
    ".cont_view", ".entry-content", ".post-content", "#news_body_id", "#articleText", ".story-news-article",
    ".article-text-area", ".detail-body", ".news_txt", ".news-content", ".view-content", "#articletxt",
    ".news_cnt_detail_wrap", "#CmAdContent", "#txt_area",
)
_PREFERRED_NAMES: dict[tuple[str, str], list[tuple[int, str]]] = {}
for _rank, _selector in enumerate(PREFERRED_SELECTORS):
    if _selector[0] in "#.":
        _PREFERRED_NAMES.setdefault((_selector[0], _selector[1:].lower()), []).append((_rank, _selector[1:]))
_PREFERRED_IDS: Final = frozenset(name for kind, name in _PREFERRED_NAMES if kind == "#")  # lower case
_PREFERRED_CLASSES: Final = frozenset(name for kind, name in _PREFERRED_NAMES if kind == ".")
_ITEMPROP_RANK: Final = PREFERRED_SELECTORS.index("[itemprop=articleBody]")
_CLASS_SEPARATORS: Final = re.compile(r"[ \t\n\f\r]+")  # HTML's whitespace, not Unicode's
_SCRIPT_TAGS: Final = frozenset({"script", "style", "noscript", "template"})
_HIDDEN: Final = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BOLD_TAGS: Final = frozenset({"b", "strong"})
_PROTECTED_CHARS: Final = 200
_CELL_TAGS: Final = frozenset({"td", "th"})
_CELL_NODES: Final = 12  # a data cell holds a few inline elements at most
_SOFT_SHARE: Final = 0.4  # chrome holding more than this share of the page's text is probably the article itself
# ... but not reader comments: under a short article they easily hold most of the page's text
_COMMENT_WORDS: Final = frozenset({"comment", "comments", "cmt", "reply", "replies"})


class Block:
    """A run of text between block boundaries or <br>s, with the elements it sits in (outermost first).

    A plain class, not a dataclass: compiled, a dataclass's generated __init__ stays interpreted Python, and a
    large page makes a few hundred blocks."""

    __slots__ = ("after_image", "bold", "container", "container_tag", "link_chars", "path", "text")

    def __init__(self, text: str, path: tuple[int, ...], container: int, container_tag: str, link_chars: int,
                 bold: bool = False, after_image: bool = False) -> None:
        self.text = text
        self.path = path  # mem_ids of enclosing elements, root first
        self.container = container  # mem_id of the nearest block-level element
        self.container_tag = container_tag
        self.link_chars = link_chars
        self.bold = bold  # the whole block is <strong>/<b>: a subheading, not a caption
        self.after_image = after_image  # nothing but an image stands between it and the previous block

    def __repr__(self) -> str:
        return f"Block({self.text[:40]!r}, <{self.container_tag}>, links {self.link_chars})"

    @property
    def link_density(self) -> float:
        return self.link_chars / max(len(self.text), 1)

    @property
    def is_heading(self) -> bool:
        return self.container_tag in HEADING_TAGS


@dataclass
class Page:
    """The blocks of a page and the elements they were found in."""

    blocks: list[Block]
    nodes: dict[int, LexborNode]  # mem_id -> element, for every element on some block's path


def read_blocks(dom: Dom, remove: tuple[str, ...] = ()) -> Page:
    """Walk the page in document order, cutting text at block elements and <br>, skipping chrome."""
    if not dom.tags:
        return Page([], {})
    protected = _protected(dom)
    removed = {node.mem_id for node in select_all(dom.tree, remove)} if remove else set()
    # inline scripts (a 200 KB JSON state) would make every share of the page look small
    inner = dom.elements if dom.tree.body is not None else range(1, len(dom.tags))  # a frameset page: all of it
    hidden = sum(dom.text_len(i) for i in inner if dom.tags[i] in _SCRIPT_TAGS)
    page_chars = max(dom.text_len(0) - hidden, 1)
    return Page(*_walk(dom, protected, removed, page_chars))


def preferred_roots(dom: Dom) -> list[int]:
    """Elements matching the common article-body selectors (PREFERRED_SELECTORS, as CSS would match them), by
    selector, then in document order."""
    cached = dom.cache.get("preferred")
    if cached is not None:
        return cached
    found: list[tuple[int, int]] = []  # (selector's rank, element)
    for index in dom.labelled:
        attrs = dom.attrs(index)
        ident, cls = attrs.get("id"), attrs.get("class")
        if (attrs.get("itemprop") == "articleBody" or (ident and ident.lower() in _PREFERRED_IDS)
                or (cls and not _PREFERRED_CLASSES.isdisjoint(cls.lower().split()))):
            found.extend((rank, index) for rank in _preferred_ranks(dom, index, attrs))
    result = dom.cache["preferred"] = [index for _, index in sorted(found)]
    return result


def _preferred_ranks(dom: Dom, index: int, attrs: dict[str, str | None]) -> list[int]:
    """Which of PREFERRED_SELECTORS the element matches. Names are compared ignoring case and confirmed by the CSS
    engine when the case differs (a quirks-mode page matches class and id names case-insensitively)."""
    ranks: list[int] = []
    values = [("#", attrs.get("id") or "")] + [(".", c) for c in _CLASS_SEPARATORS.split(attrs.get("class") or "")]
    for kind, value in values:
        for rank, name in _PREFERRED_NAMES.get((kind, value.lower()), ()):
            if value == name or _css_says(dom, rank, index):
                ranks.append(rank)
    if attrs.get("itemprop") == "articleBody":
        ranks.append(_ITEMPROP_RANK)
    return sorted(set(ranks))


def _css_says(dom: Dom, rank: int, index: int) -> bool:
    key = f"css:{rank}"
    matched = dom.cache.get(key)
    if matched is None:
        matched = dom.cache[key] = {n.mem_id for n in dom.tree.css(PREFERRED_SELECTORS[rank])}
    return dom.mem_ids[index] in matched


def _protected(dom: Dom) -> set[int]:
    """The preferred body containers and their ancestors (mem_ids), never skipped as chrome."""
    keep: set[int] = set()
    for index in preferred_roots(dom):
        if dom.text_len(index) < _PROTECTED_CHARS:  # a teaser that borrows the class name, not the article
            continue
        current = index
        while current >= 0 and dom.mem_ids[current] not in keep:
            keep.add(dom.mem_ids[current])
            current = dom.parents[current]
    return keep


_PLAIN, _BLOCK, _LINK, _BOLD = range(4)  # how an element ends: nothing, a block boundary, a link, bold text


def _walk(dom: Dom, protected: set[int], removed: set[int],
          page_chars: int) -> tuple[list[Block], dict[int, LexborNode]]:
    """One pass over the `Dom`'s arrays: a skipped element jumps to the end of its subtree, an element closes when
    the walk reaches the end of its subtree (no recursion, so deeply nested hostile pages cannot hurt)."""
    tags, texts, ends, mem_ids, all_nodes = dom.tags, dom.texts, dom.ends, dom.mem_ids, dom.nodes
    words, attrs = dom.words, dom.element_attrs
    blocks: list[Block] = []
    nodes: dict[int, LexborNode] = {}
    parts: list[str] = []
    path: list[int] = []  # mem_ids of the open elements
    containers: list[tuple[int, str]] = []  # the open block elements
    closing: list[tuple[int, int]] = []  # (end of the element's subtree, how it ends), innermost last
    links = bold = 0  # how many links / bold elements enclose the current text
    blank = True  # the pending text is only whitespace (and so cuts into no block)
    link_chars = bold_chars = 0  # characters of the pending block in links, in bold
    image_before = False  # nothing but a picture stands between the pending block and the previous one
    soft_limit = _SOFT_SHARE * page_chars

    def flush(at: list[int]) -> None:
        nonlocal link_chars, bold_chars, image_before
        text = " ".join("".join(parts).split())  # whitespace folded as r"\s+" would
        if text and containers:
            container, tag = containers[-1]
            blocks.append(Block(text, tuple(at), container, tag, min(link_chars, len(text)),
                                bold=bold_chars >= 0.8 * len(text), after_image=image_before))
            image_before = False
        parts.clear()
        link_chars = bold_chars = 0

    index, count = 0, len(tags)
    next_close = count + 1
    while index < count:
        while index >= next_close:
            kind = closing.pop()[1]
            next_close = closing[-1][0] if closing else count + 1
            if kind == _BLOCK:
                if not blank:
                    flush(path)
                    blank = True
                elif parts:  # whitespace only: it cuts nothing, and its link and bold counts are zero
                    parts.clear()
                containers.pop()
            elif kind == _LINK:
                links -= 1
            elif kind == _BOLD:
                bold -= 1
            path.pop()
        tag = tags[index]
        if tag == TEXT:
            text = texts[index]
            parts.append(text)
            if blank and text and not text.isspace():
                blank = False
            if links or bold:
                visible = len(text.strip())
                if links:
                    link_chars += visible
                if bold:
                    bold_chars += visible
            index += 1
            continue
        node_id = mem_ids[index]
        if removed and node_id in removed:
            index = ends[index]
            continue
        if node_id not in protected:
            if tag in SKIP_TAGS:
                if tag not in _SOFT_SKIP_TAGS or dom.text_len(index) < soft_limit:
                    index = ends[index]
                    continue
            elif (words[index] or attrs[index]) and _looks_like_chrome(dom, index) \
                    and (dom.text_len(index) < soft_limit or not words[index].isdisjoint(_COMMENT_WORDS)):
                index = ends[index]
                continue
        if tag == "br":
            if not blank:
                flush(path)
                blank = True
            elif parts:
                parts.clear()
            index = ends[index]
            continue
        if tag == "img":  # a picture opening a block; an icon inside a sentence does not count
            image_before = image_before or blank
            index = ends[index]
            continue
        nodes[node_id] = all_nodes[index]
        if tag in _CELL_TAGS and _data_cell(tags, index, ends[index]):  # a table's row reads as one line
            parts.append(" ")
            kind = _PLAIN
        elif tag in BLOCK_TAGS:
            if not blank:
                flush(path)
                blank = True
            elif parts:
                parts.clear()
            containers.append((node_id, tag))
            kind = _BLOCK
        elif tag == "a":
            links += 1
            kind = _LINK
        elif tag in _BOLD_TAGS:
            bold += 1
            kind = _BOLD
        else:
            kind = _PLAIN
        path.append(node_id)
        next_close = ends[index]
        closing.append((next_close, kind))
        index += 1
    while closing:
        if closing.pop()[1] == _BLOCK:
            flush(path)
            containers.pop()
        path.pop()
    flush(path)
    return blocks, nodes


def _data_cell(tags: list[str], index: int, end: int) -> bool:
    """A table cell of figures or words ("386억 위안", "+82%"), not a layout cell: nothing in it starts a block or
    a line, and it is short."""
    if end - index > _CELL_NODES:
        return False
    return all(tags[i] not in BLOCK_TAGS and tags[i] != "br" for i in range(index + 1, end))


def _looks_like_chrome(dom: Dom, index: int) -> bool:
    found = dom.words[index]
    if found and (not found.isdisjoint(NEGATIVE_WORDS) or ("note" in found and "editor" in found)):  # 편집자주
        return True
    attrs = dom.attrs(index)
    if "hidden" in attrs or attrs.get("aria-hidden") == "true" or _HIDDEN.search(attrs.get("style") or ""):
        return True
    # a picture box: its only text is a caption or a credit
    return bool(found) and not found.isdisjoint(_PICTURE_WORDS) and dom.text_len(index) < 300
