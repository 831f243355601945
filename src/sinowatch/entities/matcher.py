"""The matcher: which gazetteer entities a Korean article names, where, how prominently; and unknown names."""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Final

from sinowatch.models import EntityHit, Mention

from .context import Found, Resolver
from .gazetteer import Gazetteer
from .normalize import fold, fold_key
from .scan import Scanner, build_patterns

LEAD_MIN, LEAD_MAX = 300, 600  # the lead: the first two paragraphs, at least 300 and at most 600 chars
HEADLINE, LEAD, FREQUENCY = 0.45, 0.30, 0.25  # salience weights; they add up to 1
_SATURATION: Final = 8  # this many mentions give the whole frequency share
_PARAGRAPH: Final = re.compile(r"[^\n]*\S[^\n]*")
_GLOSSED: Final = re.compile(r"([가-힣]{2,12}) ?\(([^()\n]{2,60})\)")
_PARTS: Final = re.compile(r"\s*[,，、;/]\s*")
_HAN_NAME: Final = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ebef·]{2,20}")
_LATIN_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9 .&+'’-]{2,39}")
# Chinese organisation names end like this; a gloss that does is a name, whatever its Hangul looks like.
_ORG_ENDINGS: Final = ("科技", "公司", "集团", "智能", "大学", "研究院", "研究所", "实验室", "银行", "控股", "股份",
                "网络", "电子", "信息", "汽车", "机器人", "半导体", "芯片", "资本", "基金", "联盟", "协会")
_TRANSLITERATION_FINALS: Final = {0, 4, 21}  # none, ㄴ, ㅇ: the only finals Mandarin syllables take in Hangul


