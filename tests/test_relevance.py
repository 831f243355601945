"""The China·AI relevance score: keyword counting and the two-sided score."""

from __future__ import annotations

import random
import re

from sinowatch.config import RelevanceSettings
from sinowatch.relevance import score, whole_words


def _by_regex(text: str, word: str) -> int:
    return len(re.findall(rf"(?<![a-z]){re.escape(word)}(?![a-z])", text))


def test_whole_words_counts_what_the_lookaround_pattern_counts() -> None:
    """Short Latin keywords count only as whole words: no a-z letter on either side (digits, Hangul, spaces
    and punctuation are boundaries), matches never overlapping; checked against the regex it replaced on
    hand-picked edges and on random strings dense with near-misses."""
    for text, word, expected in [("ai", "ai", 1), ("said ai", "ai", 1), ("ai2 ai.", "ai", 2), ("aiai", "ai", 0),
                                 ("중국ai기업", "ai", 1), ("gpt-4o와 gpt", "gpt", 2), ("aai ai", "ai", 1),
                                 ("", "ai", 0), ("llmllm llm", "llm", 1), ("aaa", "aa", 0), ("a aa a", "aa", 1)]:
        assert whole_words(text, word) == _by_regex(text, word) == expected, (text, word)
    rnd = random.Random(7)
    alphabet = ["a", "i", "ai", "x", " ", "1", "중", ".", "gp", "t", "aa"]
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(0, 30)))
        for word in ("ai", "gpt", "aa", "a"):
            assert whole_words(text, word) == _by_regex(text, word), (text, word)


def test_both_sides_are_needed_and_short_words_are_whole() -> None:
    rules = RelevanceSettings()
    assert score("중국 AI 스타트업, 새 모델 공개", "중국의 AI 기업이 새 언어모델을 내놨다.", [], rules).on_topic
    assert score("미국 AI 스타트업, 새 모델 공개", "미국의 AI 기업이 새 언어모델을 내놨다.", [], rules).score == 0
    # "said", "wait", "mail" hold "ai" but not as a word: no AI side at all
    assert score("China trade", "China said it would wait for the mail.", [], rules).score == 0
