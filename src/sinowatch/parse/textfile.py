"""Stored article texts (what a naive scraper saved): header lines, title, date lines, byline, body, site chrome."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePath

from sinowatch.errors import ParseError
from sinowatch.models import Extracted
from sinowatch.parse.byline import clean_author, reporter_name
from sinowatch.parse.dates import FoundDate, pick_dates, scan_dates
from sinowatch.text.boilerplate import is_boilerplate, is_stop_line, squash

_SEGMENTS = re.compile(r"\s*(?:[|｜│]|>>|>|»|›|/|·)\s*")
_BULLET = re.compile(r"^[•·∙◦▪▸►▶\-–—*]+\s*")
_URL_LINE = re.compile(r"^(?:(?:기사\s*)?(?:원문|출처|주소|url|link|source)\s*[:：]?\s*)?(https?://\S+)$", re.I)
_SENTENCE = re.compile(r"(?:[.!?。]|다|요|죠)[\"'”’)\]]*$")
_BYLINE_SUFFIX = re.compile(r"(?:기자|특파원|통신원|팀|부|데스크|에디터|기자단|위원|칼럼니스트)$")
_NON_WORD = re.compile(r"[\W_]+")
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
    outlet = find_outlet(texts, outlets, path)
    zone = outlets.get(outlet, default_timezone) if outlet else default_timezone
    lines = [_read(line, zone) for line in texts]
    lines = lines[:_end_of_article(lines)]  # what follows "최신뉴스" or a copyright notice is other pages' matter
    start = _title_index(lines, outlets)
    title = texts[start] if start is not None else None
    published, updated = pick_dates([d for line in lines for d in line.dates])
    body_from = start + 1 if start is not None else 0
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
    """The outlet a text names: a header or footer segment, a byline's first word, the file name, a mention."""
    if not outlets:
        return None
    folded = {_fold(name): name for name in outlets if _fold(name)}
    edges = lines[:_HEAD_LINES] + lines[-_FOOT_LINES:]
    for line in edges:
        for segment in [line, *_SEGMENTS.split(line)]:
            if _fold(segment) in folded:
                return folded[_fold(segment)]
    for line in lines:
        if reporter_name(line) and len(line) <= 80:
            stripped = _fold(line.lstrip("[(<"))
            hit = next((folded[k] for k in sorted(folded, key=len, reverse=True) if stripped.startswith(k)), None)
            if hit:
                return hit
    stem = _fold(PurePath(path).stem) if path else ""
    by_length = sorted(folded, key=len, reverse=True)
    hit = next((folded[k] for k in by_length if len(k) >= 3 and stem.startswith(k)), None)
    if hit:
        return hit
    # a mention in header or footer furniture ("인민망 한국어판>>칼럼"), never in a sentence of the article
    edge_text = _fold(" ".join(line for line in edges if not _is_prose(line)))
    return next((folded[k] for k in by_length if len(k) >= 2 and k in edge_text), None)


def _read(line: str, zone: str) -> _Line:
    found = [d for d in scan_dates(line, zone) if not d.relative]
    covered = sum(d.end - d.start for d in found)
    is_date_line = bool(found) and len(line) <= 100 and (covered >= 0.4 * len(line) or any(d.kind for d in found))
    return _Line(line, found if is_date_line else [], is_boilerplate(line))


def _title_index(lines: list[_Line], outlets: Mapping[str, str]) -> int | None:
    """The first line that is not header material (outlet line, date line, breadcrumb, credit, section label)."""
    for index, line in enumerate(lines):
        if line.dates or line.boilerplate or _is_site_line(line.text, outlets) or len(line.text) <= _SECTION_LABEL:
            continue
        if _URL_LINE.match(line.text):
            continue
        return index
    return None


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


def _end_of_article(lines: list[_Line]) -> int:
    """The index of the first stop line ("최신뉴스", "관련기사", a copyright notice) after some prose."""
    prose_seen = False
    for index, line in enumerate(lines):
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
        if not kept and _byline(text):
            continue
        key = _NON_WORD.sub("", text)
        if not key or key in seen or (title and key == _NON_WORD.sub("", title)):
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
