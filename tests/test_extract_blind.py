"""Article pages written blind (tests/data/extract_blind/README.md): headline, first-publication time, author and
body as their author labelled them, nothing of the page furniture they name in the body."""

from __future__ import annotations

import json
import re
from datetime import datetime
from functools import cache
from html import unescape
from pathlib import Path

import pytest

from sinowatch.fetch.decode import decode_html
from sinowatch.models import Extracted
from sinowatch.parse.article import extract
from tests.test_extract import token_f1

DATA = Path(__file__).parent / "data" / "extract_blind"
CASES = sorted(p.name for p in DATA.iterdir() if (p / "expected.json").is_file())


def folded(text: str | None) -> str:
    return re.sub(r"\s+", " ", unescape(text or "")).strip()


@cache
def run(name: str) -> tuple[dict, Extracted]:
    folder = DATA / name
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    text, encoding = decode_html((folder / "page.html").read_bytes(), meta["content_type"])
    page = extract(text, meta["url"], timezone=meta.get("timezone", "Asia/Seoul"), encoding=encoding)
    return json.loads((folder / "expected.json").read_text("utf-8")), page


def test_the_set_is_there() -> None:
    assert len(CASES) == 32


@pytest.mark.parametrize("name", CASES)
def test_metadata(name: str) -> None:
    want, page = run(name)
    assert folded(page.title) == folded(want["title"])
    if want["published"] is None:
        assert page.published is None
    else:
        assert page.published is not None
        assert abs((page.published - datetime.fromisoformat(want["published"])).total_seconds()) < 60
    if want["author"]:
        assert page.author == want["author"]


@pytest.mark.parametrize("name", CASES)
def test_body(name: str) -> None:
    want, page = run(name)
    body = folded(page.body)
    assert [p for p in want["body_paragraphs"] if folded(p) not in body] == []
    leaked = [s for s in want["not_body"] if folded(s) in body]
    assert leaked == []
    assert token_f1("\n".join(want["body_paragraphs"]), page.body) >= 0.95
