"""Extraction bench: sinowatch's generic extractor and trafilatura, side by side, on the same golden pages.

Usage: .venv/bin/python bench/extract.py [--repeat N] [--modes default,precision,recall,fast] [--pages]

Pages: both golden sets, tests/data/extract (hand-built outlet layouts, several EUC-KR) and
tests/data/extract_demo (the bundled demo site's 32 articles), and tests/data/extract_blind (pages written by
someone who had not read the extractor; truths to the minute, so a date within a minute counts). Each page is
decoded once with sinowatch.fetch.decode.decode_html (as the fetcher would) and both extractors get the same text
and URL.
sinowatch runs with the page's time zone and no per-source rules; trafilatura runs `bare_extraction`
with metadata and without comments, in each of the --modes (default; favor_precision; favor_recall;
fast = no fallback extractors).

For each extractor and set it prints: body token F1 (tokens as in tests/test_extract.py, mean and median),
title accuracy (exact match after whitespace folding), date accuracy (published equal as an instant, to the minute;
trafilatura reports only a day, YYYY-MM-DD, so its date counts as correct when that day is the published
day in the page's own offset), and the median over pages of the median time of one extraction call, as
wall-clock time and as the thread's CPU time (which other processes' load does not inflate)
(--repeat timed calls per page after one warm-up call; only the call is timed; both extractors' per-text
memo caches are emptied before each timed call, so a repeat is not served from the last one; the process is
pinned to one core). The speed ratios are trafilatura's median ms over sinowatch's, wall and CPU.

Offline: nothing here fetches; socket connections are refused for the whole run so that no library can.
trafilatura is a dev-only dependency of this bench; no test imports it.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import re
import socket
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the golden sets' loaders and the F1 live in tests/

from tests.test_extract import CASES as GOLDEN_CASES  # noqa: E402
from tests.test_extract import Case, token_f1  # noqa: E402
from tests.test_extract_demo import CASES as DEMO_CASES  # noqa: E402
from tests.test_extract_blind import CASES as BLIND_CASES  # noqa: E402
from tests.test_extract_blind import DATA as BLIND  # noqa: E402
from tests.test_extract_demo import DemoCase  # noqa: E402

from sinowatch import native  # noqa: E402
from sinowatch.fetch.decode import decode_html  # noqa: E402
from sinowatch.parse.article import extract  # noqa: E402
from sinowatch.parse.dom import class_words  # noqa: E402
from sinowatch.text.boilerplate import is_boilerplate  # noqa: E402

MODES: dict[str, dict[str, Any]] = {
    "default": {},
    "precision": {"favor_precision": True},
    "recall": {"favor_recall": True},
    "fast": {"fast": True},
}


@dataclass(frozen=True)
class Page:
    """One page as both extractors see it, with its truth."""

    set_name: str
    name: str
    text: str
    url: str
    timezone: str
    encoding: str
    title: str
    published: str | None
    body: str


@dataclass
class Outcome:
    f1: float
    title_ok: bool
    date_ok: bool
    ms: float
    cpu_ms: float


@dataclass
class Extractor:
    label: str
    run: Callable[[Page], tuple[str, str | None, str | None]]  # body, title, published (ISO or YYYY-MM-DD)
    day_only: bool = False
    results: dict[tuple[str, str], Outcome] = field(default_factory=dict)


def load_pages() -> list[Page]:
    pages = []
    for name in GOLDEN_CASES:
        case = Case.load(name)
        text, codec = decode_html(case.body, case.headers.get("content_type"))
        pages.append(Page("golden", name, text, case.headers.get("url", f"https://example.com/{name}"),
                          case.headers.get("timezone", "Asia/Seoul"), codec, case.expected["title"],
                          case.expected.get("published"), "\n".join(case.expected["paragraphs"])))
    for name in BLIND_CASES:
        folder = BLIND / name
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        truth = json.loads((folder / "expected.json").read_text("utf-8"))
        text, codec = decode_html((folder / "page.html").read_bytes(), meta["content_type"])
        pages.append(Page("blind", name, text, meta["url"], meta.get("timezone", "Asia/Seoul"), codec, truth["title"],
                          truth["published"], "\n".join(truth["body_paragraphs"])))
    for name in DEMO_CASES:
        demo = DemoCase.load(name)
        text, codec = demo.decoded()
        pages.append(Page("demo", name, text, demo.expected["url"], demo.expected["timezone"], codec,
                          demo.expected["title"], demo.expected.get("published"), demo.paragraphs_text))
    return pages


def sinowatch_run(page: Page) -> tuple[str, str | None, str | None]:
    found = extract(page.text, page.url, timezone=page.timezone, encoding=page.encoding)
    return found.body, found.title, found.published.isoformat() if found.published else None


def trafilatura_runner(options: dict[str, Any]) -> Callable[[Page], tuple[str, str | None, str | None]]:
    import trafilatura

    def run(page: Page) -> tuple[str, str | None, str | None]:
        doc = trafilatura.bare_extraction(page.text, url=page.url, with_metadata=True, include_comments=False,
                                          **options)
        if doc is None:
            return "", None, None
        if isinstance(doc, dict):
            return doc.get("text") or "", doc.get("title"), doc.get("date")
        return doc.text or "", doc.title, doc.date

    return run


def fold(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def date_ok(want: str | None, got: str | None, day_only: bool) -> bool:
    if want is None or got is None:
        return want is None and got is None
    expected = datetime.fromisoformat(want)
    if day_only and len(got) == 10:
        return got == expected.date().isoformat()
    try:
        return abs((datetime.fromisoformat(got) - expected).total_seconds()) < 60  # blind truths are to the minute
    except ValueError:
        return False


def forget() -> None:
    """Empty both extractors' memo caches before a timed call: a page seen a moment ago would otherwise
    answer from them (sinowatch remembers its boilerplate-line verdicts and the words of class names,
    trafilatura several things), which a real run, where every page is new, never gets."""
    is_boilerplate.cache_clear()
    class_words.cache_clear()
    try:  # trafilatura's per-text memos; its stoplists and compiled resources stay loaded, as in a real run
        from trafilatura import meta
    except ImportError:
        return
    for memo in (meta.line_processing, meta.trim, meta.return_printables_and_spaces):
        memo.cache_clear()
    meta.reset_caches_htmldate()
    meta.reset_caches_courlan()


def time_call(fn: Callable[[Page], Any], page: Page, repeat: int) -> tuple[Any, float, float]:
    """The result of one warm-up call, and the median wall-clock ms and median CPU ms (this thread's) of
    `repeat` timed calls, each on empty caches. CPU time leaves out time this thread waited while other
    processes ran (a hypervisor's steal time may still count in it); both extractors run on this one thread."""
    result = fn(page)
    times, cpu = [], []
    for _ in range(repeat):
        forget()
        start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
        fn(page)
        cpu.append(time.thread_time_ns() - start_cpu)
        times.append(time.perf_counter_ns() - start)
    return result, statistics.median(times) / 1e6, statistics.median(cpu) / 1e6


def block_network() -> None:
    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise OSError("bench/extract.py runs offline: network access refused")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign]
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]


