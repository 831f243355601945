"""One walk over an article page, shared by every part of the extractor: the body's nodes in document order with
their tags, attributes, class/id words, subtree text lengths and whether they sit in page furniture."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from sinowatch.text.boilerplate import squash

_SPLIT_WORDS = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_DIGITS = "0123456789"
# Regions that hold other articles or site furniture; a byline inside them is not this article's.
NOT_BYLINE = frozenset({
    "related", "relate", "relation", "relnews", "rel", "recommend", "recommended", "recom", "popular", "ranking",
    "rank", "best", "hot", "most", "sidebar", "side", "aside", "widget", "gnb", "lnb", "snb", "nav", "navi",
    "navigation", "menu", "comment", "comments", "cmt", "reply", "replies", "outbrain", "taboola", "dable", "ad",
    "ads", "banner", "bnr", "sponsor", "promo", "newsletter", "subscribe", "sitemap", "family", "pagination", "paging",
})
# ... nor is a heading or a date there (an article's own footer still holds its byline).
OTHER_ARTICLES = NOT_BYLINE | {"footer", "foot", "list", "more"}
_CHROME_TAGS = frozenset({"a", "nav", "aside"})
_MAX_DEPTH = 30  # how far up an element's furniture may be
_FAR = -(10**9)  # the depth of "no furniture above"
TEXT = "-text"
EMPTY: frozenset[str] = frozenset()


def class_words(raw: str) -> frozenset[str]:
    """The words of a class and id string: "relatedNews art_sns" → {related, news, art, sns}."""
    return frozenset(w.rstrip(_DIGITS) for w in _SPLIT_WORDS.split(_CAMEL.sub(r"\1 \2", raw).lower()) if w)


def words(node: LexborNode) -> frozenset[str]:
    """The words of an element's class and id (for a node outside a `Dom`)."""
    attrs = node.attributes
    return class_words(f"{attrs.get('class') or ''} {attrs.get('id') or ''}")


class Dom:
    """The body's nodes (elements and text, comments left out) in document order, by index; the body is index 0.

    `ends[i]` is the index just past node i's subtree, `parents[i]` its parent's index (-1 for the body).
    `chrome[i]` / `byline_chrome[i]`: an ancestor within 30 levels is a link, nav, aside or a region whose
    class/id or tag names other articles (OTHER_ARTICLES) / furniture no byline belongs to (NOT_BYLINE)."""

    __slots__ = ("byline_chrome", "chrome", "elements", "ends", "index", "mem_ids", "nodes", "parents", "tags",
                 "text_lens", "texts", "tree", "words", "_attrs", "_own")

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.tree = tree
        self.nodes: list[LexborNode] = []
        self.tags: list[str] = []
        self.texts: list[str] = []  # a text node's text; "" for elements
        self.mem_ids: list[int] = []
        self.parents: list[int] = []
        self.ends: list[int] = []
        self.words: list[frozenset[str]] = []
        self.chrome: list[bool] = []
        self.byline_chrome: list[bool] = []
        self.text_lens: list[int] = []
        self._attrs: list[dict[str, str | None] | None] = []
        self._own: dict[int, str] = {}
        root = tree.body or tree.root
        if root is not None:
            self._walk(root)
        self.index = {m: i for i, m in enumerate(self.mem_ids) if self.tags[i] != TEXT}  # mem_id -> index
        self.elements = [i for i in range(1, len(self.tags)) if self.tags[i] != TEXT]  # the body's descendants

    def _walk(self, root: LexborNode) -> None:
        nodes, tags, texts, mem_ids, parents, ends = self.nodes, self.tags, self.texts, self.mem_ids, self.parents, \
            self.ends
        all_words, chrome, byline_chrome, text_lens, all_attrs = self.words, self.chrome, self.byline_chrome, \
            self.text_lens, self._attrs
        split: dict[str, frozenset[str]] = {}
        # nearest furniture at or above each open element, as a depth: (other articles, not-byline)
        near_other, near_byline = self._above(root)
        open_ids: list[int] = []  # mem_ids of the open elements, root first
        open_index: list[int] = []
        open_near: list[tuple[int, int]] = []
        for node in root.traverse(include_text=True):
            tag = node.tag or ""
            if tag.startswith("-") and tag != TEXT:
                continue
            index = len(tags)
            if index:
                parent_id = node.parent.mem_id  # type: ignore[union-attr]
                while open_ids[-1] != parent_id:
                    open_ids.pop()
                    ends[open_index.pop()] = index
                    open_near.pop()
                parent = open_index[-1]
                near_other, near_byline = open_near[-1]
            else:
                parent = -1
            depth = len(open_ids)
            nodes.append(node)
            tags.append(tag)
            parents.append(parent)
            ends.append(index + 1)
            chrome.append(depth - near_other <= _MAX_DEPTH)
            byline_chrome.append(depth - near_byline <= _MAX_DEPTH)
            if tag == TEXT:
                text = node.text_content or ""
                texts.append(text)
                mem_ids.append(0)
                all_words.append(EMPTY)
                all_attrs.append(None)
                text_lens.append(len(text))
                continue
            attrs = node.attributes
            raw = attrs.get("class") or attrs.get("id")
            if raw:
                raw = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
                found = split.get(raw)
                if found is None:
                    found = split[raw] = class_words(raw)
            else:
                found = EMPTY
            mem_id = node.mem_id
            texts.append("")
            mem_ids.append(mem_id)
            all_words.append(found)
            all_attrs.append(attrs)
            text_lens.append(0)
            if tag in _CHROME_TAGS or tag in OTHER_ARTICLES or found & OTHER_ARTICLES:
                near_other = depth
                if tag in _CHROME_TAGS or tag in NOT_BYLINE or found & NOT_BYLINE:
                    near_byline = depth
            open_ids.append(mem_id)
            open_index.append(index)
            open_near.append((near_other, near_byline))
        for index in open_index:
            ends[index] = len(tags)
        for index in range(len(tags) - 1, 0, -1):
            text_lens[parents[index]] += text_lens[index]

    @staticmethod
    def _above(root: LexborNode) -> tuple[int, int]:
        """The depth (the root is 0) of the nearest furniture above the root, for each kind."""
        near_other = near_byline = _FAR
        current, depth = root.parent, -1
        while current is not None and depth >= -_MAX_DEPTH:
            tag = current.tag or ""
            found = words(current) if not tag.startswith("-") else EMPTY
            if near_other == _FAR and (tag in _CHROME_TAGS or tag in OTHER_ARTICLES or found & OTHER_ARTICLES):
                near_other = depth
            if near_byline == _FAR and (tag in _CHROME_TAGS or tag in NOT_BYLINE or found & NOT_BYLINE):
                near_byline = depth
            current, depth = current.parent, depth - 1
        return near_other, near_byline

    def attrs(self, index: int) -> dict[str, str | None]:
        """An element's attributes (read once, in the walk)."""
        return self._attrs[index] or {}

    def attr(self, index: int, name: str) -> str | None:
        found = self._attrs[index]
        return found.get(name) if found else None

    def own_text(self, index: int) -> str:
        """The element's own text: its text children joined, descendants' text left out."""
        cached = self._own.get(index)
        if cached is None:
            parts = []
            child, end = index + 1, self.ends[index]
            while child < end:
                if self.tags[child] == TEXT:
                    parts.append(self.texts[child])
                child = self.ends[child]
            cached = self._own[index] = "".join(parts)
        return cached

    def text(self, index: int) -> str | None:
        """The element's visible text, whitespace folded; None when empty."""
        return node_text(self.nodes[index])


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
