"""Literal prefilters for regular expressions: strings of which every match must contain one, read off the
pattern's syntax tree, so that a line holding none of them skips the regex search.

The boilerplate rules run some thirty searches on every paragraph of every page, and an article paragraph
matches none of them; checking a few substrings (`str.__contains__`, a fast C search) first costs a fraction
of a search. The derivation is conservative: where it cannot name required strings it names none, and the
regex always runs. It is exact for case-insensitive patterns too: `fold` lowers a text the way the regex
engine compares characters under IGNORECASE (per character, with the engine's extra case equivalences such
as ſ/s and ı/i), and the needles are folded the same way.

Built on `re._parser`, the standard library's own regex parser; should its shape ever change, every pattern
simply gets no prefilter.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, Final

try:
    from re import _casefix, _parser  # type: ignore[attr-defined]
    from re import _constants as sre  # type: ignore[attr-defined]
except ImportError:  # another Python's internals: no prefilters, same results
    _parser = None  # type: ignore[assignment]

MAX_NEEDLES = 24  # more alternatives than this and the substring checks cost as much as the search
MAX_CLASS: Final = 6  # a character class of at most this many literal characters counts as alternatives

_DOTTED_I = "\u0130"  # İ: str.lower gives two characters, the regex engine one ("i")
_FOLD: dict[int, int] = {}
if _parser is not None:
    for _code, _others in _casefix._EXTRA_CASES.items():  # classes such as {s, ſ}, {i, ı}: one member stands for all
        if min(_code, *_others) != _code:
            _FOLD[_code] = min(_code, *_others)
_FOLDED_AWAY: Final = re.compile("[" + "".join(map(re.escape, map(chr, _FOLD))) + "]") if _FOLD else re.compile("(?!)")


def fold(text: str) -> str:
    """The text as the regex engine compares it under IGNORECASE, one character for one."""
    if text.isascii():
        return text.lower()
    folded = (text.replace(_DOTTED_I, "i") if _DOTTED_I in text else text).lower()
    return folded if _FOLDED_AWAY.search(folded) is None else folded.translate(_FOLD)


@lru_cache(maxsize=None)  # a pattern set asks once per length bracket; derive once per pattern
def needles(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` contains at least one (folded when the pattern ignores case;
    a positive lookaround's text counts, since it lies in the searched text too); None when none can be named."""
    if _parser is None or pattern.flags & (re.VERBOSE | re.LOCALE):
        return None
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - an internal parser we do not control: no prefilter
        return None
    ignore_case = bool(pattern.flags & re.IGNORECASE)
    found = _sequence(list(tree), ignore_case)
    if not found or len(found) > MAX_NEEDLES or "" in found:
        return None
    return tuple(sorted(found, key=lambda s: (-len(s), s)))


def _sequence(items: list[tuple], ignore_case: bool) -> frozenset[str] | None:
    """The best required set among a sequence's parts: runs of literals are joined into strings."""
    options: list[frozenset[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            options.append(frozenset({_folded("".join(run), ignore_case)}))
            run = []
        found = _node(op, av, ignore_case)
        if found:
            options.append(found)
    if run:
        options.append(frozenset({_folded("".join(run), ignore_case)}))
    if not options:
        return None
    # fewest alternatives, then the longest shortest string: the cheapest and most selective check
    return min(options, key=lambda s: (len(s) > MAX_NEEDLES, -min(map(len, s)), len(s)))


def _node(op: object, av: Any, ignore_case: bool) -> frozenset[str] | None:  # the parser's untyped tuples
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, items = av
        return None if add_flags or del_flags else _sequence(list(items), ignore_case)
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av), ignore_case)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _high, items = av
        return _sequence(list(items), ignore_case) if low >= 1 else None
    if op is sre.ASSERT:
        _direction, items = av
        return _sequence(list(items), ignore_case)
    if op is sre.BRANCH:
        _, branches = av
        return _union(_sequence(list(branch), ignore_case) for branch in branches)
    if op is sre.IN:
        members = list(av)
        if len(members) <= MAX_CLASS and all(kind is sre.LITERAL for kind, _ in members):
            return frozenset(_folded(chr(code), ignore_case) for _, code in members)
    return None  # any character, a negated or ranged class, an anchor, a negative lookaround, a back reference


def _union(parts: Iterable[frozenset[str] | None]) -> frozenset[str] | None:
    found: set[str] = set()
    for part in parts:
        if not part:
            return None  # one branch requires nothing: the alternation requires nothing
        found |= part
    return frozenset(found)


def _folded(text: str, ignore_case: bool) -> str:
    return fold(text) if ignore_case else text


def may_match(found: tuple[str, ...] | None, text: str) -> bool:
    """False only when `text` (folded like the needles) holds none of them, so the pattern cannot match."""
    return found is None or any(needle in text for needle in found)


class PatternSet:
    """Patterns asked together whether any matches a text no longer than its limit: `any(text)` is
    `any(len(text) <= limit and p.search(text) for p, limit in entries)`, but searches only the patterns
    whose needles the text holds. Per text length, the patterns whose limit admits it are indexed by their
    needles' first characters (needles of case-insensitive patterns are looked for in the folded text)."""

    def __init__(self, entries: Sequence[tuple[re.Pattern[str], int]]) -> None:
        self.entries = tuple(entries)
        self._limits = sorted({limit for _, limit in self.entries})
        self._brackets = [_Bracket([(i, p) for i, (p, limit) in enumerate(self.entries) if limit >= low])
                          for low in self._limits]

    def any(self, text: str, folded: str | None = None) -> bool:
        """`folded`: `fold(text)`, when the caller has it already."""
        k = bisect_left(self._limits, len(text))  # the patterns whose limit admits a text this long
        return k < len(self._brackets) and self._brackets[k].any(text, folded)


class _Bracket:
    """Patterns indexed by the first characters of their needles."""

    def __init__(self, members: list[tuple[int, re.Pattern[str]]]) -> None:
        self.patterns = dict(members)
        self.always = frozenset(i for i, p in members if needles(p) is None)
        self.folded = _Index([(i, p) for i, p in members if p.flags & re.IGNORECASE])
        self.plain = _Index([(i, p) for i, p in members if not p.flags & re.IGNORECASE])

    def any(self, text: str, folded: str | None = None) -> bool:
        wanted = set(self.always)
        if self.plain.keys is not None:
            self.plain.find(text, wanted)
        if self.folded.keys is not None:
            self.folded.find(fold(text) if folded is None else folded, wanted)
        patterns = self.patterns
        return any(patterns[i].search(text) is not None for i in sorted(wanted))  # in the order given


class _Index:
    """Needle -> pattern, by the needle's first character."""

    def __init__(self, members: list[tuple[int, re.Pattern[str]]]) -> None:
        self.by_char: dict[str, list[tuple[str, int]]] = {}
        for i, pattern in members:
            for needle in needles(pattern) or ():
                self.by_char.setdefault(needle[0], []).append((needle, i))
        # a class of the needles' first characters
        self.keys = re.compile("[" + "".join(map(re.escape, self.by_char)) + "]") if self.by_char else None

    def find(self, text: str, wanted: set[int]) -> None:
        """Add the patterns whose needles `text` holds."""
        for char in set(self.keys.findall(text)):  # type: ignore[union-attr]
            for needle, i in self.by_char[char]:
                if i not in wanted and needle in text:
                    wanted.add(i)
