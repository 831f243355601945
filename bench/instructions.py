"""Instructions per extracted page, or per stored article, counted by valgrind's callgrind: a figure that, unlike a
time, does not move with what else a shared or virtual machine is doing, for comparing two versions of the code.

Usage: .venv/bin/python bench/instructions.py [--extractor sinowatch|trafilatura] [--repeat 3] [--sets golden,demo]
       .venv/bin/python bench/instructions.py --store [--articles 300]

Runs this script under `valgrind --tool=callgrind` twice over the golden pages of bench/extract.py (after
one untimed pass that loads everything): once with no measured pass, once with --repeat passes, and prints the
difference per page. Memo caches are emptied before every call, as bench/extract.py does. Takes 2-4 minutes
for sinowatch, about 10 for trafilatura (valgrind runs code some 50× slower).

--store: the store's share of a fetch. The pages of a small generated site (bench/sitegen.py, 40 outlets × 10
articles, 10 % syndicated copies) are analysed once, outside valgrind; then, under it, a fresh SQLite file takes
20 of them (not counted: imports, statements' first use), then --articles more in batches of 50, as the fetch's
writer stores them (`pipeline.core.store_articles`, with the run's EventMemo and the entity weights); the run
with none stored is subtracted. About 3 minutes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _work(extractor: str, passes: int, sets: str) -> None:
    sys.path.insert(0, str(HERE))
    from extract import forget, load_pages, sinowatch_run, trafilatura_runner

    run = sinowatch_run if extractor == "sinowatch" else trafilatura_runner({})
    pages = [p for p in load_pages() if p.set_name in sets.split(",")]
    for _ in range(1 + passes):  # the first pass loads modules, compiles patterns, fills import caches
        for page in pages:
            forget()
            run(page)
    print(len(pages))


def _store_work(analysed: Path, count: int) -> None:
    import pickle

    from sinowatch.config import Settings
    from sinowatch.entities import Matcher, load_gazetteer
    from sinowatch.pipeline.core import Context, EventMemo, store_articles
    from sinowatch.store import Store

    articles = pickle.loads(analysed.read_bytes())
    gazetteer = load_gazetteer([])
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/store.db"
        store = Store.open(url)
        ctx = Context(Settings(None, url, Path(tmp)), store, Matcher(gazetteer), {e.id: e for e in gazetteer})
        memo = EventMemo()  # one per run, as the fetch's writer keeps
        store_articles(store, articles[:20], ctx.weight, memo)
        todo = articles[20:20 + count]
        for start in range(0, len(todo), 50):
            store_articles(store, todo[start:start + 50], ctx.weight, memo)
        store.close()
    print(len(todo))


def _analysed(path: Path, needed: int) -> None:
    """The generated site's pages, analysed as the fetch's workers would, pickled to `path`."""
    import gzip
    import pickle

    sys.path.insert(0, str(HERE))
    import sitegen

    from sinowatch.config import RelevanceSettings
    from sinowatch.entities import Matcher, load_gazetteer
    from sinowatch.models import FeedItem, SourceConfig, SourceKind
    from sinowatch.pipeline.work import page_article

    site = sitegen.generate(40, 10)
    if len(site.pages) < needed:
        raise SystemExit(f"error: the site has {len(site.pages)} pages, {needed} needed")
    matcher, rules, articles = Matcher(load_gazetteer([])), RelevanceSettings(), []
    for page in site.pages[:needed]:
        outlet = site.outlet(page.outlet)
        source = SourceConfig(name=outlet.slug, url=f"http://127.0.0.2/{outlet.slug}/", kind=SourceKind.FEED)
        url = f"http://127.0.0.2{page.path}"
        article, identity = page_article(matcher, rules, gzip.decompress((site.root / page.file).read_bytes()),
                                         "text/html", url, source, FeedItem(url=url, title=page.title))
        articles.append((article, identity, [url, url]))
    path.write_bytes(pickle.dumps(articles))


def _count(extractor: str, passes: int, out: Path, store: Path | None = None,
           sets: str = "golden,demo") -> tuple[int, int]:
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
               "--inner", str(passes), "--extractor", extractor, "--sets", sets]
    if store is not None:
        command += ["--analysed", str(store)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    pages = int(done.stdout.split()[-1])
    totals = re.search(r"^(?:summary|totals):\s*(\d+)", out.read_text(), re.M)
    if totals is None:
        raise SystemExit(f"error: no instruction total in {out}")
    return int(totals.group(1)), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extractor", choices=("sinowatch", "trafilatura"), default="sinowatch")
    parser.add_argument("--repeat", type=int, default=3, help="measured passes over the pages (default 3)")
    parser.add_argument("--store", action="store_true", help="count the store's instructions per article instead")
    parser.add_argument("--articles", type=int, default=300, help="articles stored in the measured run (--store)")
    parser.add_argument("--sets", default="golden,demo",
                        help="page sets of bench/extract.py to count over: golden, demo, blind (default golden,demo: "
                             "the 53 pages the README's figures were counted on)")
    parser.add_argument("--inner", type=int, default=None, help=argparse.SUPPRESS)  # the run under valgrind
    parser.add_argument("--analysed", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner is not None:
        if args.analysed is not None:
            _store_work(args.analysed, args.inner)
        else:
            _work(args.extractor, args.inner, args.sets)
        return
    if shutil.which("valgrind") is None:
        sys.exit("error: valgrind is not installed\nhint: apt-get install valgrind")
    if args.store:
        from sinowatch import native

        with tempfile.TemporaryDirectory() as tmp:
            analysed = Path(tmp) / "analysed.pickle"
            _analysed(analysed, 20 + args.articles)
            base, _ = _count("sinowatch", 0, Path(tmp) / "base.out", analysed)
            total, stored = _count("sinowatch", args.articles, Path(tmp) / "measured.out", analysed)
        print(f"store: {(total - base) / stored / 1e6:.2f} M instructions per stored article ({stored} articles into "
              f"a fresh SQLite file, callgrind; Python {sys.version.split()[0]}; sinowatch {native.STATUS.describe()})")
        return
    with tempfile.TemporaryDirectory() as tmp:
        base, pages = _count(args.extractor, 0, Path(tmp) / "base.out", sets=args.sets)
        total, _ = _count(args.extractor, args.repeat, Path(tmp) / "measured.out", sets=args.sets)
    per_page = (total - base) / args.repeat / pages
    from sinowatch import native

    build = f"; sinowatch {native.STATUS.describe()}" if args.extractor == "sinowatch" else ""
    print(f"{args.extractor}: {per_page / 1e6:.2f} M instructions per page "
          f"({pages} pages × {args.repeat} passes, callgrind; Python {sys.version.split()[0]}{build})")


if __name__ == "__main__":
    main()
