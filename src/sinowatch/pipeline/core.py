"""The one place the stages are chained: analyse and store one article. `fetch`, `import`, `demo` and the daemon
all come through here (fetching.py, importing.py, digesting.py hold the rest of the chain)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sinowatch import dedupe
from sinowatch.config import Settings
from sinowatch.entities import Matcher, load_gazetteer
from sinowatch.fetch.urls import canonical_url
from sinowatch.models import Article, Entity, Extracted, FeedItem, Identity, SourceReport, Status, StoreResult
from sinowatch.pipeline.work import Analyser, analyse_page
from sinowatch.store import Conflict, Store, Tx
from sinowatch.text.fingerprint import sketch, to_bytes

STORE_ATTEMPTS = 3
EVENT_WEIGHTS = {"place": 0.2, "media": 0.0}
MAX_WEIGHT = 1.0  # no entity weighs more (Context.weight)
EVENT_ENTITIES = 6  # the most salient entities a new report looks for cluster candidates by
Weight = Callable[[str], float]
_T = TypeVar("_T")


@dataclass
class Context:
    """What every run needs, built once from the settings: the store and the entity matcher."""

    settings: Settings
    store: Store
    matcher: Matcher
    entities: dict[str, Entity] = field(default_factory=dict)
    analyser: Analyser | None = None  # decode-extract-analyse on a process pool (work.py)

    @classmethod
    def open(cls, settings: Settings) -> Context:
        gazetteer = load_gazetteer([settings.entities] if settings.entities else [])
        store = Store.open(settings.database_url)
        matcher = Matcher(gazetteer)
        analyser = Analyser(matcher, settings.relevance, settings.entities, settings.fetch.workers)
        return cls(settings, store, matcher, {e.id: e for e in gazetteer}, analyser)

    def close(self) -> None:
        if self.analyser is not None:
            self.analyser.close()
        self.store.close()

    def weight(self, entity_id: str) -> float:
        """How much an entity says about which event a report is on: places say little, and a news agency
        in a credit line ("(허페이=신화통신)") nothing."""
        entity = self.entities.get(entity_id)
        return 0.5 if entity is None else EVENT_WEIGHTS.get(entity.type, MAX_WEIGHT)


# -- analyse and store one article ---------------------------------------------------------------

def analyse(ctx: Context, page: Extracted, *, source: str, outlet: str, fetched_url: str | None = None,
            item: FeedItem | None = None) -> tuple[Article, Identity]:
    """Normalise, tag, score and fingerprint one extracted page: everything but the store."""
    return analyse_page(ctx.matcher, ctx.settings.relevance, page, source=source, outlet=outlet,
                        fetched_url=fetched_url, item=item)


class EventMemo:
    """The same-event test's view of stored reports (dedupe.EventFeatures, by article id), kept for one run.

    A busy run offers the same recent stories as candidates to report after report; their story, title, lead
    and date never change once stored, so each is read once a run, not once per new report on its entities
    (1,000 bench articles into a fresh SQLite file: 2.1 of the store's 4.6 ms an article went to reading them
    again). Their entities change only by `sinowatch retag`: a run that overlaps one clusters by the entities
    it read first. What a transaction reads or writes is staged and kept only once it commits (SQLite may give
    a rolled-back row's id to the next article)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self.kept: OrderedDict[int, dedupe.EventFeatures] = OrderedDict()
        self.staged: dict[int, dedupe.EventFeatures] = {}

    def get(self, article_id: int) -> dedupe.EventFeatures | None:
        found = self.staged.get(article_id) or self.kept.get(article_id)
        if found is not None and article_id in self.kept:
            self.kept.move_to_end(article_id)
        return found

    def stage(self, article_id: int, features: dedupe.EventFeatures) -> None:
        self.staged[article_id] = features

    def commit(self) -> None:
        self.kept.update(self.staged)
        self.staged.clear()
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)

    def rollback(self) -> None:
        self.staged.clear()


def store_article(store: Store, article: Article, identity: Identity,
                  urls: Sequence[str] = (), weight: Weight | None = None, memo: EventMemo | None = None) -> StoreResult:
    """Decide new / duplicate / near-duplicate and the story cluster, and write, in one transaction;
    a lost race is retried. `weight` (Context.weight) ranks entities for clustering; without it, a new
    article starts its own story. `memo` keeps stored reports' clustering features between calls."""
    for attempt in range(STORE_ATTEMPTS):
        try:
            return _in_transaction(store, lambda tx: _store_in(tx, article, identity, urls, weight, memo), memo)
        except Conflict:
            if attempt == STORE_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


