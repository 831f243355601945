"""Author names from bylines: "홍길동 기자 hong@x.com", "[인민망 은진호 기자]", "By Kim", JSON-LD names."""

from __future__ import annotations

import re
from typing import Final

from sinowatch.text.boilerplate import squash

_TITLES = (r"(?:선임|수석|인턴|객원|전문|취재|사진|영상|편집|대기자|논설|명예)?\s?"
           r"(?:기자|특파원|통신원|기자단|리포터|에디터|논설위원|편집위원|전문위원|칼럼니스트|객원기자)")
_TITLE_HINT: Final = re.compile("기자|특파원|통신원|리포터|에디터|위원|칼럼니스트")  # one of them is in every title
_NAME: Final = r"[가-힣]{2,4}"
# The name right before the title: "인민망 은진호 기자" → 은진호; "홍길동·김철수 기자" → 홍길동·김철수. A word that
# runs on from Latin letters or digits ("MK스포츠 기자") is no name.
_REPORTER: Final = re.compile(rf"(?<![가-힣A-Za-z0-9])((?:{_NAME}\s?[·ㆍ,/]\s?)*{_NAME})\s?{_TITLES}(?![가-힣])")
# ... or the name, then the outlet, then the title: "김재호 MK스포츠 기자", "이보배 한경닷컴 객원기자".
_REPORTER_OUTLET: Final = re.compile(rf"(?<![가-힣A-Za-z0-9])({_NAME})\s+([A-Za-z0-9가-힣&.]{{2,12}})\s?{_TITLES}(?![가-힣])")
# What an outlet's name holds and a person's does not ...
_OUTLET_HINT: Final = re.compile(
    r"[A-Za-z0-9]|뉴스|일보|신문|닷컴|타임스|타임즈|방송|미디어|데일리|투데이|저널|통신|경제|스포츠|비즈|프레스|포커스|코리아|넷$"
)
# ... and outlets' short names that hold none of that, as bylines write them ("김재호 조선 기자"); whole words only,
# since some are inside people's names (조선영, 한경희).
_OUTLET_WORDS: Final = frozenset({
    "연합", "조선", "중앙", "동아", "한겨레", "경향", "한경", "매경", "서경", "헤럴드", "머투", "머니투데이", "노컷",
    "오마이", "프레시안", "국민", "세계", "서울", "부산", "매일", "문화", "한국", "아주", "이투", "뉴시스", "인민망", "신화",
})
# A wire dateline: "(베이징=연합뉴스) 김민준 특파원 = ...", "[서울=뉴시스] 홍지은 기자 = ..."
_DATELINE: Final = re.compile(
    rf"^[\[(（][^\])）]{{1,20}}=[^\])）]{{1,20}}[\])）]\s*((?:{_NAME}\s?[·ㆍ,]\s?)*{_NAME})\s?{_TITLES}\s*="
)
_GENERIC: Final = frozenset({"admin", "administrator", "관리자", "운영자", "webmaster", "web editor", "editor", "unknown",
                      "작성자", "기자", "편집자", "none", "null"})
_EMAIL: Final = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\[?email[\s\u00a0]*protected\]?", re.I)
_LABEL: Final = re.compile(
    r"^(?:by|written\s+by|글|글[·ㆍ]\s*사진|취재|정리|작성자|기자명|reporter|author)(?:\s*[:=]\s*|\s+)", re.I
)
_PUNCT: Final = " \t[](){}<>|/=·•-:,;"
_MAX_AUTHOR: Final = 60


def reporter_name(line: str) -> str | None:
    """The reporter named in a byline line such as "홍길동 기자 hong@x.com"; None if the line names none."""
    if not _TITLE_HINT.search(line):  # most lines name no reporter
        return None
    text = squash(_EMAIL.sub(" ", line))
    wire = _DATELINE.match(text)
    if wire:
        return wire.group(1)
    if len(text) > 80:
        return None
    match = _REPORTER.search(text)
    if match and not outlet_like(match.group(1)):
        return match.group(1)
    named = _REPORTER_OUTLET.search(text)
    if named and outlet_like(named.group(2)) and not outlet_like(named.group(1)):
        return named.group(1)
    return match.group(1) if match else None


def outlet_like(word: str) -> bool:
    """Whether a word reads as an outlet's name ("조선비즈", "MK스포츠", "연합") rather than a person's."""
    return word in _OUTLET_WORDS or _OUTLET_HINT.search(word) is not None


def clean_author(raw: str | None) -> str | None:
    """A display name from whatever a page calls its author; None for URLs and empty values."""
    if not raw:
        return None
    text = squash(_EMAIL.sub(" ", raw))
    if not text or re.match(r"https?://|www\.", text, re.I):
        return None
    named = reporter_name(text)
    if named:
        return named
    text = _LABEL.sub("", text.strip(_PUNCT)).strip(_PUNCT)
    if text.lower() in _GENERIC:
        return None
    return text if 0 < len(text) <= _MAX_AUTHOR else None