class Matcher:
    """Tags texts with the entities of one gazetteer; build once, reuse for every article.

    One pass over the folded text (NFKC, traditional to simplified Hanja, Latin lower-case unless an
    alias is case-sensitive); the longest alias wins at each word start. Word rules:

    - Hangul alias: the syllable before it must not be Hangul, except a prefix (반화웨이, 탈중국, 대중국)
      or the end of another name (과대신비청도). After it: nothing Hangul, or only particles and the
      name suffixes of its type (바이두는, 화웨이측, 중국산, 상하이시, 리창총리, 위챗페이). An unambiguous
      name of three or more syllables may also run into the next noun (상하이인공지능연맹), but not
      into a verb (선전시키다), a particle that starts on its last syllable (중기부터) or after 대 (서울대공원).
    - Latin alias: no letter or digit before it, no letter after it; digits (Qwen3, Kirin 9000) and
      Hangul (Baidu는, SK하이닉스) may follow. Han alias: anywhere in a run of Han characters; a
      one-character name (中, 美) only alone or among country abbreviations (美中, 韓中).
    - Context (`context = true` aliases, and any alias shared by several entities) is weighed in
      `context.Resolver`: a Hanja or English gloss right after the name, an attached suffix cue,
      cue words and same-type names within 30 characters, an unambiguous mention anywhere in the
      title or body; veto words within 15 characters. A gloss of the same entity is part of the
      mention (치린(麒麟) counts once).

    Title mentions set `in_headline` only; an entity named only in the title has no mentions.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        patterns = build_patterns(gazetteer)
        self._scanner = Scanner(patterns)
        self._resolver = Resolver(gazetteer)
        self._keys = frozenset(p.key for p in patterns)

    def tag(self, body: str, title: str = "") -> list[EntityHit]:
        """Entities in `body` (mention offsets index `body`) and `title` (which only sets `in_headline`)."""
        folded_body, folded_title = fold(body), fold(title)
        body_cands = self._scanner.scan(folded_body)
        title_cands = self._scanner.scan(folded_title) if title else []
        confirmed = (self._resolver.confirmed(body_cands, folded_body.low)
                     | self._resolver.confirmed(title_cands, folded_title.low))
        hits: dict[str, EntityHit] = {}
        body_found = self._resolver.resolve(body_cands, folded_body.low, confirmed)
        spans = folded_body.spans([(found.start, found.end) for found in body_found])
        for found, (start, end) in zip(body_found, spans, strict=True):
            mention = Mention(start, end, body[start:end])
            for entity_id in _with_parent(found):
                self._hit(hits, entity_id).mentions.append(mention)
        for found in self._resolver.resolve(title_cands, folded_title.low, confirmed):
            for entity_id in _with_parent(found):
                self._hit(hits, entity_id).in_headline = True
        lead_end = _lead_end(body)
        for hit in hits.values():
            hit.salience = _salience(hit, lead_end)
        return sorted(hits.values(), key=lambda h: (-h.salience, h.first_pos < 0, h.first_pos, h.entity.id))

    def suggest(self, text: str) -> Counter[str]:
        """Names written as 한글(漢字) or 한글(English) that the gazetteer does not know, with counts."""
        return _suggest_names(text, self.knows, self.gazetteer.generic)

    def knows(self, name: str) -> bool:
        """Whether `name`, or the end of it (업체바이두), is an alias of some entity."""
        key = fold_key(name).strip()
        return any(key[i:] in self._keys for i in range(max(0, len(key) - 1)))

    def _hit(self, hits: dict[str, EntityHit], entity_id: str) -> EntityHit:
        if entity_id not in hits:
            entity = self.gazetteer.get(entity_id)
            assert entity is not None
            hits[entity_id] = EntityHit(entity)
        return hits[entity_id]


def _with_parent(found: Found) -> tuple[str, ...]:
    return (found.entity_id, found.parent) if found.parent else (found.entity_id,)


def _lead_end(body: str) -> int:
    ends = [m.end() for m in itertools.islice(_PARAGRAPH.finditer(body), 2)]
    return min(max(LEAD_MIN, ends[-1] if ends else 0), LEAD_MAX)


def _salience(hit: EntityHit, lead_end: int) -> float:
    """Headline > lead > body, plus how often: 0..1."""
    in_lead = any(m.start < lead_end for m in hit.mentions)
    frequency = min(1.0, math.log2(1 + hit.count) / math.log2(1 + _SATURATION))
    return round(HEADLINE * hit.in_headline + LEAD * in_lead + FREQUENCY * frequency, 4)


def _suggest_names(text: str, knows: Callable[[str], bool], generic: frozenset[str]) -> Counter[str]:
    """Counts of `한글(gloss)` as written, for names neither the Hangul nor any gloss part of which is known."""
    found: Counter[str] = Counter()
    for m in _GLOSSED.finditer(unicodedata.normalize("NFKC", text)):
        hangul, inner = m.group(1), m.group(2).strip()
        parts = [p for p in _PARTS.split(inner) if p]
        if hangul in generic or any(p in generic for p in parts):
            continue
        if not any(_is_name(hangul, p) for p in parts):
            continue
        if knows(hangul) or any(knows(p) for p in parts):
            continue
        found[f"{hangul}({inner})"] += 1
    return found


def _is_name(hangul: str, part: str) -> bool:
    if _HAN_NAME.fullmatch(part):
        han = fold_key(part)
        if han.endswith(_ORG_ENDINGS):
            return True
        # A Korean word glossed with its own Hanja (전야(前夜)) reads Sino-Korean, syllable for syllable;
        # a Chinese name is transliterated, and Mandarin gives Hangul syllables no final but ㄴ or ㅇ.
        return len(han.replace("·", "")) == len(hangul) and all(
            (ord(ch) - 0xAC00) % 28 in _TRANSLITERATION_FINALS for ch in hangul)
    if _LATIN_NAME.fullmatch(part):
        # Acronym glosses of common terms (AI, IoT, LLM) and lower-case words are not names.
        acronym = len(part) <= 5 and not part[1:].islower()
        return not acronym and any(ch.isupper() for ch in part)
    return False
