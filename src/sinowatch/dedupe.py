"""Identity of a story: exact (URL, text hash), near-duplicate (MinHash candidates confirmed by overlap),
and story clusters (different reports of one event)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from sinowatch.models import Identity, Status
from sinowatch.text import fingerprint
from sinowatch.text.normalize import fingerprint_text, fold, hash_of, word_chars

# Confirmation thresholds on exact shingle sets (5-character shingles of the folded body), chosen on the
# labelled set in tests/data/dedupe (56 cases; tests/test_dedupe_eval.py prints the figures):
# - copies with other chrome, dropped sentences, switched Hanja, reworded titles, an appended paragraph:
#   Jaccard 0.78-1.00 with their original;
# - truncated copies (the first half of a story): Jaccard 0.46-0.53, but 0.85-0.97 of the copy lies inside
#   the original;
# - every non-duplicate (same-topic reports, articles quoting a paragraph): Jaccard <= 0.12, containment
#   <= 0.25. So: Jaccard 0.6, containment 0.7 — at least 0.15 from the nearest copy, 0.45 from the nearest
#   non-duplicate. MIN_SIZE_RATIO keeps a one-paragraph text from "containing" in a long article.
JACCARD_NEAR = 0.6
CONTAINMENT_NEAR = 0.7
MIN_SIZE_RATIO = 0.3
MIN_CHARS = 80  # below this a body is too short to call anything a copy of it
# Before a candidate's body is read and compared, its stored MinHash sketch (the low byte of each value,
# fingerprint.sketch; corrected for chance agreement) must agree with the new signature on at least this
# share of positions. The loosest match the thresholds above allow (70 % of a text 0.3 the
# size of the other) has Jaccard 0.7·0.3 / (1 + 0.3 - 0.7·0.3) = 0.19; with 128 permutations the estimate
# of a Jaccard of 0.19 falls below 0.05 with probability about 3e-5. Unrelated texts that share a band by
# chance agree on 2-5 of 128 positions: they stop here.
LIKELY_COPY = 0.05


@dataclass(frozen=True)
class Candidate:
    """A stored article that shares at least one LSH band with the new one."""

    article_id: int
    body: str


@dataclass(frozen=True)
class Match:
    """A stored article the new one copies, and how closely."""

    article_id: int
    status: Status
    similarity: float


def identify(body: str) -> Identity:
    norm = fingerprint_text(body)
    sig = fingerprint.signature(norm)
    return Identity(norm, hash_of(norm), sig, fingerprint.band_keys(sig) if len(norm) >= MIN_CHARS else [])


def likely_copies(identity: Identity, candidates: list[tuple[int, bytes | None]]) -> list[int]:
    """The candidates (id, stored sketch: fingerprint.sketch) worth an exact comparison, in their order; one
    without a stored sketch always is."""
    if len(identity.norm) < MIN_CHARS:
        return []
    return [i for i, stored in candidates
            if stored is None or fingerprint.sketch_jaccard(identity.signature, stored) >= LIKELY_COPY]


def near_duplicate(identity: Identity, candidates: list[Candidate]) -> Match | None:
    """The candidate the new text copies, best first; None when no candidate is close enough."""
    if len(identity.norm) < MIN_CHARS:
        return None
    best: Match | None = None
    for cand in candidates:
        other = fingerprint_text(cand.body)
        if other == identity.norm:  # identical text (seen here when a racing writer committed first)
            return Match(cand.article_id, Status.DUPLICATE, 1.0)
        if len(other) < MIN_CHARS:
            continue
        jaccard, new_in_old, old_in_new = fingerprint.overlap(identity.norm, other)
        ratio = min(len(identity.norm), len(other)) / max(len(identity.norm), len(other))
        contained = max(new_in_old, old_in_new) >= CONTAINMENT_NEAR and ratio >= MIN_SIZE_RATIO
        if jaccard >= JACCARD_NEAR or contained:
            score = max(jaccard, min(new_in_old, old_in_new) if not contained else max(new_in_old, old_in_new))
            if best is None or score > best.similarity:
                best = Match(cand.article_id, Status.NEAR_DUPLICATE, round(score, 4))
    return best


# -- story clusters: different reports of the same event -------------------------------------------

# Two reports are the same event when they were published within CLUSTER_HOURS of each other, share their
# salient entities (weighted: a company or person counts fully, a place a little), and their headlines or
# distinctive tokens (model names, figures: "QwQ-32B", "910C", "5%") overlap. A same-topic report on a
# different event (another DeepSeek release, Huawei's phones rather than its chips) shares entities but
# neither headline words nor distinctive tokens.
CLUSTER_HOURS = 72
SALIENT = 0.15  # weighted salience below which an entity is a passing mention, not what the report is about
ENTITY_OVERLAP = 0.6  # weighted overlap coefficient of the salient entities
TITLE_OVERLAP = 0.15  # character-bigram Jaccard of the folded headlines
TERM_OVERLAP = 0.25  # Jaccard of distinctive tokens in headline and lead
TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%-]*")
GENERIC_TERMS = frozenset({"ai", "it", "ceo", "cto", "gpu", "cpu", "npu", "llm", "ict", "sw", "hw", "app", "api",
                           "the", "and", "of", "co", "ltd", "inc", "vs"})


@dataclass(frozen=True)
class EventFeatures:
    """What decides whether two reports are about the same event."""

    story_id: int
    published: datetime | None
    entities: dict[str, float]  # entity id -> weight × salience
    title: str  # folded, letters and digits only
    terms: frozenset[str]


def event_features(story_id: int, title: str, body: str, published: datetime | None,
                   entities: dict[str, float]) -> EventFeatures:
    folded_title, terms = _text_features(title, body[:600])
    salient = {k: v for k, v in entities.items() if v >= SALIENT}
    return EventFeatures(story_id, published, salient, folded_title, terms)


@lru_cache(maxsize=4096)  # the store's recent reports come back as candidates for every new report on their entities
def _text_features(title: str, lead: str) -> tuple[str, frozenset[str]]:
    """The folded title and the distinctive terms of the title and lead."""
    terms = frozenset(term for t in TERM.findall(f"{title} {lead}") if _distinctive(term := t.lower().strip(".-")))
    return word_chars(fold(title)), terms


def _distinctive(term: str) -> bool:
    """Model names, product codes and figures ("qwq-32b", "910c", "5%"), not counters or generic words."""
    if term in GENERIC_TERMS or len(term) < 2:
        return False
    return any(c.isalpha() for c in term) or "%" in term or sum(c.isdigit() for c in term) >= 3


def same_event(new: EventFeatures, candidates: list[EventFeatures]) -> int | None:
    """The story the new report belongs to, or None for a story of its own."""
    best: tuple[float, int] | None = None
    for cand in candidates:
        if new.published and cand.published and abs(new.published - cand.published) > timedelta(hours=CLUSTER_HOURS):
            continue
        entities = _weighted_overlap(new.entities, cand.entities)
        if entities < ENTITY_OVERLAP:
            continue
        title = _bigram_jaccard(new.title, cand.title)
        terms = len(new.terms & cand.terms) / len(new.terms | cand.terms) if new.terms and cand.terms else 0.0
        if title >= TITLE_OVERLAP or terms >= TERM_OVERLAP:
            score = entities + title + terms
            if best is None or score > best[0]:
                best = (score, cand.story_id)
    return best[1] if best else None


def _weighted_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Shared weight over the smaller side's weight: a short report naming only the key players still matches."""
    smaller = min(sum(a.values()), sum(b.values()))
    return sum(min(a[k], b[k]) for k in a.keys() & b.keys()) / smaller if smaller else 0.0


def _bigram_jaccard(a: str, b: str) -> float:
    x, y = {a[i:i + 2] for i in range(len(a) - 1)}, {b[i:i + 2] for i in range(len(b) - 1)}
    return len(x & y) / len(x | y) if x and y else 0.0
