"""One walk over an article page, shared by every part of the extractor: the body's nodes in document order with
their tags, attributes, class/id words, subtree text lengths and whether they sit in page furniture."""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate
from typing import Any, Final

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from sinowatch.text.boilerplate import squash

_SPLIT_WORDS: Final = re.compile(r"[^a-z0-9]+")
_CAMEL: Final = re.compile(r"([a-z0-9])([A-Z])")
_ASCII_WORDS: Final = re.compile(r"[A-Z]+[a-z0-9]*|[a-z0-9]+")
_DIGITS: Final = "0123456789"
# Regions that hold other articles or site furniture; a byline inside them is not this article's.
NOT_BYLINE: Final = frozenset({
    "related", "relate", "relation", "relnews", "rel", "recommend", "recommended", "recom", "popular", "ranking",
    "rank", "best", "hot", "most", "sidebar", "side", "aside", "widget", "gnb", "lnb", "snb", "nav", "navi",
    "navigation", "menu", "comment", "comments", "cmt", "reply", "replies", "outbrain", "taboola", "dable", "ad",
    "ads", "banner", "bnr", "sponsor", "promo", "newsletter", "subscribe", "sitemap", "family", "pagination", "paging",
})
# ... nor is a heading or a date there (an article's own footer still holds its byline).
OTHER_ARTICLES: Final = NOT_BYLINE | {"footer", "foot", "list", "more"}
_CHROME_TAGS: Final = frozenset({"a", "nav", "aside"})
_OTHER_TAGS: Final = _CHROME_TAGS | OTHER_ARTICLES  # tags that are furniture by name: nav, aside, footer, menu
_BYLINE_TAGS: Final = _CHROME_TAGS | NOT_BYLINE
_MAX_DEPTH: Final = 30  # how far up an element's furniture may be
_FAR: Final = -(10**9)  # the depth of "no furniture above"
TEXT: Final = "-text"
_TEXT_ID: Final = 2  # lexbor's LXB_TAG__TEXT, the tag_id of every text node
EMPTY: frozenset[str] = frozenset()
# HTML's elements, whose lexbor tag ids are fixed (a page's custom elements get ids of its own, past these).
_HTML_TAGS: Final = (
    "a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col "
    "colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure footer form h1 "
    "h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map mark menu "
    "meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp "
    "script search section select slot small source span strong style sub summary sup table tbody td template "
    "textarea tfoot th thead time title tr track u ul var video wbr center font big tt strike marquee nobr")


@lru_cache(maxsize=1)
def tag_names() -> dict[int, str]:
    """lexbor tag id -> tag name for HTML's elements: a walk reads a node's id (cheap) rather than its name
    (a new string per node)."""
    names = _HTML_TAGS.split()
    tree = LexborHTMLParser("<body>" + "".join(f"<{n}></{n}>" for n in names if n not in ("html", "head", "body"))
                            + "</body>")
    root = tree.root
    found = {node.tag_id: node.tag for node in root.traverse() if node.tag in names} if root is not None else {}
    return {tag_id: name for tag_id, name in found.items() if name}


@lru_cache(maxsize=8192)  # an outlet's pages share their templates' class names
def class_words(raw: str) -> frozenset[str]:
    """The words of a class and id string: "relatedNews art_sns" → {related, news, art, sns}; trailing digits go."""
    if raw.isascii():  # runs of letters and digits, cut before a capital that follows a small letter or digit
        found: set[str] = set()
        for word in _ASCII_WORDS.findall(raw):
            found.add(word.lower().rstrip(_DIGITS))
        return frozenset(found)
    return frozenset(w.rstrip(_DIGITS) for w in _SPLIT_WORDS.split(_CAMEL.sub(r"\1 \2", raw).lower()) if w)


