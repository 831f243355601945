"""Plain values that flow between the pipeline's stages; only the standard library here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class SourceKind(StrEnum):
    """How a source lists its articles."""

    FEED = "feed"  # RSS 2.0, RSS 1.0 (RDF), Atom, JSON Feed
    HTML = "html"  # an HTML listing page read with CSS selectors
    SITEMAP = "sitemap"  # a (news) sitemap or sitemap index


@dataclass(frozen=True)
class ListingRules:
    """CSS selectors that read an HTML listing page."""

    links: str  # the article links (elements with href, or containers holding one)
    title: str | None = None  # relative to each link's item, optional
    date: str | None = None  # relative to each link's item, optional
    next_page: str | None = None  # the link to the next listing page
    max_pages: int = 1


@dataclass(frozen=True)
class ArticleRules:
    """Per-source overrides for article extraction; each is a CSS selector."""

    title: str | None = None
    body: str | None = None
    date: str | None = None
    author: str | None = None
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceConfig:
    """One configured source, as read from a `feeds/*.toml` file."""

    name: str  # unique id, e.g. "people-kr"
    url: str
    kind: SourceKind
    interval: float = 1800.0  # seconds
    timezone: str = "Asia/Seoul"  # what the outlet means when a date has no zone
    outlet: str = ""  # display name, e.g. "인민망 한국어판"; defaults to name
    aliases: tuple[str, ...] = ()  # other names of the outlet (used by `import`)
    encoding: str | None = None  # wins over every other charset signal
    headers: tuple[tuple[str, str], ...] = ()
    enabled: bool = True
    listing: ListingRules | None = None
    article: ArticleRules | None = None
    file: Path | None = None  # where it was defined, for error messages

    @property
    def display_name(self) -> str:
        return self.outlet or self.name


@dataclass(frozen=True)
class FeedItem:
    """One entry found in a feed, listing page or sitemap."""

    url: str
    title: str | None = None
    published: datetime | None = None
    summary: str | None = None


@dataclass
class Extracted:
    """What the extractor reads from one article page or stored text."""

    url: str
    title: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    published: datetime | None = None  # aware
    updated: datetime | None = None  # aware
    author: str | None = None
    canonical_url: str | None = None
    image: str | None = None
    language: str | None = None
    site_name: str | None = None
    encoding: str | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Mention:
    """Where an entity name occurs: offsets into the original text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Entity:
    """One gazetteer entry."""

    id: str
    type: str  # company, lab, person, place, gov, org, university, product, model, chip, ...
    name_en: str
    name_ko: str
    name_zh: str = ""
    country: str = ""  # ISO 3166 alpha-2: "CN", "KR", "US", ...


@dataclass
class EntityHit:
    """One entity found in one text, with its mentions and how prominent it is."""

    entity: Entity
    mentions: list[Mention] = field(default_factory=list)
    in_headline: bool = False
    salience: float = 0.0

    @property
    def count(self) -> int:
        return len(self.mentions)

    @property
    def first_pos(self) -> int:
        return min((m.start for m in self.mentions), default=-1)


class Status(StrEnum):
    """What storing an article found out about it."""

    NEW = "new"
    DUPLICATE = "duplicate"  # same URL or identical normalised text
    NEAR_DUPLICATE = "near_duplicate"  # a near-copy of a stored article
    KNOWN = "known"  # this very article is already stored (nothing was written)


@dataclass
class Article:
    """An extracted, analysed article ready to store."""

    url: str  # canonical
    source: str  # source name, or "import"
    outlet: str
    title: str
    body: str
    published: datetime | None
    updated: datetime | None = None
    author: str | None = None
    fetched_url: str | None = None
    encoding: str | None = None
    image: str | None = None
    content_hash: str = ""
    fingerprint: tuple[int, ...] = ()  # MinHash signature
    entities: list[EntityHit] = field(default_factory=list)
    relevance: float = 0.0
    on_topic: bool = False


@dataclass(frozen=True)
class Identity:
    """What identifies one article's text (`dedupe.identify`): its exact hash, MinHash signature and LSH band keys.
    Defined here, with the other values the analysing workers send back, because classes of compiled modules
    (dedupe is one) do not unpickle when frozen."""

    norm: str
    content_hash: str
    signature: np.ndarray
    bands: list[int]


@dataclass(frozen=True)
class StoreResult:
    """The outcome of storing one article."""

    article_id: int
    status: Status
    duplicate_of: int | None = None


@dataclass
class SourceReport:
    """What one fetch of one source did."""

    source: str
    items: int = 0
    new: int = 0
    duplicates: int = 0
    near_duplicates: int = 0
    known: int = 0
    off_topic: int = 0
    failed: int = 0
    not_modified: bool = False
    disabled: bool = False  # the source answered 410 Gone earlier; it is skipped until its URL changes
    error_kind: str | None = None
    error: str | None = None
    entities: set[str] = field(default_factory=set)


@dataclass
class RunReport:
    """What one fetch run over many sources did."""

    sources: list[SourceReport] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(int(getattr(s, name)) for s in self.sources)

    @property
    def entities(self) -> set[str]:
        return set().union(*(s.entities for s in self.sources)) if self.sources else set()

    @property
    def failing(self) -> list[SourceReport]:
        return [s for s in self.sources if s.error_kind]


@dataclass
class StoredArticle:
    """An article as the store gives it back, with what digests need."""

    id: int
    url: str
    source: str
    outlet: str
    title: str
    body: str
    published: datetime | None
    status: str
    duplicate_of: int | None
    story_id: int | None
    relevance: float
    on_topic: bool
    created_at: datetime
    entities: list[EntityRef] = field(default_factory=list)


@dataclass(frozen=True)
class EntityRef:
    """An entity as stored for one article: enough to show and rank it without the gazetteer."""

    id: str
    count: int
    salience: float
    in_headline: bool


@dataclass
class Story:
    """One story cluster: its best article and every other outlet that ran it."""

    head: StoredArticle
    others: list[StoredArticle] = field(default_factory=list)

    @property
    def outlets(self) -> list[str]:
        names = [self.head.outlet]
        for a in self.others:
            if a.outlet not in names:
                names.append(a.outlet)
        return names

    @property
    def also_in(self) -> list[str]:
        return self.outlets[1:]
