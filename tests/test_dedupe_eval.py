"""Duplicate and story-cluster precision and recall on the labelled cases in tests/data/dedupe/ (real import)."""

from __future__ import annotations

import tomllib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import pytest
from sqlalchemy import select

from sinowatch.config.settings import settings_from_dict
from sinowatch.pipeline import Context, import_paths
from sinowatch.store import schema as t
from sinowatch.dedupe import LIKELY_COPY, identify
from sinowatch.text.fingerprint import estimate_jaccard, overlap, sketch, sketch_jaccard
from sinowatch.text.normalize import fingerprint_text

DATA = Path(__file__).parent / "data" / "dedupe"
MANIFEST = DATA / "cases.toml"

KINDS = {"syndicated", "light_edit", "reworded_title", "hanja_variant", "truncated", "expanded", "quoted_paragraph",
         "same_event", "same_topic", "unrelated"}
COPY_KINDS = {"syndicated", "light_edit", "reworded_title", "hanja_variant", "truncated", "expanded"}
# What the set must hold at least (the tracker's issue 4): copies, truncations, quotes, same-event, same-topic.
MINIMUM = {"copies": 12, "truncated": 4, "quoted_paragraph": 3, "same_event": 8, "same_topic": 8, "all": 40}

DUPLICATE_PRECISION = 0.99
DUPLICATE_RECALL = 0.95
# Story clusters beyond duplicates (same-event reports by different outlets) are being built now (issue 4):
# the figures are printed but not enforced. Flip to True when the clustering lands.
CLUSTER_GATE = True  # same-event clustering is built: precision >= 0.95, recall >= 0.9 (see dedupe.py)
CLUSTER_PRECISION = 0.95
CLUSTER_RECALL = 0.90

DUPLICATE_STATUSES = {"duplicate", "near_duplicate"}


@dataclass(frozen=True)
class Doc:
    """One labelled article: an original or a case."""

    file: str
    kind: str  # "original" or one of KINDS
    title: str
    published: str
    outlet: str
    cluster: str
    duplicate_of: str | None = None

    @property
    def root(self) -> str:
        """The original this text is a copy of, or the text itself."""
        return self.duplicate_of or self.file


@dataclass(frozen=True)
class Outcome:
    """What the pipeline made of one document."""

    doc: Doc
    article_id: int
    status: str
    duplicate_of: int | None  # article id
    story_id: int
    title: str | None
    published: str | None
    similarity: float | None
    body: str


def load_manifest() -> list[Doc]:
    data = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))
    docs = [Doc(o["file"], "original", o["title"], o["published"], o["outlet"], o["cluster"]) for o in data["original"]]
    docs += [Doc(c["file"], c["kind"], c["title"], c["published"], c["outlet"], c["cluster"], c.get("duplicate_of"))
             for c in data["case"]]
    return docs


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[Outcome]:
    """Every original, then every case, imported in manifest order into a fresh SQLite store."""
    docs = load_manifest()
    db = tmp_path_factory.mktemp("dedupe-eval") / "eval.db"
    settings = settings_from_dict({"database_url": f"sqlite:///{db}"}, None, {})
    ctx = Context.open(settings)
    try:
        results = list(import_paths(ctx, [DATA / d.file for d in docs]))
        errors = [f"{r.path}: {r.error}" for r in results if r.status == "error"]
        assert not errors, "\n".join(errors)
        assert len(results) == len(docs)
        a = t.articles.c
        with ctx.store.read() as conn:
            rows = {r.id: r for r in conn.execute(select(a.id, a.story_id, a.similarity, a.body))}
    finally:
        ctx.close()
    outs = []
    for doc, r in zip(docs, results, strict=True):
        assert r.article_id is not None, doc.file
        row = rows[r.article_id]
        outs.append(Outcome(doc, r.article_id, r.status, r.duplicate_of, int(row.story_id), r.title, r.published,
                            row.similarity, row.body))
    return outs


# -- the figures --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Score:
    """Precision and recall from counts; an empty prediction or truth counts as perfect."""

    true_positives: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.actual if self.actual else 1.0

    def __str__(self) -> str:
        return (f"precision {self.precision:.3f} ({self.true_positives}/{self.predicted})  "
                f"recall {self.recall:.3f} ({self.true_positives}/{self.actual})")


