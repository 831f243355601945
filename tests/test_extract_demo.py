"""A second, independent golden set for the generic extractor: the 32 article pages of the bundled demo site.

The pages were written by a different hand than the extractor, so they measure it more fairly than
tests/data/extract. Each tests/data/extract_demo/<name>/expected.toml names its page in the packaged site
(`page`, the server's file name: "?" becomes "@"), how the demo server sends it (`content_type`), the
zone its outlet means (`timezone`, as the demo's sources.toml says) and the truth from the site's
generator: title, published, updated, and the body paragraphs as their author wrote them (no captions,
credits, reporter e-mail lines or copyright). No `[source.article]` overrides: only the generic extractor.
Gate: mean body token F1 (tokenised as in test_extract.py) at 0.90 or above.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from sinowatch.demo.server import site_root
from sinowatch.fetch.decode import decode_html
from sinowatch.models import Extracted
from sinowatch.parse.article import extract
from tests.test_extract import token_f1

CASES_DIR = Path(__file__).parent / "data" / "extract_demo"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "expected.toml").is_file())
F1_GATE = 0.90
BASE = "http://127.0.0.1:8000"  # what the demo server writes for {{BASE}}; each case's url uses it too


@dataclass(frozen=True)
class DemoCase:
    """One demo-site article page: its bytes as the server sends them, and the generator's truth."""

    name: str
    body: bytes
    expected: dict[str, Any]

    @classmethod
    def load(cls, name: str) -> DemoCase:
        expected = tomllib.loads((CASES_DIR / name / "expected.toml").read_text("utf-8"))
        raw = (site_root() / expected["page"]).read_bytes().replace(b"{{BASE}}", BASE.encode("ascii"))
        return cls(name, raw, expected)

    def decoded(self) -> tuple[str, str]:
        """(text, codec) as the fetcher would get them from the server's Content-Type."""
        return decode_html(self.body, self.expected["content_type"])

    def run(self) -> Extracted:
        text, encoding = self.decoded()
        return extract(text, self.expected["url"], timezone=self.expected["timezone"], encoding=encoding)

    @property
    def paragraphs_text(self) -> str:
        return "\n".join(self.expected["paragraphs"])


def fold(text: str | None) -> str:
    """Whitespace folded, for comparing titles."""
    return re.sub(r"\s+", " ", text or "").strip()


def same_instant(want: str | None, got: datetime | None) -> bool:
    if want is None or got is None:
        return want is None and got is None
    return datetime.fromisoformat(want) == got


@pytest.fixture(scope="module")
def results() -> dict[str, tuple[DemoCase, Extracted]]:
    return {name: (case, case.run()) for name, case in ((n, DemoCase.load(n)) for n in CASES)}


def test_every_demo_article_has_a_case() -> None:
    manifest = tomllib.loads((site_root() / "MANIFEST.toml").read_text("utf-8"))["article"]
    by_page = {DemoCase.load(n).expected["page"]: DemoCase.load(n).expected for n in CASES}
    assert len(CASES) == len(manifest) == 32
    for article in manifest:
        want = by_page[article["path"].lstrip("/").replace("?", "@")]
        assert (want["title"], want["published"], want.get("updated")) == \
            (article["title"], article["published"], article.get("updated"))
        assert want["paragraphs"][0].startswith(article["body_starts"])
        assert want["paragraphs"][-1].endswith(article["body_ends"])


@pytest.mark.parametrize("name", CASES)
def test_decoding(name: str, results: dict[str, tuple[DemoCase, Extracted]]) -> None:
    case, page = results[name]
    assert page.encoding == case.expected["encoding"]


def test_mean_body_f1_gate(results: dict[str, tuple[DemoCase, Extracted]],
                           capsys: pytest.CaptureFixture[str]) -> None:
    scores = {name: token_f1(case.paragraphs_text, page.body) for name, (case, page) in results.items()}
    titles = {name: fold(page.title) == fold(case.expected["title"]) for name, (case, page) in results.items()}
    dates = {name: same_instant(case.expected["published"], page.published) for name, (case, page) in results.items()}
    mean = sum(scores.values()) / len(scores)
    with capsys.disabled():
        print()
        for name, score in scores.items():
            flags = ("" if titles[name] else "  [title wrong]") + ("" if dates[name] else "  [date wrong]")
            print(f"  body F1 {score:.3f}  {name}{flags}")
        print(f"  body F1 mean {mean:.3f} over {len(scores)} demo pages (gate {F1_GATE}); "
              f"title {sum(titles.values())}/{len(titles)}, published {sum(dates.values())}/{len(dates)}")
    assert mean >= F1_GATE
