"""Stored article texts (what a naive scraper saved): header lines, title, date lines, byline, body, site chrome."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from sinowatch.errors import ParseError
from sinowatch.models import Extracted
from sinowatch.parse.byline import clean_author, reporter_name
from sinowatch.parse.dates import DEFAULT_ZONE, FoundDate, pick_dates, scan_dates
from sinowatch.text.boilerplate import is_boilerplate, is_stop_line, squash
from sinowatch.text.normalize import word_chars

_SEGMENTS = re.compile(r"\s*(?:[|｜│]|>>|>|»|›|/|·)\s*")
_BULLET = re.compile(r"^[•·∙◦▪▸►▶\-–—*]+\s*")
_URL_LINE = re.compile(r"^(?:(?:기사\s*)?(?:원문|출처|주소|url|link|source)\s*[:：]?\s*)?(https?://\S+)$", re.I)
_SENTENCE = re.compile(r"(?:[.!?。]|다|요|죠)[\"'”’)\]]*$")
_BYLINE_SUFFIX = re.compile(r"(?:기자|특파원|통신원|팀|부|데스크|에디터|기자단|위원|칼럼니스트)$")
_CRUMBS = re.compile(r"\s*(?:>>|>|›|»|＞|→)\s*")
_HEADLINE_MARK = re.compile(r"[,，…\"'‘’“”?!;:()\[\]<>「」『』=|｜│/]|\.\.")  # a name has none of these
_PERIOD_END = re.compile(r"[.。][\"'”’)\]]*$")
_SOURCE_LABEL = re.compile(r"(?:^|\s)(?:출처|来源|來源|source|기사\s*제공)\s*[:：]\s*(?P<name>\S.*)$", re.I)
# Generic section labels: a first line that is one of these (spaces, "·" and "/" aside) names a section, not the site.
_SECTIONS = frozenset(re.sub(r"[\W_]+", "", word) for word in (
    "홈 home 뉴스 news 뉴스홈 국제 국제일반 세계 월드 글로벌 정치 경제 사회 문화 산업 과학 기술 과학·기술 it "
    "it·과학 정보통신 ict 테크 테크놀로지 인공지능 ai 반도체 모바일 비즈니스 금융 증권 부동산 중국 차이나 중국뉴스 "
    "중국경제 한중 오피니언 칼럼 사설 기획 기획기사 인터뷰 피플 포토 영상 속보 종합 전체 전체기사 최신기사 스포츠 "
    "연예 생활 라이프"
).split())
_COPYRIGHT = re.compile(
    r"무단\s*(?:전재|복제|배포)|재배포\s*(?:및\s*)?(?:금지|불가)|all\s+rights\s+reserved|저작권자?\s*[:：]?\s*(?:[ⓒ©]|\(c\))"
    r"|copyrights?\s*(?:[ⓒ©]|\(c\)|\d{4})|版权所有|版權所有",
    re.I,
)
_COPYRIGHT_WORDS = re.compile(
    r"copyrights?|저작권자?|版权所有|版權所有|[ⓒ©]|\(c\)|\b(?:19|20)\d{2}(?:\s*[-~]\s*(?:19|20)\d{2})?\b|\bby\b", re.I)
_COPYRIGHT_TAIL = re.compile(r"(?:무단|재배포|재판매|all\s+rights|ai\s*학습|未经|未經|禁止|不得).*$", re.I)
# A credit names whom a text or photo came from, not whose page it is: "/CRI 한국어", "[X=인민망 한국어판 제공]",
# "자료: 지디넷코리아", "인민망 한국어판과의 콘텐츠 제휴", "[AI타임스 기사 원문 보기]", "연합뉴스에서 전문 보기 ›".
_CREDIT = re.compile(r"^\W*/|^\W*(?:출처|자료|来源|來源|source|사진)\s*[:：=]|=|제공|제휴|전문\s*보기|원문", re.I)
_DOMAIN = re.compile(r"^(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?$", re.I)
_SECTION_LABEL = 5  # "국제", "IT/과학": a line this short before the title labels a section
_HEAD_LINES = 6  # where an outlet's name may stand before the title
_FOOT_LINES = 10


@dataclass(frozen=True)
class _Line:
    text: str
    dates: list[FoundDate]  # absolute dates, when the line is a date line
    boilerplate: bool


def parse_text(text: str, *, path: str, outlets: Mapping[str, str],
               default_timezone: str = "Asia/Seoul") -> tuple[Extracted, str | None]:
    """Title, dates, byline and body of a stored article; (extracted, outlet name as keyed in `outlets`)."""
    raw = [squash(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    texts = [line for line in raw if line]
    if not texts:
        raise ParseError(f"{path}: the file holds no text", hint="is it an empty or binary file?")
    # Which lines are dates does not hang on the zone; what they mean does, and the zone is the outlet's.
    probe = [_read(line, default_timezone) for line in texts]
    start = _title_index(probe, outlets)
    outlet = _outlet(probe, start, outlets, path)
    zone = outlets.get(outlet, default_timezone) if outlet else default_timezone
    lines = [_read(line, zone) for line in texts] if zone != default_timezone else probe
    body_from = start + 1 if start is not None else 0
    # what follows "최신뉴스", "댓글 0" or a copyright notice after the article's text is other pages' matter
    lines = lines[:_end_of_article(lines, body_from)]
    title = texts[start] if start is not None else None
    published, updated = pick_dates([d for line in lines for d in line.dates])
    canonical = next((m.group(1) for m in map(_URL_LINE.match, texts) if m), None)
    return Extracted(
        url=canonical or "",
        title=title,
        paragraphs=_body(lines[body_from:], title, outlets),
        published=published,
        updated=updated,
        author=_author(lines, body_from),
        canonical_url=canonical,
        language="ko" if re.search(r"[\uac00-\ud7a3]", text) else None,
        site_name=outlet,
    ), outlet


def find_outlet(lines: list[str], outlets: Mapping[str, str], path: str = "") -> str | None:
    """The outlet a text is from, as keyed in `outlets`; None when unknown (see `_outlet`)."""
    probe = [_read(line, DEFAULT_ZONE) for line in lines]
    return _outlet(probe, _title_index(probe, outlets), outlets, path)


def _outlet(lines: list[_Line], start: int | None, outlets: Mapping[str, str], path: str) -> str | None:
    """The text's own outlet: its header or masthead, then its copyright notice; failing those, its footer, a
    byline's first word, the file name, a mention in header furniture.

    Credits are not the outlet: "[차이나비즈뉴스=인민망 한국어판 제공]", "※ 인민망 한국어판과의 콘텐츠 제휴",
    "/CRI 한국어", "(베이징=연합뉴스)" in a text whose masthead or copyright line names another site. A masthead
    or copyright owner that is not in `outlets` makes the outlet unknown (None), and the default zone applies.
    """
    if not outlets:
        return None
    folded = {_fold(name): name for name in outlets if _fold(name)}
    by_length = sorted(folded, key=len, reverse=True)
    texts = [line.text for line in lines]
    head = _header(lines, start)
    # 1. whose date the date line gives: an aggregator's "인민망 한국어판 | 2019.07.05 16:09",
    #    "출처: 신화망 | 2025-08-26 19:30:05", "2019-07-05 17:32 来源：人民网韩文版"
    for item in head:
        if item.dates:
            hit = _named_in(item.text, folded, by_length)
            if hit:
                return hit
    # 2. a masthead above the headline: the site's name alone on the first line ("중앙일보", "데일리차이나")
    masthead = _masthead(lines, start)
    if masthead is not None:
        hit = _known_prefix(_fold(masthead), by_length)
        return folded[hit] if hit else None
    # 3. another header line names a known outlet: "인민망|인민망 한국채널", "신화망 한국어판 > 과학·기술"
    for item in head:
        hit = None if _CREDIT.search(item.text) else _named_in(item.text, folded, by_length)
        if hit:
            return hit
    # 4. the copyright notice names the site: "ⓒ 로보틱스타임즈 무단전재 및 재배포 금지"
    for line in reversed(texts[-_FOOT_LINES:]):
        owner = _copyright_owner(line)
        if owner is None:
            continue
        hit = next((k for k in by_length if len(k) >= 3 and _fold(owner).startswith(k)), None)
        if hit or not _DOMAIN.match(owner):  # "XINHUANET.com" may be an alias's domain; an unknown name is a site
            return folded[hit] if hit else None
    # 5. a footer segment that is no credit, a byline's first word, the file name
    for line in texts[-_FOOT_LINES:]:
        if _CREDIT.search(line):
            continue
        for segment in [line, *_SEGMENTS.split(line)]:
            if _fold(segment) in folded:
                return folded[_fold(segment)]
    for line in texts:
        if reporter_name(line) and len(line) <= 80:
            stripped = _fold(line.lstrip("[(<"))
            hit = next((folded[k] for k in by_length if stripped.startswith(k)), None)
            if hit:
                return hit
    stem = _fold(PurePath(path).stem) if path else ""
    hit = next((folded[k] for k in by_length if len(k) >= 3 and stem.startswith(k)), None)
    if hit:
        return hit
    # 6. a mention in header furniture ("인민망 한국어판>>칼럼"), never in a sentence, a credit or below the article
    edge_text = _fold(" ".join(item.text for item in head if not _CREDIT.search(item.text)))
    return next((folded[k] for k in by_length if len(k) >= 2 and k in edge_text), None)


def _header(lines: list[_Line], start: int | None) -> list[_Line]:
    """Lines above the text other than the headline: mastheads, breadcrumbs, date and byline lines."""
    head: list[_Line] = []
    for index, line in enumerate(lines[:_HEAD_LINES]):
        if index == start:
            continue
        if _is_prose(line.text):
            break
        head.append(line)
    return head


def _named_in(text: str, folded: Mapping[str, str], by_length: list[str]) -> str | None:
    """A known outlet that a header line, or one of its segments, is, or that a source label names."""
    for segment in [text, *_SEGMENTS.split(text)]:
        key = _fold(segment)
        if key in folded:
            return folded[key]
        source = _SOURCE_LABEL.search(segment)
        hit = _known_prefix(_fold(source.group("name")), by_length) if source else None
        if hit:
            return folded[hit]
    return None


def _known_prefix(key: str, by_length: list[str]) -> str | None:
    """The longest known outlet that `key` is or begins with ("人民网韩文版" → "人民网")."""
    return next((k for k in by_length if k == key or (len(k) >= 3 and key.startswith(k))), None)


def _masthead(lines: list[_Line], start: int | None) -> str | None:
    """The site's name when the text opens with it alone on a line above the headline."""
    if not start:
        return None
    first = next((i for i, line in enumerate(lines[:start]) if not line.dates and not _URL_LINE.match(line.text)), None)
    if first is None:
        return None
    text = lines[first].text
    if not _is_name(text) or word_chars(text.lower()) in _SECTIONS or lines[first].boilerplate:
        return None
    return text