def words(node: LexborNode) -> frozenset[str]:
    """The words of an element's class and id (for a node outside a `Dom`)."""
    attrs = node.attributes
    return class_words(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")


class Dom:
    """The body's nodes (elements and text, comments left out) in document order, by index; the body is index 0.

    `ends[i]` is the index just past node i's subtree, `parents[i]` its parent's index (-1 for the body), `texts[i]`
    a text node's text ("" for an element). `chrome[i]` / `byline_chrome[i]`: an ancestor within 30 levels is a
    link, nav or aside, or names (by class/id or tag) other articles (OTHER_ARTICLES) / furniture no byline belongs
    to (NOT_BYLINE). Lists are per node; `words`, `mem_ids` and the attributes are empty for text nodes."""

    __slots__ = ("_index", "_lengths", "_own", "byline_chrome", "cache", "chrome", "element_attrs", "elements",
                 "ends", "labelled", "mem_ids", "nodes", "parents", "tags", "texted", "texts", "tree", "words")

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self.cache: dict[str, Any] = {}  # what the extractor's parts work out once per page
        self._own: dict[int, str] = {}
        self._index: dict[int, int] | None = None
        self._lengths: list[int] | None = None  # running total of text lengths, for text_len in O(1)
        self.elements: list[int] = []  # the body's descendant elements
        self.labelled: list[int] = []  # elements (the body too) with a class, an id or an itemprop
        self.texted: list[int] = []  # the body's descendant elements with a text child that is not blank
        self.ends: list[int] = []
        body = tree.body
        root = body or tree.root  # a frameset page has no body: the walk for text covers the whole page
        self.nodes: list[LexborNode] = []
        self.tags: list[str] = []
        self.texts: list[str] = []
        self.parents: list[int] = []
        self.element_attrs: list[dict[str, str | None] | None] = []  # None for text nodes
        self.mem_ids: list[int] = []
        self.words: list[frozenset[str]] = []
        self.chrome: list[bool] = []
        self.byline_chrome: list[bool] = []
        if root is not None:
            self._walk(root)
        if body is None:  # ... but no element outside a body is the article's heading, date or byline
            self.elements, self.labelled, self.texted = [], [], []

    def _walk(self, root: LexborNode) -> None:
        """Fill the columns, depth first by first child and next sibling, so that a node's place in the tree
        comes free."""
        nodes, tags, texts, parents = self.nodes, self.tags, self.texts, self.parents
        element_attrs, mem_ids, all_words = self.element_attrs, self.mem_ids, self.words
        chrome, byline_chrome = self.chrome, self.byline_chrome
        elements: list[int] = []
        labelled: list[int] = []
        texted: dict[int, None] = {}  # elements with some text of their own
        closed: list[tuple[int, int]] = []  # (element, end of its subtree)
        near_other, near_byline = self._above(root)  # depth of the nearest furniture above (the root's is 0)
        stack: list[tuple[int, LexborNode, int, int, int]] = []  # open elements: index, node, parent, furniture
        parent, depth, index = -1, 0, 0  # index: the next node's
        names = tag_names()
        node: LexborNode | None = root
        while node is not None:
            tag_id = node.tag_id
            if tag_id == _TEXT_ID:  # cheaper than reading the tag name
                text = node.text_content or ""
                nodes.append(node)
                tags.append(TEXT)
                texts.append(text)
                parents.append(parent)
                element_attrs.append(None)
                mem_ids.append(0)
                all_words.append(EMPTY)
                chrome.append(False)
                byline_chrome.append(False)
                if text and not text.isspace():
                    texted[parent] = None
                index += 1
            elif (tag := names.get(tag_id) or node.tag) and tag[0] != "-":
                attrs: dict[str, str | None] = node.attributes  # typed: compiled, dict reads skip method calls
                found = EMPTY
                if attrs:
                    cls, ident = attrs.get("class"), attrs.get("id")
                    if cls or ident or "itemprop" in attrs:
                        labelled.append(index)
                    if cls:
                        found = class_words(cls)
                    if ident:
                        more = class_words(ident)
                        found = found | more if found else more
                nodes.append(node)
                tags.append(tag)
                texts.append("")
                parents.append(parent)
                element_attrs.append(attrs)
                mem_ids.append(node.mem_id)
                all_words.append(found)
                chrome.append(depth - near_other <= _MAX_DEPTH)
                byline_chrome.append(depth - near_byline <= _MAX_DEPTH)
                if index:
                    elements.append(index)
                child = node.first_child
                if child is not None:
                    stack.append((index, node, parent, near_other, near_byline))
                    if tag in _OTHER_TAGS or (found and not found.isdisjoint(OTHER_ARTICLES)):
                        near_other = depth
                        if tag in _BYLINE_TAGS or (found and not found.isdisjoint(NOT_BYLINE)):
                            near_byline = depth
                    parent, depth, node = index, depth + 1, child
                    index += 1
                    continue
                index += 1
            # on to the next sibling, closing the elements whose last child this was; never past the root
            while stack:
                following = node.next
                if following is not None:
                    node = following
                    break
                opened, node, parent, near_other, near_byline = stack.pop()
                closed.append((opened, index))
                depth -= 1
            else:
                node = None
        self.elements = elements
        self.labelled = labelled
        self.texted = sorted(i for i in texted if i > 0)
        self.ends = ends = list(range(1, index + 1))
        for opened, end in closed:
            ends[opened] = end

    @staticmethod
    def _above(root: LexborNode) -> tuple[int, int]:
        """The depth (the root is 0) of the nearest furniture above the root, for each kind."""
        near_other = near_byline = _FAR
        current, depth = root.parent, -1
        while current is not None and depth >= -_MAX_DEPTH:
            tag = current.tag or ""
            found = words(current) if not tag.startswith("-") else EMPTY
            if near_other == _FAR and (tag in _OTHER_TAGS or found & OTHER_ARTICLES):
                near_other = depth
            if near_byline == _FAR and (tag in _BYLINE_TAGS or found & NOT_BYLINE):
                near_byline = depth
            current, depth = current.parent, depth - 1
        return near_other, near_byline

    @property
    def index(self) -> dict[int, int]:
        """mem_id -> index, for elements."""
        if self._index is None:
            self._index = {self.mem_ids[i]: i for i in self.elements}
            if self.tags:
                self._index[self.mem_ids[0]] = 0
        return self._index

    def attrs(self, index: int) -> dict[str, str | None]:
        """An element's attributes (read once, in the walk)."""
        return self.element_attrs[index] or {}

    def attr(self, index: int, name: str) -> str | None:
        found = self.element_attrs[index]
        return found.get(name) if found else None

    def text_len(self, index: int) -> int:
        """How many characters of text the node's subtree holds (script and style text too)."""
        lengths = self._lengths
        if lengths is None:
            lengths = self._lengths = [0, *accumulate(map(len, self.texts))]
        return lengths[self.ends[index]] - lengths[index]

    def own_text(self, index: int) -> str:
        """The element's own text: its text children joined, descendants' text left out."""
        cached = self._own.get(index)
        if cached is None:
            parts = []
            tags, texts, ends = self.tags, self.texts, self.ends
            child, end = index + 1, ends[index]
            while child < end:
                if tags[child] == TEXT:
                    parts.append(texts[child])
                child = ends[child]
            cached = self._own[index] = "".join(parts)
        return cached


def select_all(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> list[LexborNode]:
    """All nodes matching any selector; an invalid selector matches nothing."""
    found: list[LexborNode] = []
    for selector in selectors:
        try:
            found.extend(tree.css(selector))
        except (SelectolaxError, ValueError):
            continue
    return found


def node_text(node: LexborNode, limit: int = 3000) -> str | None:
    """The element's visible text, whitespace folded; None when empty."""
    text = squash(node.text(separator=" "))
    return text[:limit] if text else None
