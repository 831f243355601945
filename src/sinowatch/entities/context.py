"""Deciding what an ambiguous match stands for: Hanja glosses, attached suffixes, nearby words, other mentions."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Final, NamedTuple

from .gazetteer import Gazetteer
from .normalize import fold_key, is_han
from .scan import Cand, Entry

WINDOW = 30  # characters either side in which cue words count
ANTI_WINDOW: Final = 15  # veto words must be closer: they describe the word itself
_GLOSS: Final = re.compile(r" ?\(([^()\n]{1,40})\)")
_GLOSS_SPLIT: Final = re.compile(r"\s*[,，、/;·]\s*")
# Evidence weights: a gloss or an attached suffix settles it; a plain mention elsewhere nearly does.
DECISIVE, ELSEWHERE, OWN_CUE, TYPE_CUE, NEIGHBOUR, PLAIN = 3.0, 2.0, 1.5, 1.0, 1.0, 0.5


class Found(NamedTuple):
    """A resolved mention in folded text."""

    entity_id: str
    start: int
    end: int
    parent: str = ""


@dataclass(frozen=True)
class _Gloss:
    start: int
    end: int
    ids: frozenset[str]
    has_han: bool


class Resolver:
    """Context rules over the candidates of one article (title and body share what is confirmed)."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self._gazetteer = gazetteer
        self._by_key: dict[str, set[str]] = {}
        for record in gazetteer.records.values():
            for alias in record.aliases:
                self._by_key.setdefault(fold_key(alias.text), set()).add(record.entity.id)
        self._cue_cache: dict[tuple[str, str], re.Pattern[str] | None] = {}

    @cached_property
    def _suffix_cues(self) -> dict[str, tuple[str, ...]]:
        return {t: tuple(fold_key(w) for w in c.get("suffix", ())) for t, c in self._gazetteer.context.items()}

    def confirmed(self, cands: list[Cand], low: str) -> set[str]:
        """Entities named unambiguously somewhere: a single plain alias, or a gloss that settles it."""
        ids: set[str] = set()
        for cand in cands:
            plain = [e for e, _ in cand.options if not e.alias.context]
            if len(cand.options) == 1 and plain:
                ids.add(plain[0].entity.id)
            elif (gloss := self.gloss(cand, low)) and len(hit := gloss.ids & _ids(cand)) == 1:
                ids |= hit
        return ids

    def gloss(self, cand: Cand, low: str) -> _Gloss | None:
        if cand.tail or not (m := _GLOSS.match(low, cand.end)):
            return None
        content = m.group(1).strip()
        parts = [content, *(p for p in _GLOSS_SPLIT.split(content) if p)]
        ids = frozenset(i for p in parts for i in self._by_key.get(p, ()))
        return _Gloss(m.start(), m.end(), ids, any(is_han(ch) for ch in m.group(1)))

    def resolve(self, cands: list[Cand], low: str, confirmed: set[str]) -> list[Found]:
        anchors = sorted((c.start, c.end, c.options[0][0].entity.type, c.options[0][0].entity.id)
                         for c in cands if len(c.options) == 1 and not c.options[0][0].alias.context)
        found: list[Found] = []
        absorbed: tuple[int, int, str] = (-1, -1, "")
        for cand in cands:
            if cand.end <= absorbed[1] and absorbed[0] <= cand.start and absorbed[2] in _ids(cand):
                continue  # the Hanja gloss of a name just matched: 치린(麒麟) is one mention
            entry = cand.options[0][0]
            if len(cand.options) == 1 and not entry.alias.context and "(" not in low[cand.end:cand.end + 2]:
                found.append(Found(entry.entity.id, cand.start, cand.end, entry.parent))
                continue  # the common case: one plain name, no gloss
            best = self._choose(cand, low, confirmed, anchors)
            if best is None:
                continue
            entry, from_gloss = best
            found.append(Found(entry.entity.id, cand.start, cand.end, entry.parent))
            if from_gloss:
                absorbed = (from_gloss.start, from_gloss.end, entry.entity.id)
        return found

    def _choose(self, cand: Cand, low: str, confirmed: set[str],
                anchors: list[tuple[int, int, str, str]]) -> tuple[Entry, _Gloss | None] | None:
        gloss = self.gloss(cand, low)
        single_plain = len(cand.options) == 1 and not cand.options[0][0].alias.context
        best: tuple[float, int, Entry] | None = None
        for entry, how in cand.options:
            evidence, decisive = 0.0, False
            if gloss and entry.entity.id in gloss.ids:
                evidence, decisive = DECISIVE, True
            elif gloss and gloss.has_han and entry.alias.context:
                continue  # 선전(宣傳): the Hanja says it is another word
            if how == "particle" and cand.tail.startswith(self._suffix_cues.get(entry.entity.type, ("\0",))):
                evidence, decisive = evidence + DECISIVE, True
            if not single_plain:
                if entry.entity.id in confirmed:
                    evidence += ELSEWHERE
                evidence += self._near(cand, low, entry, anchors)
                if not decisive and self._vetoed(cand, low, entry):
                    continue
            if entry.alias.context and evidence < TYPE_CUE:
                continue
            score = evidence + (0.0 if entry.alias.context else PLAIN)
            if best is None or (score, -entry.order) > (best[0], -best[1]):
                best = (score, entry.order, entry)
        if best is None:
            return None
        entry = best[2]
        return entry, gloss if gloss and entry.entity.id in gloss.ids else None

    def _near(self, cand: Cand, low: str, entry: Entry, anchors: list[tuple[int, int, str, str]]) -> float:
        score = 0.0
        own = self._distance(self._cues(entry.entity.id, "near"), cand, low, WINDOW)
        if own is not None:
            score += OWN_CUE + 0.1 * (1 - own / WINDOW)
        typed = self._distance(self._cues(entry.entity.type, "type"), cand, low, WINDOW)
        if typed is not None:
            score += TYPE_CUE + 0.1 * (1 - typed / WINDOW)
        for index in range(bisect.bisect_left(anchors, (cand.start - WINDOW - 40,)), len(anchors)):
            start, end, etype, eid = anchors[index]
            if start > cand.end + WINDOW:
                break
            if etype == entry.entity.type and eid != entry.entity.id and (
                    cand.start - WINDOW <= end <= cand.start or cand.end <= start <= cand.end + WINDOW):
                score += NEIGHBOUR  # one city in a list of cities
                break
        return score

    def _vetoed(self, cand: Cand, low: str, entry: Entry) -> bool:
        return any(self._distance(self._cues(name, kind), cand, low, ANTI_WINDOW) is not None
                   for name, kind in ((entry.entity.id, "anti"), (entry.entity.type, "type-anti")))

    @staticmethod
    def _distance(cues: re.Pattern[str] | None, cand: Cand, low: str, window: int) -> int | None:
        if cues is None:
            return None
        left_start = max(0, cand.start - window)
        best: int | None = None
        for before in cues.finditer(low, left_start, cand.start):
            best = min(best if best is not None else window, cand.start - before.end())
        after = cues.search(low, cand.end, cand.end + window)
        if after:
            best = min(best if best is not None else window, after.start() - cand.end)
        return best

    def _cues(self, name: str, kind: str) -> re.Pattern[str] | None:
        if (name, kind) not in self._cue_cache:
            words: tuple[str, ...] = ()
            record = self._gazetteer.record(name)
            if kind == "near" and record:
                words = record.cues
            elif kind == "anti" and record:
                words = record.anti
            elif kind == "type":
                words = self._gazetteer.context.get(name, {}).get("near", ())
            elif kind == "type-anti":
                words = self._gazetteer.context.get(name, {}).get("anti", ())
            self._cue_cache[(name, kind)] = _alternation(words)
        return self._cue_cache[(name, kind)]


def _ids(cand: Cand) -> set[str]:
    return {entry.entity.id for entry, _ in cand.options}


def _alternation(words: tuple[str, ...]) -> re.Pattern[str] | None:
    keys = sorted({fold_key(w) for w in words}, key=len, reverse=True)
    if not keys:
        return None
    parts = [rf"(?<![a-z0-9]){re.escape(k)}(?![a-z])" if k.isascii() else re.escape(k) for k in keys]
    return re.compile("|".join(parts))