Pending = tuple[Article, Identity, Sequence[str]]


def store_articles(store: Store, batch: Sequence[Pending], weight: Weight | None = None,
                   memo: EventMemo | None = None) -> list[StoreResult]:
    """Store a batch in one transaction (copies within the batch see each other); after a lost race,
    one by one."""
    try:
        return _in_transaction(store, lambda tx: [_store_in(tx, article, identity, urls, weight, memo)
                                                  for article, identity, urls in batch], memo)
    except Conflict:
        return [store_article(store, article, identity, urls, weight, memo) for article, identity, urls in batch]


def _in_transaction(store: Store, work: Callable[[Tx], _T], memo: EventMemo | None) -> _T:
    try:
        with store.transaction() as tx:
            done = work(tx)
    except BaseException:
        if memo is not None:
            memo.rollback()
        raise
    if memo is not None:
        memo.commit()
    return done


def _store_in(tx: Tx, article: Article, identity: Identity, urls: Sequence[str],
              weight: Weight | None, memo: EventMemo | None) -> StoreResult:
    all_urls = [u for u in dict.fromkeys([article.url, *(canonical_url(u) for u in urls)]) if u]
    known, original, banded = tx.identity_matches(all_urls, identity.content_hash, identity.bands)
    if known is not None:
        tx.add_urls(known, all_urls)
        return StoreResult(known, Status.KNOWN)
    status, similarity = Status.NEW, None
    if original is not None:
        status, similarity = Status.DUPLICATE, 1.0
    else:
        likely = dedupe.likely_copies(identity, banded)
        bodies = tx.bodies(likely)
        candidates = [dedupe.Candidate(i, bodies[i]) for i in likely if i in bodies]
        match = dedupe.near_duplicate(identity, candidates)
        if match:
            status, original, similarity = match.status, match.article_id, match.similarity
    story = _event_story(tx, article, weight, memo) if status is Status.NEW and weight else None
    article_id = tx.insert_article(article, status=status, duplicate_of=original, similarity=similarity,
                                   signature=to_bytes(identity.signature), sketch=sketch(identity.signature),
                                   bands=identity.bands, urls=all_urls, story_id=story)
    return StoreResult(article_id, status, original)


def _event_story(tx: Tx, article: Article, weight: Weight, memo: EventMemo | None) -> int | None:
    """The story cluster of another outlet's report on the same event, if one is stored."""
    if not article.on_topic:
        return None
    mine = {h.entity.id: h.salience * weight(h.entity.id) for h in article.entities}
    keys = [i for i, w in sorted(mine.items(), key=lambda kv: -kv[1]) if w > 0][:EVENT_ENTITIES]
    ids = tx.event_candidates(keys, article.published, dedupe.CLUSTER_HOURS)
    memo = memo or EventMemo()
    missing = [i for i in ids if memo.get(i) is None]
    # An entity below SALIENT after weighting plays no part in the test: those are not read.
    least = dedupe.SALIENT / MAX_WEIGHT
    for article_id, story, title, lead, published, saliences in tx.event_reports(missing, least=least):
        memo.stage(article_id, dedupe.event_features(story, title, lead, published,
                                                     {e: s * weight(e) for e, s in saliences.items()}))
    candidates = [f for f in map(memo.get, ids) if f is not None]
    new = dedupe.event_features(0, article.title, article.body, article.published, mine)
    return dedupe.same_event(new, candidates)


def count(report: SourceReport, article: Article, result: StoreResult) -> None:
    """Add one stored article's outcome to its source's report."""
    if result.status is Status.KNOWN:
        report.known += 1
        return
    field_name = {Status.NEW: "new", Status.DUPLICATE: "duplicates", Status.NEAR_DUPLICATE: "near_duplicates"}
    setattr(report, field_name[result.status], getattr(report, field_name[result.status]) + 1)
    if not article.on_topic:
        report.off_topic += 1
    report.entities.update(h.entity.id for h in article.entities)