def copied(o: Outcome, by_id: dict[int, Outcome]) -> Outcome | None:
    """The stored article the pipeline says this one copies, if it says so."""
    if o.status not in DUPLICATE_STATUSES or o.duplicate_of is None:
        return None
    return by_id.get(o.duplicate_of)


def decided_right(o: Outcome, by_id: dict[int, Outcome]) -> bool:
    """A copy must point at its labelled original or at another copy of it; anything else must not be a copy."""
    target = copied(o, by_id)
    if o.doc.duplicate_of is None:
        return target is None
    return target is not None and target.doc.root == o.doc.duplicate_of


def duplicate_score(outs: list[Outcome]) -> tuple[Score, list[Outcome]]:
    """Duplicate precision and recall, and every article decided against its label."""
    by_id = {o.article_id: o for o in outs}
    tp = sum(o.doc.duplicate_of is not None and decided_right(o, by_id) for o in outs)
    predicted = sum(copied(o, by_id) is not None for o in outs)
    actual = sum(o.doc.duplicate_of is not None for o in outs)
    return Score(tp, predicted, actual), [o for o in outs if not decided_right(o, by_id)]


def cluster_score(outs: list[Outcome]) -> tuple[Score, list[tuple[Outcome, Outcome]], list[tuple[Outcome, Outcome]]]:
    """Pairwise: two articles predicted together share a story_id; truly together share a cluster label."""
    tp = predicted = actual = 0
    missed, merged = [], []
    for x, y in combinations(outs, 2):
        same_story, same_cluster = x.story_id == y.story_id, x.doc.cluster == y.doc.cluster
        predicted += same_story
        actual += same_cluster
        tp += same_story and same_cluster
        if same_cluster and not same_story:
            missed.append((x, y))
        elif same_story and not same_cluster:
            merged.append((x, y))
    return Score(tp, predicted, actual), missed, merged


def similarity(a: Outcome, b: Outcome) -> str:
    """Exact shingle Jaccard and containment of a's folded body in b's (and b's in a's), and the size ratio."""
    na, nb = fingerprint_text(a.body), fingerprint_text(b.body)
    jaccard, a_in_b, b_in_a = overlap(na, nb)
    ratio = min(len(na), len(nb)) / max(len(na), len(nb)) if na and nb else 0.0
    return f"J={jaccard:.3f} case-in-other={a_in_b:.3f} other-in-case={b_in_a:.3f} size={ratio:.2f}"


def nearest_wrong(o: Outcome, outs: list[Outcome]) -> Outcome | None:
    """The most similar stored article that is not the case's own story (by the larger of Jaccard and containment)."""
    norm = fingerprint_text(o.body)
    best, best_score = None, -1.0
    for other in outs:
        if other is o or other.doc.root == o.doc.root:
            continue
        score = max(overlap(norm, fingerprint_text(other.body)))
        if score > best_score:
            best, best_score = other, score
    return best


def describe(o: Outcome, outs: list[Outcome]) -> Iterator[str]:
    by_file = {x.doc.file: x for x in outs}
    by_id = {x.article_id: x for x in outs}
    got = o.status + (f" of {by_id[o.duplicate_of].doc.file}" if o.duplicate_of in by_id else "")
    want = f"duplicate of {o.doc.duplicate_of}" if o.doc.duplicate_of else "not a duplicate"
    yield f"  {o.doc.file} [{o.doc.kind}] expected {want}; got {got} (similarity {o.similarity})"
    if o.doc.duplicate_of in by_file:
        yield f"      vs labelled original: {similarity(o, by_file[o.doc.duplicate_of])}"
    target = by_id.get(o.duplicate_of) if o.duplicate_of else None
    wrong = target if target is not None and target.doc.root != o.doc.root else nearest_wrong(o, outs)
    if wrong is not None:
        yield f"      vs nearest wrong {wrong.doc.file}: {similarity(o, wrong)}"