def pin_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity here)"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"pinned to core {core}"


def summary(ext: Extractor, keys: list[tuple[str, str]]) -> dict[str, float]:
    outs = [ext.results[k] for k in keys]
    f1s = [o.f1 for o in outs]
    return {
        "f1_mean": statistics.fmean(f1s), "f1_median": statistics.median(f1s),
        "title": sum(o.title_ok for o in outs) / len(outs), "date": sum(o.date_ok for o in outs) / len(outs),
        "ms": statistics.median(o.ms for o in outs), "cpu": statistics.median(o.cpu_ms for o in outs),
        "n": len(outs),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed calls per page and extractor (default 7)")
    parser.add_argument("--modes", default="default,precision",
                        help=f"trafilatura modes, comma-separated: {', '.join(MODES)} (default: default,precision)")
    parser.add_argument("--pages", action="store_true", help="also print each page's body F1 per extractor")
    args = parser.parse_args()
    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        parser.error(f"unknown trafilatura mode(s): {', '.join(unknown)}")

    block_network()
    pinned = pin_one_core()
    for noisy in ("trafilatura", "htmldate", "courlan", "justext", "readability", "sinowatch"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    try:
        import trafilatura
    except ImportError:
        sys.exit("error: trafilatura is not installed\n"
                 "hint: a dev dependency of this bench: .venv/bin/pip install -e '.[dev]' (or pip install trafilatura)")

    pages = load_pages()
    extractors = [Extractor("sinowatch", sinowatch_run)]
    extractors += [Extractor(f"trafilatura {trafilatura.__version__} {m}", trafilatura_runner(MODES[m]), day_only=True)
                   for m in modes]
    gc.collect()
    for page in pages:  # page by page, every extractor in turn, so drift in the machine hits all alike
        for ext in extractors:
            (body, title, published), ms, cpu_ms = time_call(ext.run, page, args.repeat)
            ext.results[(page.set_name, page.name)] = Outcome(
                token_f1(page.body, body), fold(title) == fold(page.title),
                date_ok(page.published, published, ext.day_only), ms, cpu_ms)

    sets = {"golden (tests/data/extract)": [(p.set_name, p.name) for p in pages if p.set_name == "golden"],
            "demo (tests/data/extract_demo)": [(p.set_name, p.name) for p in pages if p.set_name == "demo"],
            "blind (tests/data/extract_blind)": [(p.set_name, p.name) for p in pages if p.set_name == "blind"],
            "all pages": [(p.set_name, p.name) for p in pages]}
    print(f"extraction bench: {len(pages)} pages, {args.repeat} timed calls per page after a warm-up, "
          f"{pinned}, network refused; Python {sys.version.split()[0]}; sinowatch {native.STATUS.describe()}")
    print("trafilatura: bare_extraction(text, url, with_metadata=True, include_comments=False, <mode>); "
          "its dates are days only (YYYY-MM-DD), so a right day counts as a right date (marked *)")
    width = max(len(e.label) for e in extractors)
    base = {name: summary(extractors[0], keys) for name, keys in sets.items()}
    for set_name, keys in sets.items():
        print(f"\n{set_name}: {len(keys)} pages")
        print(f"  {'extractor':<{width}}  F1 mean  F1 median  title   date    median ms/page (wall, CPU)  "
              "speed vs sinowatch (wall, CPU)")
        for ext in extractors:
            s = summary(ext, keys)
            star = "*" if ext.day_only else " "
            ratio = ("1.0× (reference)" if ext is extractors[0] else
                     f"sinowatch {s['ms'] / base[set_name]['ms']:.1f}×, {s['cpu'] / base[set_name]['cpu']:.1f}× faster")
            print(f"  {ext.label:<{width}}  {s['f1_mean']:.3f}    {s['f1_median']:.3f}     "
                  f"{s['title']:6.1%}  {s['date']:6.1%}{star} {s['ms']:8.2f} {s['cpu']:8.2f}          {ratio}")
    if args.pages:
        print("\nbody F1 per page: " + " | ".join(e.label for e in extractors))
        for page in pages:
            key = (page.set_name, page.name)
            scores = "  ".join(f"{e.results[key].f1:.3f}" for e in extractors)
            print(f"  {scores}  {page.set_name}/{page.name}")


if __name__ == "__main__":
    main()
