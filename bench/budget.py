"""The CPU budget behind bench/pipeline.py's ratio: what each step of the pipeline costs a bench page, next to
what plain httpx spends to fetch it, and what 50 % of the limit leaves for all of it.

Usage: .venv/bin/python bench/budget.py [--outlets 40] [--pages 400] [--cores N]

On the same generated site as bench/pipeline.py (its 200 × 50 cache is reused when there; `--outlets` picks how
many of its outlets the fetch part serves), all in this one process, CPU time (user + system):

- the limit's client: plain httpx fetching robots.txt, the feeds and every article of `--outlets` outlets as
  bench/pipeline.py's limit does (the site served by a separate process, whose CPU is not counted here);
- each step of sinowatch's path, on `--pages` of the site's pages: gzip, decoding, lexbor's parse alone, the
  whole extraction (parse included), tagging, relevance, fingerprinting, the feed parse per item, the
  round trip of a page to a worker and back (pickling), and the store (`store_articles` in batches of 50
  into a fresh SQLite file, as the fetch's writer does).

The budget: the limit makes R articles a second with one client process; sinowatch at half that rate, with
every core busy, may spend cores × 2 / R seconds of CPU an article, for everything. The table says which
steps any pipeline that reads a page must pay (fetch, decode, parse, store) and what that leaves.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import os
import pickle
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import pipeline  # noqa: E402  (bench/pipeline.py: the limit's client, the same code)
import sitegen  # noqa: E402


def cpu_per(items: Sequence[Any], work: Callable[[Any], object], repeat: int = 1) -> float:
    """CPU seconds per item of work(item), after one warm-up call."""
    work(items[0])
    start = time.process_time()
    for _ in range(repeat):
        for item in items:
            work(item)
    return (time.process_time() - start) / (len(items) * repeat)


def limit_client(site: sitegen.Site, outlets: int) -> tuple[float, float, int]:
    """(CPU s per request, wall s, requests) of plain httpx over the first `outlets` outlets."""
    chosen = site.outlets[:outlets]
    with sitegen.serve(site) as running:
        pages: dict[str, list[str]] = defaultdict(list)
        for p in site.pages:
            pages[p.outlet].append(running.page_url(site, p))
        spec = {"concurrency": pipeline.CONCURRENCY, "per_host": pipeline.PER_HOST,
                "robots": [b + "/robots.txt" for b in running.bases.values()],
                "outlets": [(running.feed_url(site, o.slug), pages[o.slug]) for o in chosen]}
        asyncio.run(pipeline._limit(spec))  # warm: connections, imports
        cpu, wall = time.process_time(), time.perf_counter()
        totals = asyncio.run(pipeline._limit(spec))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    return cpu / totals["requests"], wall, totals["requests"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outlets", type=int, default=40, help="outlets the limit's client fetches (of 200)")
    parser.add_argument("--pages", type=int, default=400, help="pages each step is timed on")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()

    from sinowatch import dedupe, relevance
    from sinowatch.config import RelevanceSettings, Settings
    from sinowatch.entities import Matcher, load_gazetteer
    from sinowatch.fetch.decode import decode_html
    from sinowatch.models import FeedItem, SourceConfig, SourceKind
    from sinowatch.native import STATUS
    from sinowatch.parse.article import extract
    from sinowatch.parse.feed import parse_feed
    from sinowatch.pipeline.core import Context, EventMemo, store_articles
    from sinowatch.pipeline.work import page_article
    from sinowatch.resources import settle_heap
    from sinowatch.store import Store
    from selectolax.lexbor import LexborHTMLParser

    site = sitegen.generate(200, 50, 1)
    print(f"site: {site.root}; sinowatch {STATUS.describe()}; {args.cores} cores", flush=True)
    per_request, wall, requests = limit_client(site, args.outlets)
    rate = requests / wall
    print(f"limit: plain httpx, {requests} requests in {wall:.2f} s ({rate:.0f}/s), "
          f"{per_request * 1e3:.3f} ms of client CPU a request", flush=True)

    gazetteer = load_gazetteer([])
    matcher, rules = Matcher(gazetteer), RelevanceSettings()
    settle_heap()  # as the workers do
    # Whole outlets, in order, as a fetch meets them: an outlet's first page finds the memo caches (class words,
    # dates) cold and its later pages warm; each page is extracted for the first time in the timed pass.
    every = [o.slug for o in site.outlets]
    wanted = max(1, -(-args.pages // (len(site.pages) // len(every))))  # outlets that hold --pages pages
    chosen = set(every[::max(1, len(every) // wanted)][:wanted])
    sample = [p for p in site.pages if p.outlet in chosen][:args.pages]
    zipped = [(site.root / p.file).read_bytes() for p in sample]
    kinds = [f"text/html; charset={site.outlet(p.outlet).encoding}" for p in sample]
    raw = [gzip.decompress(z) for z in zipped]
    decoded = [decode_html(b, k, None) for b, k in zip(raw, kinds)]
    start = time.process_time()
    pages = [extract(text, f"http://bench.test/{i}", encoding=enc) for i, (text, enc) in enumerate(decoded)]
    extraction = (time.process_time() - start) / len(pages)
    source = SourceConfig(name="bench", url="http://bench.test/feed", kind=SourceKind.FEED)
    item = FeedItem(url="http://bench.test/a", title="t")
    analysed = [page_article(matcher, rules, b, k, f"http://bench.test/{i}", source, item)
                for i, (b, k) in enumerate(zip(raw, kinds))]
    feeds = [(site.root / "feeds" / name).read_text("utf-8", "replace")
             for name in sorted(os.listdir(site.root / "feeds"))[:20]]
    items_per_feed = sum(len(parse_feed(f, "http://bench.test/feed")) for f in feeds) / len(feeds)
    idx = list(range(len(sample)))

    steps: list[tuple[str, float, bool]] = []  # (step, CPU s per article, paid by any pipeline that reads pages)

    def step(name: str, seconds: float, floor: bool) -> None:
        steps.append((name, seconds, floor))
        print(f"  {name:48s} {seconds * 1e3:7.3f} ms", flush=True)

    print(f"per article ({len(sample)} pages, median {sorted(map(len, raw))[len(raw) // 2] / 1000:.0f} KB):")
    step("fetch: plain httpx's client (gzip included)", per_request, True)
    step("  of which gzip", cpu_per(zipped, gzip.decompress), True)
    step("decode (charset)", cpu_per(idx, lambda i: decode_html(raw[i], kinds[i], None)), True)
    step("lexbor parse alone", cpu_per(decoded, lambda d: LexborHTMLParser(d[0])), True)
    step("extraction, the parse included (first pass)", extraction, False)
    step("tagging", cpu_per(pages, lambda p: matcher.tag(p.body, p.title)), False)
    hits = [matcher.tag(p.body, p.title) for p in pages]
    step("relevance", cpu_per(idx, lambda i: relevance.score(pages[i].title or "", pages[i].body, hits[i], rules)),
         False)
    step("fingerprint (hash, MinHash, bands)", cpu_per(pages, lambda p: dedupe.identify(p.body)), False)
    step("feed parse (feedparser), per item", cpu_per(feeds, lambda f: parse_feed(f, "http://bench.test/feed"))
         / items_per_feed, False)
    step("to a worker and back (pickling both ways)",
         cpu_per(idx, lambda i: pickle.loads(pickle.dumps(raw[i]))) + cpu_per(analysed,
                                                                              lambda r: pickle.loads(pickle.dumps(r))),
         False)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/store.db"
        store = Store.open(url)
        ctx = Context(Settings(None, url, Path(tmp)), store, matcher, {e.id: e for e in gazetteer})
        memo = EventMemo()
        batch = [(a, ident, [a.url]) for a, ident in analysed]
        store_articles(store, batch[:20], ctx.weight, memo)
        start = time.process_time()
        for first in range(20, len(batch), 50):
            store_articles(store, batch[first:first + 50], ctx.weight, memo)
        step("store (SQLite, batches of 50)", (time.process_time() - start) / max(1, len(batch) - 20), True)
        store.close()

    budget = args.cores * 2 / rate
    floor = sum(s for name, s, paid in steps if paid and not name.startswith("  "))
    ours = sum(s for name, s, _ in steps if not name.startswith("  ")) - steps[3][1]  # the parse is in extraction
    print(f"\nbudget at 50 % of the limit ({rate:.0f} articles/s with one client process): {args.cores} cores × 2 / "
          f"{rate:.0f} = {budget * 1e3:.2f} ms of CPU an article, for everything")
    print(f"what any pipeline that parses and stores each page pays (fetch, decode, parse, store): "
          f"{floor * 1e3:.2f} ms ({floor / budget:.0%} of the budget), leaving {(budget - floor) * 1e3:.2f} ms")
    print(f"sinowatch's steps summed (one process, no event loop, no contention): {ours * 1e3:.2f} ms "
          f"({ours / budget:.1f}× the budget)")


if __name__ == "__main__":
    main()
