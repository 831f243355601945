"""Instructions per extracted page, counted by valgrind's callgrind: a figure that, unlike a time, does not move
with what else a shared or virtual machine is doing, for comparing two versions of the extractor.

Usage: .venv/bin/python bench/instructions.py [--extractor sinowatch|trafilatura] [--repeat 3]

Runs this script under `valgrind --tool=callgrind` twice over the golden pages of bench/extract.py (after
one untimed pass that loads everything): once with no measured pass, once with --repeat passes, and prints the
difference per page. Memo caches are emptied before every call, as bench/extract.py does. Takes 2-4 minutes
for sinowatch, about 10 for trafilatura (valgrind runs code some 50× slower).
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


def _work(extractor: str, passes: int) -> None:
    sys.path.insert(0, str(HERE))
    from extract import forget, load_pages, sinowatch_run, trafilatura_runner

    run = sinowatch_run if extractor == "sinowatch" else trafilatura_runner({})
    pages = load_pages()
    for _ in range(1 + passes):  # the first pass loads modules, compiles patterns, fills import caches
        for page in pages:
            forget()
            run(page)
    print(len(pages))


def _count(extractor: str, passes: int, out: Path) -> tuple[int, int]:
    command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
               "--inner", str(passes), "--extractor", extractor]
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
    parser.add_argument("--inner", type=int, default=None, help=argparse.SUPPRESS)  # the run under valgrind
    args = parser.parse_args()
    if args.inner is not None:
        _work(args.extractor, args.inner)
        return
    if shutil.which("valgrind") is None:
        sys.exit("error: valgrind is not installed\nhint: apt-get install valgrind")
    with tempfile.TemporaryDirectory() as tmp:
        base, pages = _count(args.extractor, 0, Path(tmp) / "base.out")
        total, _ = _count(args.extractor, args.repeat, Path(tmp) / "measured.out")
    per_page = (total - base) / args.repeat / pages
    from sinowatch import native

    build = f"; sinowatch {native.STATUS.describe()}" if args.extractor == "sinowatch" else ""
    print(f"{args.extractor}: {per_page / 1e6:.2f} M instructions per page "
          f"({pages} pages × {args.repeat} passes, callgrind; Python {sys.version.split()[0]}{build})")


if __name__ == "__main__":
    main()
