"""Structured data of an article page: JSON-LD, OpenGraph, article:* and other meta tags, canonical link, language."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Final
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sinowatch.parse.html import resolve_base
from sinowatch.text.boilerplate import squash

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenews", "analysisnewsarticle", "opinionnewsarticle", "reviewnewsarticle",
    "backgroundnewsarticle", "askpublicnewsarticle", "blogposting", "socialmediaposting", "scholarlyarticle",
    "techarticle", "liveblogposting", "report",
})
_PUBLISHED_KEYS: Final = (
    "article:published_time", "og:article:published_time", "article:published", "og:published_time",
    "og:regdate", "article.published", "published_time", "datepublished", "pubdate", "publishdate", "publish-date",
    "publish_date", "date", "dc.date", "dc.date.issued", "dcterms.created", "dcterms.issued", "sailthru.date",
    "parsely-pub-date", "cxenseparse:recs:publishtime", "nv:news_date",
)
_UPDATED_KEYS: Final = (
    "article:modified_time", "og:article:modified_time", "og:updated_time", "article.updated", "modified_time",
    "datemodified", "lastmod", "last-modified", "dcterms.modified", "article:modified",
)
_AUTHOR_KEYS: Final = ("author", "article:author", "og:article:author", "byl", "dc.creator", "sailthru.author",
                "parsely-author", "dable:author", "twitter:creator")
_TAGS: Final = re.compile(r"<[^>]{0,200}>")
_BREAK: Final = re.compile(r"<br\s*/?>|</?(?:p|div|li|h\d)\b[^>]{0,200}>", re.I)
_TRAILING_COMMA: Final = re.compile(r",\s*([}\]])")
_SALVAGE: Final = re.compile(r'"(headline|datePublished|dateModified|inLanguage)"\s*:\s*"((?:[^"\\]|\\.){1,500})"')
_MAX_DEPTH: Final = 8
_FUSION: Final = "Fusion.globalContent"  # Arc XP's page state: the story, before the page's scripts render it
# An absolute http(s) URL with a host and no empty query or fragment: urljoin gives it back as it is (given no
# dot segments in its path).
_PLAIN_ABSOLUTE: Final = re.compile(r"https?://[^\s/?#@\[\]\\]+(?:/[^\s?#\\]*)?(?:\?[^\s#\\]+)?(?:#\S+)?")
_THREE_LETTER: Final = {"kor": "ko", "zho": "zh", "chi": "zh", "eng": "en", "jpn": "ja"}


@dataclass
class Metadata:
    """What the page says about itself, before any heuristics."""

    headline: str | None = None  # JSON-LD
    og_title: str | None = None
    title_tag: str | None = None
    site_name: str | None = None
    published: list[str] = field(default_factory=list)  # raw values, best first
    updated: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    canonical_url: str | None = None
    image: str | None = None
    language: str | None = None
    article_body: str | None = None  # JSON-LD articleBody, a fallback for the text
    base: str = ""  # what the page's relative links resolve against (its URL, or its <base href>)


def read_metadata(tree: LexborHTMLParser, url: str) -> Metadata:
    """JSON-LD first, then OpenGraph and other meta tags; URLs resolved against the page and its <base>."""
    head = _Head(tree)
    base = resolve_base(url, head.base)
    meta = _meta_tags(head)
    article = _jsonld_article(head.scripts)
    found = Metadata(base=base)
    found.headline = _clean(article.get("headline") or article.get("name"))
    found.og_title = _clean(meta.get("og:title") or meta.get("twitter:title"))
    found.title_tag = _clean(head.title.text()) if head.title is not None else None
    publisher = _name(article.get("publisher"))
    found.site_name = _clean(meta.get("og:site_name") or publisher or meta.get("application-name"))
    found.published = _present(_first_text(article.get("datePublished")), _first_text(article.get("dateCreated")),
                               *(meta.get(k) for k in _PUBLISHED_KEYS))
    found.updated = _present(_first_text(article.get("dateModified")), *(meta.get(k) for k in _UPDATED_KEYS))
    found.authors = _present(*_people(article.get("author")), *(meta.get(k) for k in _AUTHOR_KEYS))
    found.canonical_url = _canonical(head.links, base) or _absolute(base, meta.get("og:url"))
    found.image = _absolute(base, meta.get("og:image") or meta.get("og:image:url") or _image(article.get("image"))
                            or meta.get("twitter:image") or meta.get("twitter:image:src"))
    found.language = _language(tree, meta, article)
    body = article.get("articleBody")
    found.article_body = body.strip() if isinstance(body, str) and body.strip() else None
    return found


def rendered_article(tree: LexborHTMLParser) -> tuple[list[str], dict[str, Any]]:
    """The paragraphs of an article its page's scripts render, and the story they come from: Arc XP (Fusion)
    sites — 조선일보, 조선비즈 — ship the story as `Fusion.globalContent = {...}` and an empty body. ([], {}) when
    the page holds no such story."""
    for script in tree.css("script"):
        text = script.text(deep=True)
        at = text.find(_FUSION)
        if at < 0:
            continue
        start = text.find("{", at + len(_FUSION))
        try:
            story, _ = json.JSONDecoder(strict=False).raw_decode(text, start) if start >= 0 else (None, 0)
        except (ValueError, RecursionError):
            return [], {}
        if not isinstance(story, dict):
            return [], {}
        return _story_paragraphs(story), story
    return [], {}


def _story_paragraphs(story: dict[str, Any]) -> list[str]:
    """Text, subheadings and list items of an ANS story's content elements, in order (pictures, embeds and
    links to other stories left out)."""
    paragraphs: list[str] = []
    elements = story.get("content_elements")
    for element in elements if isinstance(elements, list) else []:
        if not isinstance(element, dict):
            continue
        kind = element.get("type")
        if kind in ("text", "header"):
            values = [element.get("content")]
        elif kind == "list":
            items = element.get("items")
            values = [i.get("content") for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        else:
            continue
        paragraphs += [text for text in map(_inline_text, values) if text]
    return paragraphs


def _inline_text(value: Any) -> str | None:
    """Text of an HTML fragment of inline markup: "대만 <b>TSMC</b>와" → "대만 TSMC와" (a <br> is a space)."""
    if not isinstance(value, str):
        return None
    text = squash(html.unescape(_TAGS.sub("", _BREAK.sub(" ", value))))
    return text or None


def story_fields(story: dict[str, Any]) -> tuple[str | None, str | None, list[str]]:
    """An ANS story's headline, first publication time (ISO 8601) and authors' names."""
    headlines = story.get("headlines")
    headline = _clean(headlines.get("basic")) if isinstance(headlines, dict) else None
    published = _first_text(story.get("first_publish_date") or story.get("display_date"))
    credits = story.get("credits")
    by = credits.get("by") if isinstance(credits, dict) else None
    people = by if isinstance(by, list) else []
    authors = [a for a in (_clean(p.get("name")) for p in people if isinstance(p, dict)) if a]
    return headline, published, authors


def absolute_url(base: str, href: str | None) -> str | None:
    """`href` resolved against `base`, if the result is an http(s) URL."""
    return _absolute(base, href)


# --- JSON-LD ------------------------------------------------------------------------------------------------


def _jsonld_article(scripts: list[LexborNode]) -> dict[str, Any]:
    """The page's article object; a typed Article beats anything else that has a headline."""
    fallback: dict[str, Any] = {}
    for script in scripts:
        if "ld+json" not in (script.attributes.get("type") or "").lower():
            continue
        for item in _items(_load(script.text(deep=True)), 0):
            if _types(item) & ARTICLE_TYPES:
                return item
            if not fallback and "headline" in item:
                fallback = item
    return fallback