def _copyright_owner(text: str) -> str | None:
    """Who a copyright notice names: "<저작권자(c) 연합뉴스, 무단 전재-재배포 금지>" → "연합뉴스"."""
    if len(text) > 200 or not _COPYRIGHT.search(text):
        return None
    owner = _COPYRIGHT_TAIL.sub("", _COPYRIGHT_WORDS.sub(" ", text))
    owner = squash(owner.strip(" \t<>[]():：,.·|/-"))
    if not owner or len(owner) > 30 or len(owner.split()) > 4 or _SENTENCE.search(owner) or scan_dates(owner):
        return None
    return owner


def _read(line: str, zone: str) -> _Line:
    found = [d for d in scan_dates(line, zone) if not d.relative]
    covered = sum(d.end - d.start for d in found)
    is_date_line = bool(found) and len(line) <= 100 and (covered >= 0.4 * len(line) or any(d.kind for d in found))
    return _Line(line, found if is_date_line else [], is_boilerplate(line))


def _title_index(lines: list[_Line], outlets: Mapping[str, str]) -> int | None:
    """The first line that is not header material (outlet line, date line, breadcrumb, credit, section label)."""
    candidates = [i for i, line in enumerate(lines) if not _is_header_material(line, outlets)]
    for n, index in enumerate(candidates):
        text = lines[index].text
        following = lines[candidates[n + 1]].text if n + 1 < len(candidates) else None
        # "차이나비즈뉴스", "테크뉴스 브리핑" over the headline: a name, not a sentence, then a longer headline
        if index < _HEAD_LINES and following and _is_name(text) and _is_headline(following) \
                and len(following) >= len(text) + 5:
            continue
        return index
    return None