def report(outs: list[Outcome]) -> str:
    dup, wrong = duplicate_score(outs)
    clusters, missed, merged = cluster_score(outs)
    lines = [f"dedupe eval over {len(outs)} articles ({sum(o.doc.kind != 'original' for o in outs)} cases)",
             f"duplicates: {dup}", f"clusters (pairwise): {clusters}"]
    if wrong:
        lines.append("duplicate decisions that disagree with the labels:")
        for o in wrong:
            lines += describe(o, outs)
    by_id = {o.article_id: o for o in outs}
    by_kind = Counter(o.doc.kind for o in outs)
    right_by_kind = Counter(o.doc.kind for o in outs if decided_right(o, by_id))
    lines.append("duplicate decisions right, by kind: "
                 + ", ".join(f"{k} {right_by_kind[k]}/{n}" for k, n in sorted(by_kind.items())))
    if missed:
        lines.append(f"same-cluster pairs split into different stories: {len(missed)}")
        for x, y in missed:
            lines.append(f"  {x.doc.cluster}: {x.doc.file} | {y.doc.file}")
    if merged:
        lines.append(f"pairs from different clusters put in one story: {len(merged)}")
        for x, y in merged:
            lines.append(f"  {x.doc.file} ({x.doc.cluster}) | {y.doc.file} ({y.doc.cluster})")
    return "\n".join(lines)


# -- the tests ----------------------------------------------------------------------------------------------

def test_manifest_is_well_formed() -> None:
    docs = load_manifest()
    files = [d.file for d in docs]
    assert len(files) == len(set(files)), "a file is listed twice"
    originals = {d.file: d for d in docs if d.kind == "original"}
    cases = [d for d in docs if d.kind != "original"]
    for d in docs:
        assert (DATA / d.file).is_file(), d.file
        assert d.kind == "original" or d.kind in KINDS, (d.file, d.kind)
        assert d.published[10] == "T" and d.published[-6] in "+-", (d.file, d.published)
    for d in cases:
        if d.kind in COPY_KINDS:
            assert d.duplicate_of in originals, (d.file, d.duplicate_of)
            assert d.cluster == originals[d.duplicate_of].cluster, d.file
        else:
            assert d.duplicate_of is None, d.file
    kinds = Counter(d.kind for d in cases)
    counts = {"copies": sum(kinds[k] for k in COPY_KINDS - {"truncated"}), "all": len(cases),
              **{k: kinds[k] for k in ("truncated", "quoted_paragraph", "same_event", "same_topic")}}
    assert all(counts[k] >= n for k, n in MINIMUM.items()), counts
    same_event = {d.cluster for d in cases if d.kind == "same_event"}
    assert same_event <= {o.cluster for o in originals.values()}, "a same-event report names no original's event"
    others = [d for d in cases if d.kind in ("same_topic", "unrelated")]
    assert not {d.cluster for d in others} & {d.cluster for d in docs if d not in others}


def test_duplicate_precision_and_recall(outcomes: list[Outcome]) -> None:
    text = report(outcomes)
    print("\n" + text)
    score, _ = duplicate_score(outcomes)
    assert score.precision >= DUPLICATE_PRECISION and score.recall >= DUPLICATE_RECALL, text


def test_cluster_precision_and_recall(outcomes: list[Outcome]) -> None:
    score, _, _ = cluster_score(outcomes)
    print(f"\nclusters (pairwise): {score}  [gate {'on' if CLUSTER_GATE else 'off'}: "
          f"precision >= {CLUSTER_PRECISION}, recall >= {CLUSTER_RECALL}]")
    if CLUSTER_GATE:
        assert score.precision >= CLUSTER_PRECISION and score.recall >= CLUSTER_RECALL, report(outcomes)


def test_sketches_judge_candidates_as_full_signatures_do(outcomes: list[Outcome]) -> None:
    """The look-up drops unlikely candidates on their stored 8-bit sketch, not the full signature: over every
    pair of the labelled set the two estimates agree within 0.05, every copy passes, and articles of
    different stories that the full signature puts clearly below the bar (under 0.03) stay below it."""
    idents = {o.doc.file: identify(o.body) for o in outcomes}
    worst = 0.0
    for a, b in combinations(outcomes, 2):
        sig_a, sig_b = idents[a.doc.file].signature, idents[b.doc.file].signature
        full = estimate_jaccard(sig_a, sig_b)
        estimate = sketch_jaccard(sig_a, sketch(sig_b))
        worst = max(worst, abs(full - estimate))
        if b.doc.duplicate_of == a.doc.file or a.doc.duplicate_of == b.doc.file:
            assert estimate >= LIKELY_COPY, (a.doc.file, b.doc.file, estimate)
        elif a.doc.cluster != b.doc.cluster and full < 0.03:
            assert estimate < LIKELY_COPY, (a.doc.file, b.doc.file, estimate, full)
    assert worst <= 0.05