def _load(raw: str) -> list[Any]:
    """Every JSON value in a script, tolerating comments, CDATA, trailing commas and raw newlines in strings."""
    text = raw.strip().removeprefix("<!--").removesuffix("-->").strip()
    text = re.sub(r"^\s*//\s*<!\[CDATA\[|//\s*\]\]>\s*$", "", text).strip().rstrip(";")
    for attempt in (text, _TRAILING_COMMA.sub(r"\1", text)):
        values = _decode_all(attempt)
        if values:
            return values
    # Broken beyond repair: keep the few fields worth having.
    salvaged = {key: _unescape_json(value) for key, value in _SALVAGE.findall(text)}
    return [{"@type": "NewsArticle", **salvaged}] if "headline" in salvaged else []


def _decode_all(text: str) -> list[Any]:
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    pos = 0
    try:
        while pos < len(text):
            value, pos = decoder.raw_decode(text, pos)
            values.append(value)
            while pos < len(text) and text[pos] in " \t\r\n,;":
                pos += 1
    except (ValueError, RecursionError):
        return values
    return values


def _unescape_json(value: str) -> str:
    try:
        return str(json.loads(f'"{value}"', strict=False))
    except ValueError:
        return value


def _items(value: Any, depth: int) -> Iterator[dict[str, Any]]:
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for element in value:
            yield from _items(element, depth + 1)
    elif isinstance(value, dict):
        yield value
        for key in ("@graph", "mainEntity", "itemListElement", "hasPart"):
            if key in value:
                yield from _items(value[key], depth + 1)


def _types(item: dict[str, Any]) -> set[str]:
    raw = item.get("@type")
    names = raw if isinstance(raw, list) else [raw]
    return {str(n).rsplit("/", 1)[-1].rsplit(":", 1)[-1].lower() for n in names if isinstance(n, str)}


