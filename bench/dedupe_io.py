"""Where a dedupe look-up's time goes on a kept archive: cold and warm reads of the band index and signatures.

Usage: .venv/bin/python bench/dedupe_io.py PATH/bench.db [--size 1000000] [--probes 150]

Build the archive first with `bench/dedupe.py --sizes 1000000 --backends sqlite --keep --cache DIR`, then
point this at the kept file. For fresh probe articles (bench/corpus.py, as dedupe.py makes them) it times,
per probe, three queries separately: the raw band rows of its 64 keys, the grouped top-20 candidates, and
the candidates' signatures. It runs the probes twice: the first pass reads pages that are likely not in
memory yet, the second the same pages again. It prints the medians and the rows and candidates per probe.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import Corpus  # noqa: E402

from sinowatch import dedupe  # noqa: E402
from sinowatch.store.db import SQLITE_CACHE_KB  # noqa: E402


def timed(con: sqlite3.Connection, sql: str, params: list[int]) -> tuple[float, list[tuple]]:
    start = time.perf_counter()
    rows = con.execute(sql, params).fetchall()
    return (time.perf_counter() - start) * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="a SQLite archive kept by bench/dedupe.py --keep")
    parser.add_argument("--size", type=int, default=1_000_000, help="the archive's size (the probes' era)")
    parser.add_argument("--probes", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    con = sqlite3.connect(f"file:{args.path}?mode=ro", uri=True)
    con.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KB}")
    corpus = Corpus(args.seed, 0.10)
    probes = [dedupe.identify(corpus.probe_fresh(k, args.size).body).bands for k in range(1000, 1000 + args.probes)]
    for label in ("first pass (pages likely not in memory)", "second pass (the same pages again)"):
        rows_ms, grouped_ms, signatures_ms, rows_n, ids_n = [], [], [], [], []
        for keys in probes:
            marks = ",".join("?" * len(keys))
            t1, rows = timed(con, f"SELECT article_id FROM lsh_bands WHERE key IN ({marks})", keys)
            t2, top = timed(con, f"SELECT article_id, count(*) AS n FROM lsh_bands WHERE key IN ({marks}) "
                                 "GROUP BY article_id ORDER BY n DESC, article_id LIMIT 20", keys)
            ids = [i for i, _ in top]
            t3 = timed(con, f"SELECT id, signature FROM articles WHERE id IN ({','.join('?' * len(ids))})",
                       ids)[0] if ids else 0.0
            rows_ms.append(t1)
            grouped_ms.append(t2)
            signatures_ms.append(t3)
            rows_n.append(len(rows))
            ids_n.append(len(ids))
        print(f"{label}: band rows {statistics.median(rows_ms):.2f} ms, grouped top 20 "
              f"{statistics.median(grouped_ms):.2f} ms, signatures {statistics.median(signatures_ms):.2f} ms "
              f"(medians); {statistics.fmean(rows_n):.1f} band rows and {statistics.fmean(ids_n):.1f} candidates "
              f"per probe")


if __name__ == "__main__":
    main()
