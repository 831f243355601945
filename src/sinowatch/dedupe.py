"""Identity of a story: exact (URL, text hash) and near-duplicate (MinHash candidates, confirmed by overlap)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sinowatch.models import Status
from sinowatch.text import fingerprint
from sinowatch.text.normalize import content_hash, fingerprint_text

# Confirmation thresholds on exact shingle sets (5-character shingles of the folded body).
# A syndicated copy with other chrome, a dropped sentence or switched Hanja keeps Jaccard well above 0.6;
# a truncated copy (the first half of a story) has low Jaccard but lies almost wholly inside the original.
# A new article quoting one paragraph of an old one contains the old text only in small part, so the
# containment rule also asks that the smaller text be at least MIN_SIZE_RATIO of the larger one.
JACCARD_NEAR = 0.6
CONTAINMENT_NEAR = 0.85
MIN_SIZE_RATIO = 0.3
MIN_CHARS = 80  # below this a body is too short to call anything a copy of it


@dataclass(frozen=True)
class Identity:
    """What identifies one article's text: its exact hash, MinHash signature and LSH band keys."""

    norm: str
    content_hash: str
    signature: np.ndarray
    bands: list[int]


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
    return Identity(norm, content_hash(body), sig, fingerprint.band_keys(sig) if len(norm) >= MIN_CHARS else [])


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