def _first_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("@value") or value.get("name") or value.get("url")
    return value if isinstance(value, str) else None


def _name(value: Any) -> str | None:
    return _first_text(value.get("name") if isinstance(value, dict) else value)


def _people(value: Any) -> list[str | None]:
    values = value if isinstance(value, list) else [value]
    # an outlet named as the author ({"@type": "Organization", "name": "딜사이트"}) is no byline
    values = [v for v in values if not (isinstance(v, dict) and any("organization" in t for t in _types(v)))]
    people = [v for v in values if isinstance(v, dict) and "person" in _types(v)]
    return [_first_text(v.get("name")) if isinstance(v, dict) else _first_text(v) for v in (people or values)]


def _image(value: Any) -> str | None:
    return _first_text(value.get("url") if isinstance(value, dict) else value)


# --- meta tags, links ---------------------------------------------------------------------------------------


# What read_metadata needs from the whole document, in one query (lexbor returns document order; a node matching
# two of the selectors comes twice, which first-one-wins readers do not mind).
_HEAD_SELECTOR: Final = ("meta, title, base[href], script[type], link[rel][href], time[itemprop], "
                         "[itemprop=datePublished], [itemprop=dateModified]")


class _Head:
    """The page's meta tags, first <title> and <base href>, typed scripts (an untyped one is JavaScript), links
    with a rel, and elements that carry a date in an itemprop: each kind in document order."""

    def __init__(self, tree: LexborHTMLParser) -> None:
        self.metas: list[dict[str, str | None]] = []
        self.dated: list[LexborNode] = []
        self.scripts: list[LexborNode] = []
        self.links: list[dict[str, str | None]] = []
        self.title: LexborNode | None = None
        self.base: str | None = None
        based = False
        for node in tree.css(_HEAD_SELECTOR):
            tag = node.tag
            attrs = node.attributes
            if "itemprop" in attrs and (tag == "time" or (attrs["itemprop"] or "") in _DATE_PROPS):
                self.dated.append(node)
            if tag == "meta":
                self.metas.append(attrs)
            elif tag == "title":
                if self.title is None:
                    self.title = node
            elif tag == "base":
                if not based:  # the first <base href> counts, even an empty one (as browsers do)
                    self.base, based = attrs.get("href"), True
            elif tag == "script":
                self.scripts.append(node)
            elif tag == "link":
                self.links.append(attrs)


_DATE_PROPS = frozenset({"datePublished", "dateModified"})


def _meta_tags(head: _Head) -> dict[str, str]:
    """meta property/name/itemprop → content (the first one wins), plus <time itemprop> values."""
    found: dict[str, str] = {}
    for attrs in head.metas:
        content = attrs.get("content")
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            raw = attrs.get(attr)
            key = raw.strip().lower() if raw else ""
            if key:
                found.setdefault(key, content)
    for node in head.dated:
        attrs = node.attributes
        key = (attrs.get("itemprop") or "").lower()
        value = attrs.get("datetime") or attrs.get("content") or node.text()
        if key and value:
            found.setdefault(key, value)
    return found


def _canonical(links: list[dict[str, str | None]], base: str) -> str | None:
    for attrs in links:
        if "canonical" in (attrs.get("rel") or "").lower().split():
            return _absolute(base, attrs.get("href"))
    return None


def _absolute(base: str, href: str | None) -> str | None:
    if not href or not href.strip():
        return None
    href = html.unescape(href.strip())
    if _PLAIN_ABSOLUTE.fullmatch(href) and "/." not in href:  # what urljoin would return unchanged
        return href
    try:
        resolved = urljoin(base, href)
        parts = urlsplit(resolved)
    except ValueError:
        return None
    return resolved if parts.scheme in ("http", "https") and parts.netloc else None


def _language(tree: LexborHTMLParser, meta: dict[str, str], article: dict[str, Any]) -> str | None:
    root = tree.root
    attrs = root.attributes if root is not None and root.tag == "html" else {}
    declared = [
        attrs.get("lang"), attrs.get("xml:lang"),
        meta.get("content-language"), meta.get("og:locale"), _first_text(article.get("inLanguage")),
    ]
    for value in declared:
        primary = re.split(r"[-_\s,;]", (value or "").strip())[0].lower()
        primary = _THREE_LETTER.get(primary, primary)
        if re.fullmatch(r"[a-z]{2}", primary):  # "utf-8" in a Content-Language tag is not a language
            return primary
    return None


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    text = squash(_TAGS.sub(" ", html.unescape(html.unescape(value))))
    return text or None


def _present(*values: str | None) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if isinstance(v, str) and v.strip()))
