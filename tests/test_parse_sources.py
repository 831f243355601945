"""Listing parsers, bytes-decoded text in, FeedItems out: RSS 2.0, RDF, Atom (xml:base), JSON Feed, HTML, sitemaps."""

from __future__ import annotations

import pytest

from sinowatch.errors import ParseError
from sinowatch.models import ListingRules
from sinowatch.parse.feed import parse_feed
from sinowatch.parse.listing import parse_listing
from sinowatch.parse.opml import parse_opml
from sinowatch.parse.sitemap import parse_sitemap

RSS2 = """<?xml version="1.0" encoding="euc-kr"?><rss version="2.0"><channel><title>테스트</title>
<item><title>바이두, 어니 5 공개</title><link>https://news.example/a/1?utm_source=rss</link>
<pubDate>2025-03-14 09:12:00</pubDate><description>&lt;p&gt;요약 &lt;b&gt;문장&lt;/b&gt;&lt;/p&gt;</description></item>
<item><title>둘째</title><guid isPermaLink="true">https://news.example/a/2</guid></item>
</channel></rss>"""

RDF = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/"><title>RDF</title></channel>
<item rdf:about="https://rdf.example/x"><title>화웨이 칩</title><link>https://rdf.example/x</link>
<dc:date>2025-03-14T09:12:00+09:00</dc:date></item></rdf:RDF>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"
xml:base="https://atom.example/news/"><title>Atom</title>
<entry><title>텐센트 훈위안</title><link rel="alternate" href="view/123"/><id>tag:x,2025:123</id>
<updated>2025-03-14T00:12:00Z</updated></entry></feed>"""

JSONFEED = """{"version": "https://jsonfeed.org/version/1.1", "title": "j",
"items": [{"id": "1", "url": "/posts/1", "title": "딥시크 R2", "date_published": "2025-03-14T09:12:00+09:00"}]}"""


def test_rss2_dates_in_the_source_zone_and_summaries_as_text() -> None:
    items = parse_feed(RSS2, "https://news.example/rss.xml", timezone="Asia/Seoul")
    assert [i.url for i in items] == ["https://news.example/a/1?utm_source=rss", "https://news.example/a/2"]
    assert items[0].published is not None and items[0].published.isoformat() == "2025-03-14T09:12:00+09:00"
    assert items[0].summary == "요약 문장" and items[0].title == "바이두, 어니 5 공개"


def test_rdf_and_atom_with_xml_base() -> None:
    [rdf] = parse_feed(RDF, "https://rdf.example/feed")
    assert rdf.url == "https://rdf.example/x" and rdf.title == "화웨이 칩"
    [atom] = parse_feed(ATOM, "https://atom.example/feed.xml")
    assert atom.url == "https://atom.example/news/view/123"
    assert atom.published is not None and atom.published.isoformat().startswith("2025-03-14T00:12:00")


def test_rss_relative_item_links_resolve_against_the_feed_and_summaries_keep_their_text() -> None:
    """Korean CMSs write item links relative to the site ("/news/articleView.html?idxno=1"): they resolve
    against the feed's own URL (or its xml:base); a summary's markup is reduced to its text."""
    rss = ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><link>/</link>'
           '<item><title>바이두, 새 모델</title><link>/news/articleView.html?idxno=1</link>'
           '<description>&lt;p&gt;&lt;a href="/x"&gt;바이두&lt;/a&gt;가 공개했다&lt;/p&gt;</description></item>'
           '</channel></rss>')
    [item] = parse_feed(rss, "https://www.example.kr/rss/allArticle.xml")
    assert item.url == "https://www.example.kr/news/articleView.html?idxno=1"
    assert item.summary is not None and "바이두" in item.summary and "<" not in item.summary
    atom = ('<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://news.example.kr/sub/"><title>t</title>'
            '<entry><title>화웨이</title><link href="a/2.html"/><id>x</id><updated>2025-03-14T09:00:00+09:00</updated>'
            '</entry></feed>')
    [entry] = parse_feed(atom, "https://other.example.kr/atom.xml")
    assert entry.url == "https://news.example.kr/sub/a/2.html"


def test_json_feed_relative_urls() -> None:
    [item] = parse_feed(JSONFEED, "https://j.example/feed.json")
    assert item.url == "https://j.example/posts/1" and item.title == "딥시크 R2"


@pytest.mark.parametrize("bad", ["<html><body>not a feed</body></html>", "{\"version\": \"x\"}", "{not json",
                                 "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY a 'b'>]><rss/>"])
def test_unreadable_feeds_raise_parse_error(bad: str) -> None:
    with pytest.raises(ParseError):
        parse_feed(bad, "https://x.example/feed")


LISTING = """<html><head><base href="https://list.example/news/"></head><body>
<nav><a href="/">홈</a></nav>
<ul class="list"><li><a class="tit" href="view.html?id=1">첫 기사</a><span class="date">2025.03.14 09:12</span></li>
<li><a class="tit" href="javascript:void(0)">광고</a></li>
<li><a class="tit" href="view.html?id=2">둘째 기사</a><span class="date">2025.03.13 18:00</span></li>
<li><a class="tit" href="view.html?id=1">첫 기사 (중복 링크)</a></li></ul>
<a class="next" href="list.html?page=2">다음</a></body></html>"""


def test_listing_with_base_href_dates_and_next_page() -> None:
    rules = ListingRules(links="ul.list li a.tit", date="span.date", next_page="a.next", max_pages=3)
    items, next_url = parse_listing(LISTING, "https://list.example/index.html", rules)
    assert [i.url for i in items] == ["https://list.example/news/view.html?id=1", "https://list.example/news/view.html?id=2"]
    assert items[0].title == "첫 기사" and items[0].published is not None
    assert items[1].published is not None and items[1].published.isoformat() == "2025-03-13T18:00:00+09:00"
    assert next_url == "https://list.example/news/list.html?page=2"


def test_sitemaps_news_and_index() -> None:
    news = """<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
    xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://s.example/old</loc><news:news><news:publication_date>2025-03-13T09:00:00+09:00</news:publication_date>
    <news:title>옛 기사</news:title></news:news></url>
    <url><loc>https://s.example/new</loc><news:news><news:publication_date>2025-03-14T09:00:00+09:00</news:publication_date>
    <news:title>새 기사</news:title></news:news></url></urlset>"""
    sm = parse_sitemap(news, "https://s.example/sitemap.xml")
    assert [i.url for i in sm.items] == ["https://s.example/new", "https://s.example/old"]
    assert sm.items[0].title == "새 기사"
    index = parse_sitemap('<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>'
                          '/news-1.xml</loc></sitemap></sitemapindex>', "https://s.example/index.xml")
    assert index.sitemaps == ["https://s.example/news-1.xml"] and not index.items
    with pytest.raises(ParseError):
        parse_sitemap("<rss/>", "https://s.example/x")


def test_opml_nested_outlines() -> None:
    outlines = parse_opml(b'<opml version="1.0"><body><outline text="f"><outline text="A" xmlUrl="https://a/rss"/>'
                          b'</outline><outline text="B" xmlUrl="https://b/atom" htmlUrl="https://b/"/></body></opml>')
    assert [(o.title, o.feed_url, o.site_url) for o in outlines] == [("A", "https://a/rss", None),
                                                                      ("B", "https://b/atom", "https://b/")]
    with pytest.raises(ParseError):
        parse_opml(b"<rss/>")
