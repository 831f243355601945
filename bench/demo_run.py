"""Times the whole pipeline over the bundled sample site: fetch, extract, dedupe, tag, store, digest.

Usage: .venv/bin/python bench/demo_run.py [--rounds N]

Each round serves the sample site on loopback and fetches it into a fresh SQLite file; a second pass over
the same store measures the nothing-new rerun. Prints wall time, articles per second, CPU seconds per
article and peak RSS. A small first figure; bench/pipeline.py (issue 8) is the full-scale one.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from sinowatch.config import load_settings
from sinowatch.pipeline.demo_run import run_demo


def one_round(tmp: Path) -> tuple[float, float, int, float]:
    settings = load_settings(None, env={})
    settings = replace(settings, database_url=f"sqlite:///{tmp / 'bench.db'}")
    cpu0, t0 = time.process_time(), time.perf_counter()
    report = run_demo(settings, tmp / "out")
    first, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    stored = sum(r.new + r.duplicates + r.near_duplicates for r in report.reports)
    t1 = time.perf_counter()
    run_demo(settings, tmp / "out")
    return first, cpu, stored, time.perf_counter() - t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = []
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(one_round(Path(tmp)))
    wall = statistics.median(r[0] for r in results)
    cpu = statistics.median(r[1] for r in results)
    stored = results[0][2]
    rerun = statistics.median(r[3] for r in results)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"sample site: {stored} articles stored per round, {args.rounds} rounds (median)")
    print(f"first fetch      {wall:6.2f} s   {stored / wall:7.1f} articles/s   {cpu / max(stored, 1) * 1000:6.1f} ms CPU/article")
    print(f"nothing-new run  {rerun:6.2f} s")
    print(f"peak RSS         {peak_mb:6.0f} MB")


if __name__ == "__main__":
    main()
