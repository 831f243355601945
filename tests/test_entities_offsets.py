"""Mention offsets index the original text, whatever NFKC and Hanja folding did to it."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from sinowatch.entities import Matcher, load_gazetteer
from sinowatch.entities.normalize import fold

SEEDS = Path(__file__).parent / "data" / "seeds"


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(load_gazetteer())


def _mentions(matcher: Matcher, text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for hit in matcher.tag(text):
        for m in hit.mentions:
            assert text[m.start:m.end] == m.text
            found.setdefault(hit.entity.id, []).append(m.text)
    return found


@pytest.mark.parametrize(("text", "entity_id", "mention"), [
    ("ＡＩ 칩 시장에서 Ｈｕａｗｅｉ의 점유율이 늘었다.", "huawei", "Ｈｕａｗｅｉ"),
    ("중국 인공지능 굴기…협력 나서는 바이두와 화웨이", "huawei", "화웨이"),
    ("㈜한국… ㈜중국… 끝에 科大訊飛가 있다.", "iflytek", "科大訊飛"),
    ("\uf963京(北京)에서", "beijing", "\uf963京"),  # a compatibility ideograph for 北
    ("商湯科技와 華為技術의 협력", "sensetime", "商湯科技"),
    ("商湯科技와 華為技術의 협력", "huawei", "華為技術"),
    ("ｓｅｎｓｅｔｉｍｅ은 ｍｅｇｖｉｉ와 경쟁한다", "megvii", "ｍｅｇｖｉｉ"),
    ("광둥ㆍ홍콩ㆍ마카오 대만구 계획", "greater-bay-area", "광둥ㆍ홍콩ㆍ마카오 대만구"),
    ("딥시크–R1 모델", "deepseek-r1", "딥시크–R1"),
])
def test_offsets_survive_folding(matcher: Matcher, text: str, entity_id: str, mention: str) -> None:
    assert mention in _mentions(matcher, text)[entity_id]


def test_decomposed_hangul(matcher: Matcher) -> None:
    """Text saved as NFD (jamo sequences, as macOS does) still matches, and offsets cover the jamo."""
    text = unicodedata.normalize("NFD", "바이두는 화웨이와 협력한다.")
    found = _mentions(matcher, text)
    assert [unicodedata.normalize("NFC", t) for t in found["baidu"]] == ["바이두"]
    assert [unicodedata.normalize("NFC", t) for t in found["huawei"]] == ["화웨이"]


def test_every_seed_mention_indexes_the_original(matcher: Matcher) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert _mentions(matcher, text)  # the assertion on each offset is inside
        assert _mentions(matcher, text.replace("AI", "ＡＩ").replace("…", "⋯…"))


def test_fold_keeps_lengths_for_hanja_and_maps_nfkc_changes() -> None:
    folded = fold("科大訊飛…ＡＩ㈜")
    assert folded.low.startswith("科大讯飞...ai(주)")
    assert folded.span(0, 4) == (0, 4)
    assert folded.span(4, 7) == (4, 5)  # … became ...
    assert folded.span(7, 9) == (5, 7)
    assert folded.span(9, 12) == (7, 8)  # ㈜ became (주)
    assert folded.spans([(0, 4), (4, 7), (7, 9), (9, 12)]) == [(0, 4), (4, 5), (5, 7), (7, 8)]
    assert fold("바이두").changed == ()


def test_nfkc_segments_normalise_like_the_whole_line() -> None:
    """The fast segmentation (plain runs whole, the rest per starter) must give NFKC's own answer."""
    import random
    import unicodedata

    from sinowatch.entities.normalize import _segments
    pieces = ["가", "a", " ", "…", "㈜", "\u1100", "\u1161", "\u11a8", "e", "\u0301", "ＡＩ", "華", "\uf900", "·",
              "\u0308", "Ⅻ", "㎞", "ﬁ"]
    rng = random.Random(7)
    for _ in range(5000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        segs = _segments(line)
        assert segs[0][0] == 0 and segs[-1][1] == len(line)
        assert all(a < b == c for (a, b), (c, _) in zip(segs, segs[1:], strict=False))
        assert "".join(unicodedata.normalize("NFKC", line[a:b]) for a, b in segs) == \
            unicodedata.normalize("NFKC", line), repr(line)
