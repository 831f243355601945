"""Folding text for matching (NFKC, traditional→simplified Hanja, Latin case) with offsets back to the original."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from typing import Final

import opencc

# OpenCC's t2s leaves alone some variants that Korean texts write (靑島, 淸華, 硏究院).
_KOREAN_VARIANTS: Final = dict(zip("靑淸硏晩姸倂値愼塡顚敍槪擧揷", "青清研晚妍并值慎填颠叙概举插", strict=True))
# Korean texts write the middle dot and dashes in many code points; names like 광둥·홍콩 must still meet.
_PUNCT: Final = {"•": "·", "ㆍ": "·", "ᆞ": "·", "・": "·", "‧": "·", "∙": "·",
          "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"}
_HAN_BLOCKS: Final = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF))
# Jamo that compose with the syllable before them under NFKC (NFD-saved Korean text).
_COMBINING_JAMO: Final = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))


def is_hangul(ch: str) -> bool:
    return "가" <= ch <= "힣"


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\U00020000" <= ch <= "\U0002ebef"


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """One character to one character, so folding never moves an offset."""
    codes = [cp for lo, hi in _HAN_BLOCKS for cp in range(lo, hi + 1)]
    converted = opencc.OpenCC("t2s").convert("\n".join(map(chr, codes))).split("\n")
    table: dict[int, str] = {}
    if len(converted) == len(codes):
        table = {cp: out for cp, out in zip(codes, converted, strict=True) if len(out) == 1 and out != chr(cp)}
    for src, dst in (_KOREAN_VARIANTS | _PUNCT).items():
        table[ord(src)] = dst
    return table


@lru_cache(maxsize=1)
def lower_table() -> dict[int, str]:
    return fold_table() | {cp: chr(cp + 32) for cp in range(ord("A"), ord("Z") + 1)}


def fold_key(text: str, *, keep_case: bool = False) -> str:
    """The folded form of a name, as it is looked up in folded text."""
    nfkc = unicodedata.normalize("NFKC", text)
    return nfkc.translate(fold_table() if keep_case else lower_table())


@dataclass(frozen=True)
class Folded:
    """A text folded for matching: `low` is NFKC, simplified Hanja, lower-case Latin, indexed like `nfkc`."""

    original: str
    nfkc: str
    low: str
    changed: tuple[tuple[int, int, int, int], ...] = ()  # (start, end, original start, original end)

    def cased(self, start: int, end: int) -> str:
        """The folded range with its Latin case, for case-sensitive aliases."""
        return self.nfkc[start:end].translate(fold_table())

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets of the folded range [start, end)."""
        if not self.changed:
            return start, end
        return self._origin(start)[0], self._origin(end - 1)[1]

    def spans(self, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Original offsets of many folded ranges, sorted by start: one walk over the changed segments."""
        if not self.changed:
            return ranges
        out: list[tuple[int, int]] = []
        k = -1
        for start, end in ranges:
            k = self._advance(k, start)
            out.append((self._origin_from(start, k)[0], self._origin_from(end - 1, self._advance(k, end - 1))[1]))
        return out

    def _advance(self, k: int, pos: int) -> int:
        while k + 1 < len(self.changed) and self.changed[k + 1][0] <= pos:
            k += 1
        return k

    @cached_property
    def _starts(self) -> list[int]:
        return [seg[0] for seg in self.changed]

    def _origin(self, pos: int) -> tuple[int, int]:
        return self._origin_from(pos, bisect.bisect_right(self._starts, pos) - 1)

    def _origin_from(self, pos: int, k: int) -> tuple[int, int]:
        """Original span of folded char `pos`, given the last changed segment `k` starting at or before it."""
        if k < 0:
            return pos, pos + 1
        start, end, orig_start, orig_end = self.changed[k]
        if pos < end:
            return orig_start, orig_end
        return pos + orig_end - end, pos + orig_end - end + 1


def fold(text: str) -> Folded:
    """Fold `text`; only the segments NFKC rewrites (… to ..., ㈜ to (주)) need an offset map."""
    if unicodedata.is_normalized("NFKC", text):
        return Folded(text, text, text.translate(lower_table()))
    nfkc, changed = _nfkc_with_offsets(text)
    return Folded(text, nfkc, nfkc.translate(lower_table()), changed)


def _nfkc_with_offsets(text: str) -> tuple[str, tuple[tuple[int, int, int, int], ...]]:
    pieces: list[str] = []
    changed: list[tuple[int, int, int, int]] = []
    pos = out_pos = 0
    for line in text.splitlines(keepends=True):
        if unicodedata.is_normalized("NFKC", line):
            pieces.append(line)
            out_pos += len(line)
        else:
            for seg_start, seg_end in _segments(line):
                segment = line[seg_start:seg_end]
                out = unicodedata.normalize("NFKC", segment)
                pieces.append(out)
                if out != segment:
                    changed.append((out_pos, out_pos + len(out), pos + seg_start, pos + seg_end))
                out_pos += len(out)
        pos += len(line)
    return "".join(pieces), tuple(changed)


def _risky_class() -> str:
    """A regex class of the characters NFKC may change or join to the one before: not normalised on their own,
    combining marks, the jamo that join a syllable, and (not worth listing) everything beyond the BMP."""
    ranges: list[tuple[int, int]] = []
    for cp in range(0x10000):
        ch = chr(cp)
        risky = (0xD800 <= cp <= 0xDFFF or unicodedata.combining(ch) != 0 or _joins_previous(ch)
                 or not unicodedata.is_normalized("NFKC", ch))
        if risky:
            if ranges and ranges[-1][1] == cp - 1:
                ranges[-1] = (ranges[-1][0], cp)
            else:
                ranges.append((cp, cp))
    parts = "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return f"[{parts}\U00010000-\U0010ffff]"


# A run of risky characters and the one before it (a starter they may join): the only places segmented one
# character at a time; everything between is left alone by NFKC and stays one segment.
@cache
def _risky() -> re.Pattern[str]:
    return re.compile(".?" + _risky_class() + "+", re.S)


def _segments(line: str) -> list[tuple[int, int]]:
    """Spans that NFKC can normalise on their own: a starter and the marks or jamo that join it."""
    spans: list[tuple[int, int]] = []
    start = 0
    for run in _risky().finditer(line):
        a, b = run.span()
        if a > start:
            spans.append((start, a))
        spans += _char_segments(line, a, b)
        start = b
    if start < len(line):
        spans.append((start, len(line)))
    return spans


def _char_segments(line: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Segments of line[start:stop], one starter each with the characters that join it."""
    spans: list[tuple[int, int]] = []
    begin = start
    for i in range(start + 1, stop + 1):
        if i == stop or not _joins_previous(line[i]):
            spans.append((begin, i))
            begin = i
    return spans


def _joins_previous(ch: str) -> bool:
    cp = ord(ch)
    return unicodedata.combining(ch) != 0 or any(lo <= cp <= hi for lo, hi in _COMBINING_JAMO)
