"""Entity tagging throughput: MB of Korean news text per second on one core, full gazetteer, with kiwipiepy's
tokenizer on the same text as a reference point.

Usage: .venv/bin/python bench/tag.py [--mb 4] [--repeat 3]      (kiwipiepy comes with `pip install -e '.[bench]'`)

The text is every article body of the bundled sample site and the test fixtures (seeds, extraction and
dedupe golden sets), concatenated in a fixed order and repeated up to the size asked for. Both tools get the
same text, one article at a time (as the pipeline calls them), on one core; the best of the repeats counts.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from sinowatch.entities import Matcher, load_gazetteer
from sinowatch.fetch.decode import decode_html
from sinowatch.parse.article import extract
from sinowatch.demo.server import site_root

REPO = Path(__file__).resolve().parents[1]


def corpus(megabytes: float) -> list[str]:
    """Article bodies from the sample site and the fixtures, repeated to `megabytes` of UTF-8."""
    texts = []
    for page in sorted(site_root().rglob("*")):
        if page.is_file() and page.suffix in ("", ".html") and "list" not in page.name and "index" not in page.name:
            text, _ = decode_html(page.read_bytes())
            body = extract(text, page.as_uri()).body
            if len(body) > 300:
                texts.append(body)
    for path in sorted((REPO / "tests" / "data").rglob("*.txt")):
        texts.append(path.read_text(encoding="utf-8"))
    out, size, i = [], 0, 0
    while size < megabytes * 1e6:
        text = texts[i % len(texts)]
        out.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    return out


def best_rate(fn, texts: list[str], repeat: int) -> float:  # type: ignore[no-untyped-def]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for text in texts:
            fn(text)
        best = min(best, time.process_time() - started)
    return size / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="MB of text (default 4)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {0})
    texts = corpus(args.mb)
    gazetteer = load_gazetteer()
    matcher = Matcher(gazetteer)
    mentions = sum(h.count for h in matcher.tag(texts[0]))
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    print(f"text: {size:.1f} MB of Korean news in {len(texts)} articles; gazetteer: {len(gazetteer)} entities")
    rate = best_rate(lambda t: matcher.tag(t), texts, args.repeat)
    print(f"sinowatch Matcher.tag      {rate:6.2f} MB/s   (first article: {mentions} mentions)")
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        print("kiwipiepy                  not installed: pip install -e '.[bench]' to compare")
        return
    kiwi = Kiwi()  # the process is pinned to one core above, so both run on one core
    kiwi.tokenize("준비")  # load the model before timing
    kiwi_rate = best_rate(lambda t: kiwi.tokenize(t), texts, args.repeat)
    print(f"kiwipiepy Kiwi.tokenize    {kiwi_rate:6.2f} MB/s   (morphological analysis only, no entity linking)")
    print(f"ratio sinowatch / kiwipiepy {rate / kiwi_rate:5.1f}×")


if __name__ == "__main__":
    main()
