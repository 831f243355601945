"""One left-to-right pass over folded text: longest alias at each word start, with Korean word boundaries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from sinowatch.models import Entity

from .gazetteer import Alias, Gazetteer
from .korean import PREFIXES, compound_ok, syllables, tail_ok
from .normalize import Folded, fold_key, is_han, is_hangul

_HANGUL = re.compile(r"[가-힣]+")
_HAN_RUN: Final = r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]+"
_MAX_CHAIN: Final = 2
_COUNTRY_ABBREVIATIONS: Final = frozenset("韩日北朝英独法俄台印欧越泰德加澳")  # folded forms: 韓 is 韩


@dataclass(frozen=True)
class Entry:
    """One entity an alias may stand for, with the alias's rules."""

    order: int  # position in the gazetteer: breaks ties
    entity: Entity
    alias: Alias
    cased: str  # the folded alias with its case, for case-sensitive aliases
    compound: bool  # may run straight into the next noun
    parent: str  # the parent entity, when the alias spells out the parent's name


@dataclass(frozen=True)
class Pattern:
    """One folded alias text and every entity it may stand for."""

    key: str  # folded, lower-cased
    last: str  # script of the last character: hangul, latin, digit, han, other
    entries: tuple[Entry, ...]
    simple: bool = False  # one entity, matched whatever the case


@dataclass
class Cand:
    """A match in folded text, before context decides which entity (if any) it is."""

    start: int
    end: int
    options: list[tuple[Entry, str]]  # entry and how the word ends: clean, particle or compound
    tail: str = ""  # the rest of the word after a Hangul name
    compound: bool = False  # the word goes on with another noun, which may be a name too


def _script(ch: str) -> str:
    if is_hangul(ch):
        return "hangul"
    if ch.isascii() and ch.isalpha():
        return "latin"
    if ch.isascii() and ch.isdigit():
        return "digit"
    return "han" if is_han(ch) else "other"


def build_patterns(gazetteer: Gazetteer) -> list[Pattern]:
    """Every alias (and the unspaced form of spaced Hangul aliases), grouped by folded text."""
    grouped: dict[str, list[Entry]] = {}
    for order, record in enumerate(gazetteer.records.values()):
        parent = gazetteer.record(record.parent) if record.parent else None
        parent_keys = [fold_key(a.text) for a in parent.aliases if not a.context] if parent else []
        for alias in record.aliases:
            key = fold_key(alias.text)
            variants = [key]
            if " " in key and any(is_hangul(ch) for ch in key):
                variants.append(key.replace(" ", ""))
            long_name = syllables(key) >= 3 and not alias.context
            entry = Entry(order, record.entity, alias, fold_key(alias.text, keep_case=True),
                          alias.suffixes_ok or long_name,
                          record.parent if any(k in key for k in parent_keys) else "")
            for variant in variants:
                bucket = grouped.setdefault(variant, [])
                if all(e.entity.id != entry.entity.id for e in bucket):
                    bucket.append(entry)
    return [Pattern(key, _script(key[-1]), tuple(entries), len(entries) == 1 and not entries[0].alias.case_sensitive)
            for key, entries in grouped.items()]


def _start_patterns(index: dict[str, list[tuple[int, dict[str, Pattern]]]]) -> list[str]:
    """Word starts worth a look, so the regex engine skips every other word without a Python step.

    A Hangul word (or a Latin one) whose first two characters, after an optional prefix syllable, begin
    some alias; and any run of Han characters, inside which every position is a start.
    """
    heads: dict[bool, dict[str, set[str]]] = {True: {}, False: {}}
    for key in index:
        if is_hangul(key[0]) or (key[0].isascii() and key[0].isalnum()):
            heads[is_hangul(key[0])].setdefault(key[0], set()).add(key[1])
    parts = []
    for hangul, by_first in heads.items():
        if not by_first:
            continue
        pairs = "|".join(f"{re.escape(a)}[{re.escape(''.join(sorted(b)))}]" for a, b in sorted(by_first.items()))
        firsts = "".join(sorted(by_first))
        if hangul:
            prefixes = "".join(sorted(PREFIXES))
            parts.append(f"(?=[{firsts}{prefixes}])(?<![가-힣])(?:{pairs}|[{prefixes}](?:{pairs}))")
        else:
            parts.append(f"(?=[{re.escape(firsts)}])(?<![a-z0-9])(?:{pairs})")
    return [*parts, _HAN_RUN]


