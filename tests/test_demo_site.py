"""The bundled sample site: its ground truth, its encodings, its feeds and the loopback server."""

from __future__ import annotations

import re
import tomllib
import urllib.robotparser
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from sinowatch.demo.server import serve_site, site_root

DEMO_DIR = site_root().parent
MANIFEST: list[dict[str, Any]] = tomllib.loads((site_root() / "MANIFEST.toml").read_text("utf-8"))["article"]
SOURCES: list[dict[str, Any]] = tomllib.loads((DEMO_DIR / "sources.toml").read_text("utf-8"))["source"]
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class _Page(HTMLParser):
    """Collects what the tests look at: canonical link, og:url, meta charset, listing links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.canonical: list[str] = []
        self.og_url: list[str] = []
        self.charsets: list[str] = []
        self.listing_links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        elif tag == "meta" and a.get("property") == "og:url":
            self.og_url.append(a["content"])
        elif tag == "meta" and a.get("http-equiv", "").lower() == "content-type":
            self.charsets += re.findall(r"charset=([\w-]+)", a.get("content", ""))
        elif tag == "meta" and "charset" in a:
            self.charsets.append(a["charset"])
        elif tag == "a" and a.get("class") == "tit":
            self.listing_links.append(a["href"])


def parse_page(text: str) -> _Page:
    page = _Page()
    page.feed(text)
    return page


def decode(response: httpx.Response, encoding: str) -> str:
    return response.content.decode(encoding)  # strict: a wrong byte fails the test


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serve_site() as url:
        yield url


@pytest.fixture(scope="module")
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=10) as c:
        yield c


def feed_links(body: bytes, kind: str, url: str) -> list[str]:
    if kind == "html":
        return [urljoin(url, href) for href in parse_page(body.decode("cp949")).listing_links]
    root = ET.fromstring(body)
    if root.tag == "rss":
        return [(item.findtext("link") or "").strip() for item in root.iter("item")]
    if root.tag == f"{ATOM}feed":
        return [link.attrib["href"] for entry in root.iter(f"{ATOM}entry")
                for link in entry.iter(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    assert root.tag == f"{SITEMAP}urlset", root.tag
    return [(loc.text or "").strip() for loc in root.iter(f"{SITEMAP}loc")]


# ---------------------------------------------------------------- the ground truth


def test_manifest_shape() -> None:
    assert 28 <= len(MANIFEST) <= 34
    assert len({a["path"] for a in MANIFEST}) == len(MANIFEST)
    assert len({a["canonical"] for a in MANIFEST}) == len(MANIFEST)
    names = {s["name"]: s for s in SOURCES}
    for a in MANIFEST:
        assert a["source"] in names and names[a["source"]]["outlet"] == a["outlet"]
        assert urlsplit(a["canonical"]).hostname.endswith(".example")  # type: ignore[union-attr]
        assert datetime.fromisoformat(a["published"]).utcoffset() is not None
        assert a["entities"] and a["event"] and a["title"]
    off = [a for a in MANIFEST if not a["on_topic"]]
    assert len(off) >= 6


def test_copies_and_story_clusters() -> None:
    by_canonical = {a["canonical"]: a for a in MANIFEST}
    copies = [a for a in MANIFEST if "duplicate_of" in a]
    assert copies
    for copy in copies:
        original = by_canonical[copy["duplicate_of"]]
        assert "duplicate_of" not in original
        assert original["outlet"] != copy["outlet"] and original["event"] == copy["event"]
        assert datetime.fromisoformat(copy["published"]) > datetime.fromisoformat(original["published"])
    # Different outlets' own reports on one event (copies excluded): at least two such events.
    outlets: defaultdict[str, set[str]] = defaultdict(set)
    for a in MANIFEST:
        if "duplicate_of" not in a:
            outlets[a["event"]].add(a["outlet"])
    assert sum(len(v) >= 2 for v in outlets.values()) >= 2


def test_sources_toml() -> None:
    assert len(SOURCES) >= 4 and len({s["name"] for s in SOURCES}) == len(SOURCES)
    for s in SOURCES:
        assert s["url"].startswith("{{BASE}}/") and s["kind"] in {"feed", "html", "sitemap"}
        assert s["interval"] == "30m" and s["outlet"]
        if s["kind"] == "html":
            assert s["listing"]["links"]
    people = next(s for s in SOURCES if s["name"] == "people")
    assert people["timezone"] == "Asia/Shanghai"
    assert Counter(s["kind"] for s in SOURCES)["html"] >= 1


# ---------------------------------------------------------------- served pages


def test_every_article_is_served_with_its_canonical(client: httpx.Client) -> None:
    for a in MANIFEST:
        r = client.get(a["path"])
        assert r.status_code == 200, a["path"]
        assert r.headers["content-type"].startswith("text/html")
        page = parse_page(decode(r, a["encoding"]))
        assert page.canonical == [a["canonical"]], a["path"]
        assert page.og_url == [a["canonical"]], a["path"]
        assert b"{{BASE}}" not in r.content


def test_euckr_pages_are_cp949_bytes(client: httpx.Client) -> None:
    paths = [a["path"] for a in MANIFEST if a["encoding"] == "cp949"] + ["/euckr/list.html"]
    assert len(paths) >= 4
    for path in paths:
        r = client.get(path)
        assert "utf-8" not in r.headers["content-type"].lower()
        with pytest.raises(UnicodeDecodeError):
            r.content.decode("utf-8")
        text = r.content.decode("cp949")  # strict
        assert parse_page(text).charsets == ["euc-kr"]
        assert "\ufffd" not in text and re.search("[가-힣]{2}", text)


def test_feeds_are_well_formed_and_reach_every_article(client: httpx.Client, base: str) -> None:
    served = {a["path"]: a for a in MANIFEST}
    reached: set[str] = set()
    for s in SOURCES:
        url = s["url"].replace("{{BASE}}", base)
        r = client.get(url)
        assert r.status_code == 200 and b"{{BASE}}" not in r.content
        links = feed_links(r.content, s["kind"], url)
        assert links, s["name"]
        for link in links:
            assert link.startswith(base + "/"), link
            path = link.removeprefix(base)
            assert served[path]["source"] == s["name"]
            assert client.get(link).status_code == 200
            reached.add(path)
    assert reached == set(served)


def test_feed_content_types(client: httpx.Client) -> None:
    assert client.get("/people/rss/kr_all.xml").headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert client.get("/aitimes/rss/allArticle.xml").headers["content-type"].startswith("application/rss+xml")
    assert client.get("/yonhap/feed/atom.xml").headers["content-type"].startswith("application/atom+xml")


# ---------------------------------------------------------------- the server


def test_conditional_get(client: httpx.Client) -> None:
    first = client.get("/people/rss/kr_all.xml")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get("/people/rss/kr_all.xml", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert client.get("/people/rss/kr_all.xml", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/people/rss/kr_all.xml", headers={"If-None-Match": '"other"'}).status_code == 200
    stale = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get("/people/rss/kr_all.xml", headers={"If-Modified-Since": stale}).status_code == 200


def test_query_strings_missing_and_hidden_files(client: httpx.Client) -> None:
    article = next(a for a in MANIFEST if "?" in a["path"])
    plain = client.get(article["path"])
    tracked = client.get(article["path"] + "&utm_source=newsletter&fbclid=abc")
    assert tracked.status_code == 200 and tracked.content == plain.content
    assert client.get("/aitimes/news/articleView.html?idxno=1").status_code == 404
    for path in ("/nothing-here.html", "/MANIFEST.toml", "/_headers.toml", "/people/../MANIFEST.toml"):
        assert client.get(path).status_code == 404, path


def test_robots_allow_everything(client: httpx.Client, base: str) -> None:
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(client.get("/robots.txt").text.splitlines())
    assert all(robots.can_fetch("sinowatch", base + a["path"]) for a in MANIFEST)


def test_base_is_replaced_with_the_servers_address() -> None:
    with serve_site() as one, serve_site() as two:
        assert one != two
        body = httpx.get(one + "/yonhap/feed/atom.xml").text
        assert one in body and two not in body
