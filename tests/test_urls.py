"""Canonical URLs: one spelling per article whatever link a feed, a share button or a mobile page used."""

from __future__ import annotations

import pytest

from sinowatch.fetch.urls import canonical_url

CASES = [
    ("HTTPS://WWW.Example.COM/News/View.html?idxno=5", "https://www.example.com/News/View.html?idxno=5"),
    ("https://www.example.com:443/a", "https://www.example.com/a"),
    ("http://www.example.com:80/a#comments", "http://www.example.com/a"),
    ("https://e.com/a?utm_source=rss&utm_medium=feed&idxno=7", "https://e.com/a?idxno=7"),
    ("https://e.com/a?fbclid=x&gclid=y&id=3&PHPSESSID=z", "https://e.com/a?id=3"),
    ("https://e.com/view?id=3&sid=abc", "https://e.com/view?id=3"),
    ("https://e.com", "https://e.com/"),
    ("https://e.com//news///1", "https://e.com/news/1"),
    ("https://e.com/a?b=2&a=1", "https://e.com/a?b=2&a=1"),  # query order kept: some CMSs care
    ("https://e.com/검색?q=바이두", "https://e.com/%EA%B2%80%EC%83%89?q=%EB%B0%94%EC%9D%B4%EB%91%90"),
    ("https://e.com/%EA%B2%80%EC%83%89?q=%EB%B0%94%EC%9D%B4%EB%91%90",
     "https://e.com/%EA%B2%80%EC%83%89?q=%EB%B0%94%EC%9D%B4%EB%91%90"),
    ("mailto:x@e.com", "mailto:x@e.com"),
]


@pytest.mark.parametrize(("url", "expected"), CASES)
def test_canonical(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_relative_against_base() -> None:
    assert canonical_url("../b/2?utm_campaign=x", "https://e.com/news/a/1") == "https://e.com/news/b/2"
