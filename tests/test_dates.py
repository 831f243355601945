"""Date parsing: a table of the forms Korean news pages use, the impossible ones, and 입력/수정 lines."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from sinowatch.parse.dates import find_dates, parse_date, scan_dates

SEOUL = ZoneInfo("Asia/Seoul")
NOW = datetime(2025, 9, 5, 18, 0, tzinfo=SEOUL)

TABLE: list[tuple[str, str | None]] = [
    # ISO 8601
    ("2019-07-05T15:09:00+08:00", "2019-07-05T15:09:00+08:00"),
    ("2019-07-05T06:09:00Z", "2019-07-05T06:09:00+00:00"),
    ("2019-07-05T15:09:00", "2019-07-05T15:09:00+09:00"),
    ("2019-07-05T15:09:00.123+0900", "2019-07-05T15:09:00+09:00"),
    ("2019-07-05T15:09+09", "2019-07-05T15:09:00+09:00"),
    ("2019-07-05", "2019-07-05T00:00:00+09:00"),
    # RFC 822
    ("Thu, 05 Jul 2019 15:09:00 +0900", "2019-07-05T15:09:00+09:00"),
    ("Thu, 05 Jul 2019 06:09:00 GMT", "2019-07-05T06:09:00+00:00"),
    ("5 Jul 2019 15:09 KST", "2019-07-05T15:09:00+09:00"),
    # Korean numeric
    ("2019.12.01 15:26", "2019-12-01T15:26:00+09:00"),
    ("2019.12.01. 15:26", "2019-12-01T15:26:00+09:00"),
    ("2019. 12. 1. 오후 3:26", "2019-12-01T15:26:00+09:00"),
    ("2019-12-01 15:26:03", "2019-12-01T15:26:03+09:00"),
    ("2019/12/01", "2019-12-01T00:00:00+09:00"),
    ("2019/12/01 09:05", "2019-12-01T09:05:00+09:00"),
    ("2019.12.01(일) 15:26", "2019-12-01T15:26:00+09:00"),
    ("2019-12-01 15:26 (KST)", "2019-12-01T15:26:00+09:00"),
    ("2025.09.05. 오후 3:01", "2025-09-05T15:01:00+09:00"),
    ("2025.09.05 오전 12:30", "2025-09-05T00:30:00+09:00"),
    ("2025.09.05 오후 12:30", "2025-09-05T12:30:00+09:00"),
    ("20191201152600", "2019-12-01T15:26:00+09:00"),
    # a two-digit year, with a time of day
    ("24.05.06 10:00", "2024-05-06T10:00:00+09:00"),
    ("24-05-06 오후 3:01", "2024-05-06T15:01:00+09:00"),
    ("24.05.06(월) 10:00", "2024-05-06T10:00:00+09:00"),
    ("99.12.31 23:59", "1999-12-31T23:59:00+09:00"),  # this century's would be in the future
    ("24.05.06", None),  # without a time it could be anything
    ("1.2.3 10:00", None),
    ("24.13.06 10:00", None),
    # Korean with 년 월 일
    ("2021년04월26일", "2021-04-26T00:00:00+09:00"),
    ("2021년04월26일\u00a0", "2021-04-26T00:00:00+09:00"),
    ("2019년 12월 1일 오후 3시 26분", "2019-12-01T15:26:00+09:00"),
    ("2019년 12월 1일 15:26", "2019-12-01T15:26:00+09:00"),
    ("2019년 12월 1일 (일) 오전 9시", "2019-12-01T09:00:00+09:00"),
    ("2019년 12월 1일 오후 3시 반", "2019-12-01T15:30:00+09:00"),
    ("2019年12月01日 15:26", "2019-12-01T15:26:00+09:00"),
    # labelled lines
    ("입력 2019.12.01 15:26 | 수정 2019.12.02 15:30", "2019-12-01T15:26:00+09:00"),
    ("기사입력 2025-09-05 오후 3:01", "2025-09-05T15:01:00+09:00"),
    ("입력 24.05.06 10:00 | 수정 24.05.06 11:30", "2024-05-06T10:00:00+09:00"),
    ("승인 2025.03.14 09:12", "2025-03-14T09:12:00+09:00"),
    # English
    ("15:09, July 05, 2019", "2019-07-05T15:09:00+09:00"),
    ("July 5, 2019 3:09 PM", "2019-07-05T15:09:00+09:00"),
    ("Jul. 5, 2019", "2019-07-05T00:00:00+09:00"),
    ("September 5th, 2025 at 9:15 am", "2025-09-05T09:15:00+09:00"),
    # relative, against NOW
    ("3시간 전", "2025-09-05T15:00:00+09:00"),
    ("10분 전", "2025-09-05T17:50:00+09:00"),
    ("2일 전", "2025-09-03T18:00:00+09:00"),
    ("어제", "2025-09-04T00:00:00+09:00"),
    ("어제 오후 3시", "2025-09-04T15:00:00+09:00"),
    ("방금 전", "2025-09-05T18:00:00+09:00"),
    ("5 hours ago", "2025-09-05T13:00:00+09:00"),
    ("오후 3:01", "2025-09-05T15:01:00+09:00"),
    ("23:50", "2025-09-04T23:50:00+09:00"),  # a listing's bare time still to come today means last night
    # impossible or not dates at all
    ("2019-02-30", None),
    ("2019.13.01", None),
    ("2019-12-01 25:00", None),
    ("2019년 2월 30일", None),
    ("25:00", None),
    ("오후 13:70", None),
    ("hello", None),
    ("", None),
    ("2019", None),
    ("중국 2-3선 도시", None),
    ("1:1 상담회", None),
    ("3시간", None),
    ("2030년까지 AI 분야에서", None),
    ("02-1234-5678", None),
]


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_parse_date(text: str, expected: str | None) -> None:
    parsed = parse_date(text, "Asia/Seoul", now=NOW)
    assert (parsed.isoformat() if parsed else None) == expected
    assert parsed is None or parsed.tzinfo is not None


def test_the_table_is_big_enough() -> None:
    assert len(TABLE) >= 40


def test_zone_is_the_sources_when_the_text_has_none() -> None:
    parsed = parse_date("15:09, July 05, 2019", "Asia/Shanghai")
    assert parsed is not None and parsed.isoformat() == "2019-07-05T15:09:00+08:00"
    explicit = parse_date("2019-07-05T15:09:00+09:00", "Asia/Shanghai")
    assert explicit is not None and explicit.isoformat() == "2019-07-05T15:09:00+09:00"


def test_naive_now_is_read_in_the_zone() -> None:
    parsed = parse_date("1시간 전", "Asia/Seoul", now=datetime(2025, 1, 1, 0, 30))
    assert parsed is not None and parsed.isoformat() == "2024-12-31T23:30:00+09:00"


def _iso(pair: tuple[datetime | None, datetime | None]) -> tuple[str | None, str | None]:
    return tuple(d.isoformat() if d else None for d in pair)  # type: ignore[return-value]


@pytest.mark.parametrize(("text", "published", "updated"), [
    ("입력 2019.12.01 15:26 | 수정 2019.12.02 15:30", "2019-12-01T15:26:00+09:00", "2019-12-02T15:30:00+09:00"),
    ("기사입력 2025-09-05 오후 3:01 최종수정 2025-09-05 오후 4:10",
     "2025-09-05T15:01:00+09:00", "2025-09-05T16:10:00+09:00"),
    ("업데이트 2025.03.14 10:05 승인 2025.03.14 09:12", "2025-03-14T09:12:00+09:00", "2025-03-14T10:05:00+09:00"),
    ("등록 2025-03-14 09:12:00 | 수정 2025-03-14 10:00:00",
     "2025-03-14T09:12:00+09:00", "2025-03-14T10:00:00+09:00"),
    ("입력 : 2025-08-11 06:00:00 | 수정 : 2025-08-11 09:30:00",
     "2025-08-11T06:00:00+09:00", "2025-08-11T09:30:00+09:00"),
    ("2019-12-01 15:26 송고", "2019-12-01T15:26:00+09:00", None),
    ("입력 24.05.06 10:00 | 수정 24.05.06 11:30", "2024-05-06T10:00:00+09:00", "2024-05-06T11:30:00+09:00"),
    ("2021년04월26일\n15:09, July 05, 2019", "2019-07-05T15:09:00+09:00", None),  # a time beats a bare date
    ("수정 2019.12.02 15:30", None, "2019-12-02T15:30:00+09:00"),
    ("입력 2019.12.02 15:30 | 수정 2019.12.01 10:00", "2019-12-02T15:30:00+09:00", None),  # updated before published
    ("아무 날짜도 없는 줄", None, None),
])
def test_find_dates(text: str, published: str | None, updated: str | None) -> None:
    assert _iso(find_dates(text, "Asia/Seoul", NOW)) == (published, updated)


def test_scan_marks_relative_dates() -> None:
    found = scan_dates("3시간 전 | 2025.09.05 12:00", "Asia/Seoul", NOW)
    assert [(f.relative, f.has_time) for f in found] == [(True, True), (False, True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("THU, 05 JUL 2019 15:09:00 +0900", "2019-07-05T15:09:00+09:00"),
    ("JULY 5, 2019 3:09 PM", "2019-07-05T15:09:00+09:00"),
    ("15:09, JULY 05, 2019", "2019-07-05T15:09:00+09:00"),
    ("5 ſep 2019", "2019-09-05T00:00:00+09:00"),  # a long s is an s to a case-insensitive pattern
    ("2 HOURS AGO", "2025-09-05T16:00:00+09:00"),
    ("Just Now", "2025-09-05T18:00:00+09:00"),
    ("YESTERDAY 10:00", "2025-09-04T10:00:00+09:00"),
    ("오늘 09:30", "2025-09-05T09:30:00+09:00"),
    ("김도윤 기자 | 입력 : 2016-03-16 오후 4:21:37", "2016-03-16T16:21:37+09:00"),
])
def test_case_and_script_do_not_hide_a_date(text: str, expected: str) -> None:
    """scan_dates tries a pattern only where a quick test says it may match; the tests must not miss."""
    found = scan_dates(text, "Asia/Seoul", NOW)
    assert found and found[0].value.isoformat() == expected


def test_prose_without_dates_gives_none() -> None:
    prose = "시 관계자는 \"중국 로봇 시장은 해마다 빠르게 커지고 있다\"며 지원하겠다고 말했다."
    assert scan_dates(prose, now=NOW) == []