def _is_header_material(line: _Line, outlets: Mapping[str, str]) -> bool:
    """An outlet line, date line, breadcrumb, credit, section label or URL line."""
    text = line.text
    return bool(line.dates or line.boilerplate or _is_site_line(text, outlets) or len(text) <= _SECTION_LABEL
                or _is_crumbs(text) or _URL_LINE.match(text))


def _is_crumbs(text: str) -> bool:
    """A breadcrumb of short labels: "국제 > 차이나랩", "신화망 한국어판 > 과학·기술", "홈 > 국제"."""
    parts = _CRUMBS.split(text)
    return len(parts) >= 2 and len(text) <= 80 and all(
        p and len(p) <= 20 and len(p.split()) <= 3 and not _HEADLINE_MARK.search(p) and not _SENTENCE.search(p)
        for p in parts)


def _is_name(text: str) -> bool:
    """A name or label rather than a headline: a few words, no headline punctuation, no sentence ending."""
    return (2 <= len(text) <= 25 and len(text.split()) <= 3 and not _HEADLINE_MARK.search(text)
            and not _SENTENCE.search(text) and not _PERIOD_END.search(text) and bool(re.search(r"[^\W\d_]", text)))


def _is_headline(text: str) -> bool:
    """Could be a headline: not a name, not too long, not a sentence closed by a full stop."""
    return 8 <= len(text) <= 150 and not _is_name(text) and not _PERIOD_END.search(text)


