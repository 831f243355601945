"""The main text of an article page: text blocks scored by how much prose they hold, chrome skipped by class and tag."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sinowatch.parse.dom import select_all, words

BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "html", "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
})
_PARAGRAPH_TAGS = frozenset({"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dd", "dt", "address"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SKIP_TAGS = frozenset({
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "math", "object", "embed", "video",
    "audio", "button", "select", "option", "textarea", "input", "head", "title", "meta", "link", "map", "figcaption",
    "nav", "aside", "footer", "header", "dialog",
})
# Chrome that may wrap the article on sloppy sites; skipped only while it holds a minor share of the page's text.
_SOFT_SKIP_TAGS = frozenset({"nav", "aside", "footer", "header", "dialog"})

# Class/id words of page furniture (whole words after splitting "relatedNews", "art_sns", "ad-box").
NEGATIVE_WORDS = frozenset({
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
})
_PICTURE_WORDS = frozenset({"photo", "img", "image", "pic", "picture", "figure", "thumb", "thumbnail", "gallery"})
# Where many sites put the article text; used when it holds a fair share of the prose.
PREFERRED_SELECTORS = (
    "[itemprop=articleBody]", "#articleBody", "#article-body", "#article_body", "#articleBodyContents",
    "#article-view-content-div", "#dic_area", "#newsct_article", "#newsEndContents", "#news_body_area",
    "#news-body", "#newsBody", "#textBody", "#articeBody", "#article_content", "#articleContent",
    "#article-content", ".article_body", ".article-body", ".articleBody", ".article_txt", ".article-text",
    ".art_body", ".article_view", ".news_body", ".news-body", ".news_text", ".story-news", ".view_con",
    ".view-con", ".view_content", ".news_view", ".article_cont", ".article-content", ".articleContent",
    ".cont_view", ".entry-content", ".post-content",
)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"(?:[.!?。]|다|요)[\"'”’)\]]*$")
_BOLD_TAGS = frozenset({"b", "strong"})
_PROTECTED_CHARS = 200
_SOFT_SHARE = 0.4  # chrome holding more than this share of the page's text is probably the article itself


@dataclass(frozen=True)
class Block:
    """A run of text between block boundaries or <br>s, with the elements it sits in (outermost first)."""

    text: str
    path: tuple[int, ...]  # mem_ids of enclosing elements, root first
    container: int  # mem_id of the nearest block-level element
    container_tag: str
    link_chars: int
    bold: bool = False  # the whole block is <strong>/<b>: a subheading, not a caption
    after_image: bool = False  # nothing but an image stands between it and the previous block

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


def read_blocks(tree: LexborHTMLParser, remove: tuple[str, ...] = ()) -> Page:
    """Walk the page in document order, cutting text at block elements and <br>, skipping chrome."""
    root = tree.body or tree.root
    if root is None:
        return Page([], {})
    protected = _protected(tree)
    removed = _selected(tree, remove)
    # inline scripts (a 200 KB JSON state) would make every share of the page look small
    hidden = sum(len(node.text()) for node in root.css("script, style, noscript, template"))
    page_chars = max(len(root.text()) - hidden, 1)
    walker = _Walker(protected, removed, page_chars)
    walker.walk(root)
    return Page(walker.blocks, walker.nodes)


def preferred_roots(tree: LexborHTMLParser) -> list[LexborNode]:
    """Nodes matching the common article-body selectors, in document order."""
    found: list[LexborNode] = []
    for selector in PREFERRED_SELECTORS:
        found.extend(tree.css(selector))
    return found


def _protected(tree: LexborHTMLParser) -> set[int]:
    """The preferred body containers and their ancestors, never skipped as chrome."""
    keep: set[int] = set()
    for node in preferred_roots(tree):
        if len(node.text()) < _PROTECTED_CHARS:  # a teaser that borrows the class name, not the article
            continue
        current: LexborNode | None = node
        while current is not None and current.mem_id not in keep:
            keep.add(current.mem_id)
            current = current.parent
    return keep


def _selected(tree: LexborHTMLParser, selectors: tuple[str, ...]) -> set[int]:
    return {node.mem_id for node in select_all(tree, selectors)}


class _Walker:
    """An explicit-stack walk (deeply nested hostile pages must not hit Python's recursion limit)."""

    def __init__(self, protected: set[int], removed: set[int], page_chars: int) -> None:
        self.protected, self.removed, self.page_chars = protected, removed, page_chars
        self.blocks: list[Block] = []
        self.nodes: dict[int, LexborNode] = {}
        self._parts: list[str] = []
        self._open = {"a": 0, "b": 0}  # how many links / bold elements enclose the current text
        self._chars = {"a": 0, "b": 0}  # characters of the pending block inside them
        self._image_before = False  # the pending block comes right after a picture

    def walk(self, root: LexborNode) -> None:
        path: list[int] = []
        containers: list[tuple[int, str]] = []
        stack: list[tuple[LexborNode | None, str]] = [(root, "open")]
        while stack:
            node, action = stack.pop()
            if action != "open":
                self._close(action, path, containers)
                continue
            assert node is not None
            tag = node.tag or ""
            if tag == "-text":
                self._text(node.text_content or "")
                continue
            if tag.startswith("-") or self._skipped(node, tag):
                continue
            if tag == "br":
                self._flush(path, containers)
                continue
            if tag == "img":  # a picture opening a block; an icon inside a sentence does not count
                self._image_before = self._image_before or not "".join(self._parts).strip()
                continue
            self.nodes[node.mem_id] = node
            path.append(node.mem_id)
            stack.append((None, self._open_element(tag, path, containers, node.mem_id)))
            stack.extend((child, "open") for child in reversed(list(node.iter(include_text=True))))
        self._flush(path, containers)

    def _open_element(self, tag: str, path: list[int], containers: list[tuple[int, str]], node_id: int) -> str:
        """Start an element; returns the action that ends it."""
        if tag in BLOCK_TAGS:
            self._flush(path[:-1], containers)
            containers.append((node_id, tag))
            return "close-block"
        kind = "a" if tag == "a" else "b" if tag in _BOLD_TAGS else ""
        if kind:
            self._open[kind] += 1
            return f"close-{kind}"
        return "close"

    def _close(self, action: str, path: list[int], containers: list[tuple[int, str]]) -> None:
        if action == "close-block":
            self._flush(path, containers)
            containers.pop()
        elif action in ("close-a", "close-b"):
            self._open[action[-1]] -= 1
        path.pop()

    def _text(self, text: str) -> None:
        self._parts.append(text)
        visible = len(text.strip())
        for kind, depth in self._open.items():
            if depth:
                self._chars[kind] += visible

    def _flush(self, path: list[int], containers: list[tuple[int, str]]) -> None:
        text = _SPACES.sub(" ", "".join(self._parts)).strip()
        if text and containers:
            container, tag = containers[-1]
            self.blocks.append(Block(text, tuple(path), container, tag, min(self._chars["a"], len(text)),
                                     bold=self._chars["b"] >= 0.8 * len(text),
                                     after_image=self._image_before))
            self._image_before = False
        self._parts.clear()
        self._chars = {"a": 0, "b": 0}

    def _skipped(self, node: LexborNode, tag: str) -> bool:
        if node.mem_id in self.removed:
            return True
        if node.mem_id in self.protected:
            return False
        if tag in SKIP_TAGS and tag not in _SOFT_SKIP_TAGS:
            return True
        if tag in _SOFT_SKIP_TAGS or self._looks_like_chrome(node):
            return len(node.text()) < _SOFT_SHARE * self.page_chars
        return False

    def _looks_like_chrome(self, node: LexborNode) -> bool:
        attrs = node.attributes
        if "hidden" in attrs or attrs.get("aria-hidden") == "true" or _HIDDEN.search(attrs.get("style") or ""):
            return True
        found = words(node)
        if found & NEGATIVE_WORDS:
            return True
        # a picture box: its only text is a caption or a credit
        return bool(found & _PICTURE_WORDS) and len(node.text()) < 300


# --- scoring ----------------------------------------------------------------------------------------------------


def block_score(block: Block) -> float:
    """Prose scores, link lists and scraps do not: characters, less links, more for sentence endings."""
    chars = len(block.text.replace(" ", ""))
    if chars < 12 or block.link_density > 0.5 or block.is_heading:
        return 0.0
    score = chars * (1.0 - block.link_density) ** 2
    return score * 1.5 if _SENTENCE_END.search(block.text) else score


@dataclass
class Totals:
    """Per element: propagated prose score, all characters, link characters and prose characters below it."""

    score: dict[int, float]
    chars: dict[int, int]
    links: dict[int, int]
    prose: dict[int, int]

    def link_density(self, node_id: int) -> float:
        chars = self.chars.get(node_id, 0)
        return self.links.get(node_id, 0) / chars if chars else 1.0


def totals(page: Page) -> Totals:
    """One pass over the blocks; readability-style: a block scores for its paragraph's parent, less for ancestors."""
    found = Totals(defaultdict(float), defaultdict(int), defaultdict(int), defaultdict(int))
    for block in page.blocks:
        score = block_score(block)
        for node_id in block.path:
            found.chars[node_id] += len(block.text)
            found.links[node_id] += block.link_chars
            if score:
                found.prose[node_id] += len(block.text)
        if score:
            for level, node_id in enumerate(_targets(block)):
                found.score[node_id] += score / (1 if level == 0 else 2 if level == 1 else level * 3)
    return found


def best_root(found: Totals) -> int | None:
    """The element whose subtree holds the most prose, discounted by its link density."""
    if not found.score:
        return None
    return max(found.score, key=lambda node_id: found.score[node_id] * (1.0 - found.link_density(node_id)))


def _targets(block: Block) -> list[int]:
    """The element a block scores for (the paragraph's parent) and up to four ancestors above it."""
    path = list(block.path)
    index = path.index(block.container) if block.container in path else len(path) - 1
    if block.container_tag in _PARAGRAPH_TAGS and index > 0:
        index -= 1
    return path[max(index - 4, 0): index + 1][::-1]
