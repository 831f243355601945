"""Feeds and sitemaps written blind (tests/data/feeds/README.md): CDATA, xml:base, EUC-KR with a lying header,
BOMs, undeclared entities, truncation, an HTML error page served as RSS, gzipped and indexed sitemaps. Each is
read as `list_items` reads it: unpacked if gzipped, decoded, parsed."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from sinowatch.errors import ParseError
from sinowatch.fetch.decode import decode_html, unzipped
from sinowatch.parse.feed import parse_feed
from sinowatch.parse.sitemap import parse_sitemap

DATA = Path(__file__).parent / "data" / "feeds"
CASES = sorted(p.name for p in DATA.iterdir() if (p / "expected.json").is_file())
# The one decision taken otherwise than the set's author expected (README, note 7): a feed cut off inside an
# item's description still yields that item, whose link and title arrived whole; its page is fetched as any other.
PARTIAL_LAST_ITEM = {"joongboo-ndsoft-truncated"}


def read(case: str) -> tuple[dict, list[tuple[str, str | None, datetime | None]]]:
    folder = DATA / case
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    body = next(p for p in folder.iterdir() if p.name.startswith("body.")).read_bytes()
    text, _ = decode_html(unzipped(body, 5_000_000, meta["url"]), meta["content_type"])
    if meta["kind"] == "feed":
        return meta, [(i.url, i.title, i.published) for i in parse_feed(text, meta["url"])]
    sitemap = parse_sitemap(text, meta["url"])
    return meta, [(i.url, i.title, i.published) for i in sitemap.items] + [(u, None, None) for u in sitemap.sitemaps]


def test_the_set_is_there() -> None:
    assert len(CASES) == 22


@pytest.mark.parametrize("case", CASES)
def test_read_as_written(case: str) -> None:
    expected = json.loads((DATA / case / "expected.json").read_text(encoding="utf-8"))
    if expected["error"]:
        with pytest.raises(ParseError):
            read(case)
        return
    meta, got = read(case)
    want = [(i["url"], i["title"], datetime.fromisoformat(i["published"]) if i["published"] else None)
            for i in expected["items"]]
    if meta["kind"] == "sitemap-index":  # an index lists sitemaps: their lastmod is not read
        got, want = [g[0] for g in got], [w[0] for w in want]
    elif meta["kind"] == "sitemap":  # the reader puts the newest first
        got, want = sorted(got, key=str), sorted(want, key=str)
    if case in PARTIAL_LAST_ITEM:
        assert got[:-1] == want and got[-1][0].startswith("https://") and got[-1][1]
    else:
        assert got == want