def _is_site_line(text: str, outlets: Mapping[str, str]) -> bool:
    """"인민망|인민망 한국채널": an outlet's name, or short labels joined by bars."""
    parts = [p for p in _SEGMENTS.split(text) if p]
    folded = {_fold(name) for name in outlets}
    if parts and all(_fold(p) in folded for p in parts):
        return True
    return "|" in text and len(parts) >= 2 and all(len(p) <= 15 and not _SENTENCE.search(p) for p in parts)


def _author(lines: list[_Line], body_from: int) -> str | None:
    """A byline between title and text ("• 디지털팀", "홍길동 기자"), else a reporter line anywhere."""
    for line in lines[body_from: body_from + 4]:
        if _is_prose(line.text):
            break
        name = _byline(line.text)
        if name:
            return name
    return next((n for n in (reporter_name(line.text) for line in lines[body_from:]) if n), None)


def _byline(text: str) -> str | None:
    if len(text) > 40 or scan_dates(text):
        return None
    named = reporter_name(text)
    if named:
        return named
    bare = _BULLET.sub("", text).strip()
    if bare != text or _BYLINE_SUFFIX.search(bare) or re.fullmatch(r"[가-힣]{2,4}", bare):
        return clean_author(bare)
    return None


def _end_of_article(lines: list[_Line], body_from: int) -> int:
    """The index of the first stop line ("최신뉴스", "관련기사", a copyright notice) after some prose of the body.

    The headline is not that prose, however long and whatever it ends in: "…전략 접었다" then "댓글 0" is a header.
    """
    prose_seen = False
    for index, line in enumerate(lines[body_from:], body_from):
        if prose_seen and is_stop_line(line.text):
            return index
        prose_seen = prose_seen or _is_prose(line.text)
    return len(lines)


def _body(lines: list[_Line], title: str | None, outlets: Mapping[str, str]) -> list[str]:
    """Body lines: no dates, bylines, credits or chrome; trailing scraps trimmed."""
    kept: list[str] = []
    seen: set[str] = set()
    for line in lines:
        text = line.text
        if line.dates or line.boilerplate or _is_site_line(text, outlets) or _URL_LINE.match(text):
            continue
        if not kept and (_byline(text) or _is_crumbs(text)):
            continue
        key = word_chars(text)
        if not key or key in seen or (title and key == word_chars(title)):
            continue
        seen.add(key)
        kept.append(text)
    while kept and len(kept[-1]) < 30 and not _SENTENCE.search(kept[-1]):
        kept.pop()
    return kept


def _is_prose(text: str) -> bool:
    return len(text) >= 40 and bool(_SENTENCE.search(text))


def _fold(text: str) -> str:
    return re.sub(r"\s+", "", text).lower()
