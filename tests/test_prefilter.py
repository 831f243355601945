"""Literal prefilters: the needles read off a pattern, the case folding, and that a prefiltered set of patterns
answers exactly as searching every pattern would (on the boilerplate rules and real page lines)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sinowatch.text import boilerplate
from sinowatch.text.prefilter import PatternSet, fold, may_match, needles

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(("pattern", "flags", "expected"), [
    (r"무단\s*전재", 0, ("무단",)),  # the longest required literal run ...
    (r"기자\s*(?:구독|페이지)", 0, ("기자",)),  # ... over a two-way alternation of equally long ones
    (r"(?:기자|특파원)[^.]*@", 0, ("특파원", "기자")),
    (r"^(?:사진|영상)\s*[:=]", 0, ("사진", "영상")),
    (r"Copyright\s*©", re.I, ("copyright",)),  # folded for a case-insensitive pattern
    (r"Copyright\s*©", 0, ("Copyright",)),
    (r"(?:ab)+", 0, ("ab",)),  # repeated at least once: required
    (r"x?(?:ab)*", 0, None),  # optional: nothing is required
    (r"a|\d+", 0, None),  # one branch requires no literal
    (r"[|│]", 0, ("|", "│")),  # a small class of literals
    (r"[가-힣]+", 0, None),  # a range
    (r"[^a]b", 0, ("b",)),
    (r"(?=기사)\w+", 0, ("기사",)),  # a lookahead's text is in the searched text too
    (r"(?!기사)\w+", 0, None),
    (r"(?>가나|다라)", 0, ("가나", "다라")),  # longest first, then in order
    (r"(a)\1", 0, ("a",)),
])
def test_needles(pattern: str, flags: int, expected: tuple[str, ...] | None) -> None:
    assert needles(re.compile(pattern, flags)) == expected


def test_too_many_alternatives_give_no_needles() -> None:
    words = "|".join(f"{chr(0xAC00 + i * 30)}{i:02d}" for i in range(40))  # no common prefix to factor out
    assert needles(re.compile(f"(?:{words})")) is None


def test_fold_compares_as_the_regex_engine_does() -> None:
    assert fold("COPYRIGHT 기자") == "copyright 기자"
    assert fold("\u0130stanbul") == "istanbul"  # İ is "i" to the engine, two characters to str.lower
    assert fold("\u017fhare") == fold("share")  # long s and s are one letter under IGNORECASE
    assert fold("\u0131d") == fold("id")  # so are dotless i and i
    assert len(fold("\u0130\u017f\u0131")) == 3


@pytest.mark.parametrize("text", ["\u0130TEM", "\u017fhare", "SHARE", "\u212aelvin"])
def test_folded_text_keeps_every_case_insensitive_match(text: str) -> None:
    for word in ("item", "share", "kelvin"):
        pattern = re.compile(word, re.I)
        if pattern.search(text):
            assert may_match(needles(pattern), fold(text)), (word, text)


def _lines() -> list[str]:
    lines = [line for path in sorted(DATA.rglob("*")) if path.suffix in {".txt", ".md", ".json", ".html"}
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    return [line for line in lines if line.strip()][:20000]


def test_prefiltered_rules_answer_as_plain_search() -> None:
    """Every boilerplate rule set, asked through its prefilter, agrees with searching each rule, on real page
    lines and on their upper-case, swapped-case and look-alike-letter variants."""
    lines = _lines()
    assert len(lines) > 1000
    variants = [v for line in lines for v in (line, line.upper(), line.swapcase(),
                                                  line.replace("s", "\u017f").replace("i", "\u0131"))]
    matched = 0
    for rules in (boilerplate.RULES, boilerplate.STOP_RULES):
        fast = PatternSet([(rule.pattern, rule.max_len) for rule in rules])
        for text in variants:
            text = boilerplate.squash(text)
            plain = any(len(text) <= rule.max_len and rule.pattern.search(text) for rule in rules)
            assert fast.any(text) == plain, text
            matched += plain
    assert matched > 100  # the lines exercise the rules, not just their absence


def test_pattern_set_mixes_case_sensitive_patterns() -> None:
    patterns = PatternSet([(re.compile("Xinhua"), 100), (re.compile("reuters", re.I), 100)])
    assert patterns.any("사진 Xinhua")
    assert not patterns.any("사진 xinhua")  # the case-sensitive one is looked for as written
    assert patterns.any("REUTERS=연합뉴스")
    assert not patterns.any("x" * 101 + " Reuters")  # longer than the pattern's limit


def test_word_chars_is_the_regex_it_replaces() -> None:
    """`word_chars` keeps exactly what `[\\W_]+` removal keeps: on page lines and on random Unicode."""
    import random
    import sys

    from sinowatch.text.normalize import NOT_WORD, word_chars

    rnd = random.Random(7)
    alphabet = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    texts = _lines() + ["", "___", "“따옴표”·…", "ⓒ 2024 뉴스1", "a_b-c", "\u00a0\u3000"]
    texts += ["".join(rnd.choice(alphabet) for _ in range(40)) for _ in range(2000)]
    for text in texts:
        assert word_chars(text) == NOT_WORD.sub("", text), text