class Scanner:
    """Finds candidate matches; never looks inside a word except after another name or a prefix."""

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        by_head: dict[str, dict[int, dict[str, Pattern]]] = {}
        self._single: dict[str, Pattern] = {}
        for pattern in patterns:
            if len(pattern.key) == 1:
                self._single[pattern.key] = pattern
            else:
                by_head.setdefault(pattern.key[:2], {}).setdefault(len(pattern.key), {})[pattern.key] = pattern
        # Per first two characters, the aliases by length, longest first: one dict lookup per length.
        self._index = {head: sorted(by_length.items(), reverse=True) for head, by_length in by_head.items()}
        self._starts = re.compile("|".join(_start_patterns(self._index)))

    def scan(self, folded: Folded) -> list[Cand]:
        low = folded.low
        cands: list[Cand] = []
        covered = 0
        for run in self._starts.finditer(low):
            start = run.start()
            if start < covered:
                continue
            first = low[start]
            if "가" <= first <= "힣":
                stop = _HANGUL.match(low, start).end()  # type: ignore[union-attr]
                covered = self._hangul_run(folded, start, stop, cands)
            elif first.isascii():
                if cand := self._match(folded, start, 0):
                    cands.append(cand)
                    covered = cand.end
            else:
                covered = self._han_run(folded, start, run.end(), cands)
        return cands

    def _hangul_run(self, folded: Folded, start: int, stop: int, cands: list[Cand]) -> int:
        low = folded.low
        pos = covered = start
        prefixed = False
        while pos < stop:
            cand = self._match(folded, pos, 0, prefixed)
            if cand is None:
                if pos == start and not prefixed and low[pos] in PREFIXES and stop - pos >= 3:
                    pos, prefixed = pos + 1, True
                    continue
                break
            cands.append(cand)
            covered = pos = cand.end
            if not cand.compound:
                break
        return covered

    def _han_run(self, folded: Folded, start: int, stop: int, cands: list[Cand]) -> int:
        pos = covered = start
        # A one-character name (中, 美) counts alone, or in a run of country abbreviations (美中, 韓中日).
        abbreviations = stop - start <= 4 and all(
            ch in self._single or ch in _COUNTRY_ABBREVIATIONS for ch in folded.low[start:stop])
        while pos < stop:
            cand = self._match(folded, pos, 0)
            single = self._single.get(folded.low[pos])
            if cand is None and single and abbreviations:
                cand = Cand(pos, pos + 1, [(entry, "clean") for entry in single.entries])
            if cand is None:
                pos += 1
                continue
            cands.append(cand)
            covered = pos = cand.end
        return covered

    def _match(self, folded: Folded, pos: int, depth: int, prefixed: bool = False) -> Cand | None:
        low = folded.low
        for length, table in self._index.get(low[pos:pos + 2], ()):
            pattern = table.get(low[pos:pos + length])
            if pattern is None:
                continue
            end = pos + length
            tail = ""
            if pattern.last == "hangul" and end < len(low) and "가" <= low[end] <= "힣":
                tail = _HANGUL.match(low, end).group()  # type: ignore[union-attr]
            elif not prefixed and pattern.simple and pattern.last in ("hangul", "han", "other"):
                return Cand(pos, end, [(pattern.entries[0], "clean")])  # the common case: nothing follows
            options: list[tuple[Entry, str]] = []
            compound = False
            for entry in pattern.entries:
                if prefixed and entry.alias.context:
                    continue
                if entry.alias.case_sensitive and folded.cased(pos, end) != entry.cased:
                    continue
                if how := self._boundary(pattern, entry, folded, end, tail, depth):
                    options.append((entry, how))
                    compound = compound or how == "compound"
            if options:
                return Cand(pos, end, options, tail, compound)
        return None

    def _boundary(self, pattern: Pattern, entry: Entry, folded: Folded, end: int, tail: str, depth: int) -> str:
        """How the word ends after the alias ("" if the alias is only part of a longer word)."""
        after = folded.low[end:end + 1]
        if pattern.last == "hangul":
            if not tail:
                return "clean"
            if entry.alias.standalone:
                return ""
            if entry.alias.suffixes_ok:
                return "compound"
            if tail_ok(tail, entry.entity.type):
                return "particle"
            if entry.compound and compound_ok(pattern.key, tail):
                return "compound"
            if depth < _MAX_CHAIN and self._match(folded, end, depth + 1):
                return "compound"  # two names written together: 과대신비청도
            return ""
        if pattern.last == "latin":
            return "" if after.isascii() and after.isalpha() else "clean"
        if pattern.last == "digit":
            return "" if after.isascii() and after.isalnum() else "clean"
        return "clean"
