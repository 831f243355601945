"""Dates as Korean news pages write them (입력/수정 lines, 오후 3시, ISO 8601, RFC 822, 3시간 전) to aware datetimes."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from datetime import timezone as dt_timezone
from functools import lru_cache
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Seoul"


@dataclass(frozen=True)
class FoundDate:
    """One date expression found in a text."""

    start: int
    end: int
    value: datetime  # aware
    has_time: bool  # False for a bare date (its time is midnight)
    kind: str  # "published", "updated" or "" when no label names it
    relative: bool = False  # "3시간 전", "어제": only meaningful against the time it was read


_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# US zone letters follow RFC 822. "CST" is left out: on Chinese pages it means UTC+8, in RFC 822 UTC-6.
_ZONES: Final = {
    "z": 0, "ut": 0, "utc": 0, "gmt": 0, "kst": 9 * 60, "jst": 9 * 60, "hkt": 8 * 60, "bjt": 8 * 60,
    "est": -5 * 60, "edt": -4 * 60, "cdt": -5 * 60, "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60,
    "pdt": -7 * 60,
}
_PM: Final = {"오후", "저녁", "pm", "p.m."}
_AM: Final = {"오전", "새벽", "아침", "am", "a.m."}

_SP = r"[^\S\n]"  # a date and its time share a line
_MONTH_RE: Final = (r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
             r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MERIDIEM_RE: Final = r"오전|오후|새벽|아침|낮|저녁|밤|am|pm|a\.m\.|p\.m\."
_WEEKDAY_RE: Final = (rf"(?:{_SP}*\(\s*(?:[월화수목금토일](?:요일)?|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*\)"
               rf"|{_SP}*[월화수목금토일]요일)?")
# A clock time: 15:26, 15:26:03.120, 오후 3:26, 오후 3시 26분, 3시 반, 3:09 PM. "3시간" is a duration, not 3 o'clock.
_TIME_RE: Final = (rf"(?:(?P<mer>{_MERIDIEM_RE})\s*)?(?P<hour>\d{{1,2}})"
            r"(?::(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,]\d+)?)?"
            r"|\s*시(?!간)(?:\s*(?P<kmin>\d{1,2})\s*분|\s*(?P<half>반))?(?:\s*(?P<ksec>\d{1,2})\s*초)?)"
            rf"(?:\s*(?P<mer2>am|pm|a\.m\.|p\.m\.)(?![a-z]))?")
_ZONE_RE: Final = (r"(?:\s*\(?(?P<zone>z|utc|gmt|ut|kst|jst|hkt|bjt|est|edt|cdt|mst|mdt|pst|pdt)(?![a-z])\)?)?"
            r"(?:\s?(?P<offset>[+-]\d{1,2}(?::?\d{2})?)(?![\d:]))?")
_YEAR_RE: Final = r"(?P<year>(?:19|20)\d{2})"

_NUMERIC = re.compile(
    rf"(?<![\d.]){_YEAR_RE}\s?(?P<sep>[./-])\s?(?P<month>\d{{1,2}})\s?(?P=sep)\s?(?P<day>\d{{1,2}})(?!\d)\.?"
    rf"{_WEEKDAY_RE}(?:(?:T|{_SP}*,?{_SP}*){_TIME_RE}{_ZONE_RE})?",
    re.I,
)
# "24.05.06 10:00", "입력 24-05-06 오후 3:01": a two-digit year, read as this century's (last century's when that
# would be in the future); only with a time of day after it, which "1.2.3" or a phone number never has.
_SHORT_NUMERIC = re.compile(
    rf"(?<![\d.:/-])(?P<year>\d{{2}})(?P<sep>[./-])(?P<month>\d{{1,2}})(?P=sep)(?P<day>\d{{1,2}})(?![\d/-])\.?"
    rf"{_WEEKDAY_RE}{_SP}+{_TIME_RE}{_ZONE_RE}",
    re.I,
)
_HANGUL_DATE: Final = re.compile(
    rf"(?<!\d){_YEAR_RE}\s*[년年]\s*(?P<month>\d{{1,2}})\s*[월月]\s*(?P<day>\d{{1,2}})\s*[일日]"
    rf"{_WEEKDAY_RE}(?:{_SP}*,?{_SP}*{_TIME_RE}{_ZONE_RE})?",
    re.I,
)
_DAY_MONTH_YEAR: Final = re.compile(  # RFC 822 and "5 July 2019"
    rf"(?<!\d)(?P<day>\d{{1,2}})\s+{_MONTH_RE},?\s+{_YEAR_RE}(?!\d)(?:(?:,?{_SP}+(?:at{_SP}+)?){_TIME_RE}{_ZONE_RE})?",
    re.I,
)
_MONTH_DAY_YEAR: Final = re.compile(  # "July 5, 2019 3:09 PM"
    rf"(?<![a-z]){_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR_RE}(?!\d)"
    rf"(?:(?:,?{_SP}+(?:at{_SP}+)?|{_SP}+[-|]{_SP}+){_TIME_RE}{_ZONE_RE})?",
    re.I,
)
_TIME_MONTH_DAY_YEAR: Final = re.compile(  # "15:09, July 05, 2019" (People's Daily)
    rf"(?<![\d:])(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})(?::(?P<second>\d{{2}}))?(?:\s*(?P<mer2>am|pm))?,?\s+"
    rf"{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR_RE}(?!\d)",
    re.I,
)
_RELATIVE: Final = re.compile(
    r"(?<!\d)(?P<n>\d{1,4})\s*(?P<unit>초|분|시간|일|주일?|개월|달|년|seconds?|secs?|minutes?|mins?|hours?|hrs?"
    r"|days?|weeks?|months?|years?)\s*(?:전|ago)(?![가-힣])"
    r"|(?P<now>방금\s*전|방금|just\s+now)",
    re.I,
)
_DAY_WORD: Final = re.compile(
    rf"(?P<word>그저께|그제|어제|오늘|yesterday|today)(?:{_SP}*,?{_SP}*{_TIME_RE})?(?![가-힣])",
    re.I,
)
_TIME_ONLY: Final = re.compile(rf"\s*{_TIME_RE}{_ZONE_RE}\s*", re.I)
_COMPACT: Final = re.compile(r"\s*((?:19|20)\d{2})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?\s*")

_PUBLISHED_LABEL = (r"기사\s*입력|최초\s*입력|입력|기사\s*등록|등록|기사\s*승인|승인|게재|발행|작성|송고|보도|공개"
                    r"|기사\s*전송|전송"
                    r"|published|posted|created|first\s+published")
_UPDATED_LABEL: Final = r"최종\s*수정|기사\s*수정|수정|최종\s*업데이트|업데이트|갱신|편집|updated|modified|last\s+updated"
_LABEL_BEFORE: Final = re.compile(
    rf"(?:(?P<pub>{_PUBLISHED_LABEL})|(?P<upd>{_UPDATED_LABEL}))"
    r"\s*(?:일시|일자|시간|시각|날짜|일|time|date|on|at)?\s*[:：]?[\s|/·•\[\]()<>-]*$",
    re.I,
)
_LABEL_AFTER: Final = re.compile(r"^\s*(?:(?P<pub>입력|송고|등록|게재|발행)|(?P<upd>수정|업데이트))(?![가-힣])", re.I)
_LABEL_REACH: Final = 24  # how far before a date its label may stand

_Span = tuple[int, int, datetime, bool, bool]  # start, end, value, has_time, relative


def parse_date(text: str, timezone: str = DEFAULT_ZONE, now: datetime | None = None) -> datetime | None:
    """The first date in `text` as an aware datetime, in `timezone` when the text gives no offset."""
    if not text:
        return None
    zone = _zone(timezone)
    compact = _COMPACT.fullmatch(text)
    if compact:
        return _compact(compact, zone)
    clock = _TIME_ONLY.fullmatch(text)
    if clock:  # a listing's "15:26" means today (or last night, if that is still to come)
        return _today_at(clock, _now(now, zone))
    found = scan_dates(text, timezone, now)
    return found[0].value if found else None


def find_dates(text: str, timezone: str = DEFAULT_ZONE,
               now: datetime | None = None) -> tuple[datetime | None, datetime | None]:
    """(published, updated) from a date line or block, e.g. `입력 2019.12.01 15:26 | 수정 2019.12.02 15:30`."""
    return pick_dates(scan_dates(text, timezone, now))


def pick_dates(found: list[FoundDate]) -> tuple[datetime | None, datetime | None]:
    """Published: the first labelled so, else the first unlabelled date with a time, else the first bare date."""
    published = next((f.value for f in found if f.kind == "published"), None)
    if published is None:
        plain = [f for f in found if not f.kind]
        timed = [f for f in plain if f.has_time]
        published = (timed or plain)[0].value if (timed or plain) else None
    updated = next((f.value for f in found if f.kind == "updated"), None)
    if published is not None and updated is not None and updated < published:
        updated = None
    return published, updated


def scan_dates(text: str, timezone: str = DEFAULT_ZONE, now: datetime | None = None) -> list[FoundDate]:
    """Every date expression in `text`, in order, with whether it has a time and what label names it."""
    if not text:
        return []
    zone = _zone(timezone)
    current: datetime | None = None
    spans: list[_Span] = []
    for pattern, build, hint, relative in _SCANS:
        if not hint(text):  # cheap tests first: most texts hold no date of most kinds
            continue
        if relative and current is None:
            current = _now(now, zone)
        for match in pattern.finditer(text):
            built = build(match, zone, current)  # type: ignore[arg-type]  # only relative builders read it
            if built is not None:
                spans.append((match.start(), match.end(), *built, relative))
    chosen = _without_overlaps(spans)
    return [_labelled(text, chosen, i) for i in range(len(chosen))]


def _without_overlaps(spans: list[_Span]) -> list[_Span]:
    kept: list[_Span] = []
    for span in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    return kept


def _labelled(text: str, spans: list[_Span], i: int) -> FoundDate:
    start, end, value, has_time, relative = spans[i]
    floor = spans[i - 1][1] if i else 0
    before = _LABEL_BEFORE.search(text[max(floor, start - _LABEL_REACH):start])
    kind = _kind(before)
    if not kind:
        ceiling = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        after = _LABEL_AFTER.match(text[end:ceiling])
        # "… 15:26 수정 2019.12.02" — a word right before the next date is that date's label.
        if after and (i + 1 >= len(spans) or ceiling - (end + after.end()) > 8):
            kind = _kind(after)
    return FoundDate(start, end, value, has_time, kind, relative)


def _kind(match: re.Match[str] | None) -> str:
    if match is None:
        return ""
    return "published" if match.group("pub") else "updated"


# --- builders: a regex match to (value, has_time) or None when the date is impossible -------------------


def _calendar(match: re.Match[str], zone: tzinfo, *, month: int | None = None,
              century: int = 0) -> tuple[datetime, bool] | None:
    groups = match.groupdict()
    year, day = century + int(groups["year"]), int(groups["day"])
    month = month if month is not None else int(groups["month"])
    clock = _clock(match, groups)
    if clock is None:
        return None
    hour, minute, second, has_time = clock
    tz = (_offset(match, groups) if groups.get("zone") or groups.get("offset") else None) or zone
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz), has_time
    except ValueError:
        return None


def _numeric(match: re.Match[str], zone: tzinfo, now: datetime) -> tuple[datetime, bool] | None:
    return _calendar(match, zone)


def _short_numeric(match: re.Match[str], zone: tzinfo, now: datetime) -> tuple[datetime, bool] | None:
    found = _calendar(match, zone, century=2000)
    if found is not None and found[0].year > datetime.now(zone).year + 1:
        found = _calendar(match, zone, century=1900)
    return found


def _named_month(match: re.Match[str], zone: tzinfo, now: datetime) -> tuple[datetime, bool] | None:
    month = _MONTHS.get(match.group("mon")[:3].casefold())  # "ſep" matches "sep" ignoring case
    return _calendar(match, zone, month=month) if month is not None else None


_UNIT_SECONDS = (
    (("mo", "개월", "달"), 30 * 86400), (("초", "s"), 1), (("분", "m"), 60), (("시", "h"), 3600),
    (("일", "d"), 86400), (("주", "w"), 7 * 86400), (("년", "y"), 365 * 86400),
)


def _relative(match: re.Match[str], zone: tzinfo, now: datetime) -> tuple[datetime, bool] | None:
    if match.group("now"):
        return now, True
    n, unit = int(match.group("n")), match.group("unit").lower()
    step = next((secs for prefixes, secs in _UNIT_SECONDS if unit.startswith(prefixes)), 0)
    if not step:
        return None
    return now - timedelta(seconds=n * step), step < 86400


def _day_word(match: re.Match[str], zone: tzinfo, now: datetime) -> tuple[datetime, bool] | None:
    back = {"오늘": 0, "today": 0, "어제": 1, "yesterday": 1, "그제": 2, "그저께": 2}[match.group("word").lower()]
    day = (now - timedelta(days=back)).date()
    clock = _clock(match) if match.group("hour") else (0, 0, 0, False)
    if clock is None:
        return None
    hour, minute, second, has_time = clock
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=now.tzinfo), has_time


_Builder = Callable[[re.Match[str], tzinfo, datetime], "tuple[datetime, bool] | None"]
_BUILDERS: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_NUMERIC, _numeric),
    (_SHORT_NUMERIC, _short_numeric),
    (_HANGUL_DATE, _numeric),
    (_DAY_MONTH_YEAR, _named_month),
    (_MONTH_DAY_YEAR, _named_month),
    (_TIME_MONTH_DAY_YEAR, _named_month),
    (_RELATIVE, _relative),
    (_DAY_WORD, _day_word),
)
_RELATIVE_PATTERNS: Final = (_RELATIVE, _DAY_WORD)
# What each pattern cannot match without. An ASCII letter in a pattern matches, ignoring case, only ASCII letters
# and İ ı ſ K, which casefold() turns into ASCII (a case-insensitive regex is slow on Hangul; these tests are not).
_YEAR_HINT: Final = re.compile(r"(?:19|20)\d\d")  # _YEAR_RE
_SHORT_HINT: Final = re.compile(r"\d\d[./-]\d")  # _SHORT_NUMERIC
_LATIN: Final = re.compile(r"[A-Za-z\u0130\u0131\u017f\u212a]")
_MONTH_HINT: Final = re.compile(r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec")  # _MONTH_RE, on casefolded text


def _months(text: str) -> bool:
    return bool(_LATIN.search(text) and _MONTH_HINT.search(text.casefold()))


def _calendar_hint(text: str) -> bool:
    return bool(_YEAR_HINT.search(text))


def _relative_hint(text: str) -> bool:
    if "전" in text or "방금" in text:
        return True
    if not _LATIN.search(text):
        return False
    folded = text.casefold()
    return "ago" in folded or "just" in folded


def _day_word_hint(text: str) -> bool:
    if "그저께" in text or "그제" in text or "어제" in text or "오늘" in text:
        return True
    if not _LATIN.search(text):
        return False
    folded = text.casefold()
    return "yesterday" in folded or "today" in folded


_HINTS: dict[re.Pattern[str], Callable[[str], bool]] = {
    _NUMERIC: _calendar_hint,
    _SHORT_NUMERIC: lambda text: (":" in text or "시" in text) and _SHORT_HINT.search(text) is not None,
    _HANGUL_DATE: lambda text: ("년" in text or "年" in text) and _calendar_hint(text),
    _DAY_MONTH_YEAR: lambda text: _calendar_hint(text) and _months(text),
    _MONTH_DAY_YEAR: lambda text: _calendar_hint(text) and _months(text),
    _TIME_MONTH_DAY_YEAR: lambda text: ":" in text and _calendar_hint(text) and _months(text),
    _RELATIVE: _relative_hint,
    _DAY_WORD: _day_word_hint,
}
# (pattern, builder, hint, relative) in the order scan_dates tries them
_SCANS: Final = tuple((pattern, build, _HINTS[pattern], pattern in _RELATIVE_PATTERNS) for pattern, build in _BUILDERS)


def _clock(match: re.Match[str], groups: dict[str, Any] | None = None) -> tuple[int, int, int, bool] | None:
    """(hour, minute, second, has_time); None for an impossible time such as 25:00 or 오후 13시 5분."""
    groups = groups if groups is not None else match.groupdict()
    if groups.get("hour") is None:
        return 0, 0, 0, False
    hour = int(groups["hour"])
    minute = int(groups.get("minute") or groups.get("kmin") or (30 if groups.get("half") else 0))
    second = min(int(groups.get("second") or groups.get("ksec") or 0), 59)  # a leap second is :59
    meridiem = (groups.get("mer") or groups.get("mer2") or "").lower()
    clock_hour = _twelve_hour(hour, meridiem) if meridiem else hour
    if clock_hour is None or not (0 <= clock_hour <= 23 and 0 <= minute <= 59):
        return None
    return clock_hour, minute, second, True


def _twelve_hour(hour: int, meridiem: str) -> int | None:
    if hour > 12:  # "오후 15:30" happens; the 24-hour figure is the truth
        return hour if meridiem not in _AM else None
    if meridiem in _PM or (meridiem == "밤" and hour >= 6) or (meridiem == "낮" and hour < 6):
        return hour % 12 + 12
    if meridiem in _AM or meridiem == "밤":
        return hour % 12
    return hour


def _offset(match: re.Match[str], groups: dict[str, Any] | None = None) -> tzinfo | None:
    groups = groups if groups is not None else match.groupdict()
    minutes = 0
    found = False
    if groups.get("zone"):
        minutes, found = _ZONES[groups["zone"].lower()], True
    if groups.get("offset"):
        raw = groups["offset"].replace(":", "")
        sign = -1 if raw[0] == "-" else 1
        digits = raw[1:]
        hours, mins = (int(digits[:-2]), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
        if hours > 14 or mins > 59:
            return None
        minutes, found = minutes + sign * (hours * 60 + mins), True
    return dt_timezone(timedelta(minutes=minutes)) if found else None


def _compact(match: re.Match[str], zone: tzinfo) -> datetime | None:
    year, month, day, hour, minute, second = (int(p) if p else 0 for p in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:
        return None


def _today_at(match: re.Match[str], now: datetime) -> datetime | None:
    clock = _clock(match)
    if clock is None:
        return None
    hour, minute, second, _ = clock
    tz = _offset(match) or now.tzinfo
    value = now.astimezone(tz).replace(hour=hour, minute=minute, second=second, microsecond=0)
    return value - timedelta(days=1) if value > now + timedelta(minutes=5) else value


def _now(now: datetime | None, zone: tzinfo) -> datetime:
    if now is None:
        return datetime.now(zone)
    return now.replace(tzinfo=zone) if now.tzinfo is None else now


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo:
    """The zone named; an unknown name falls back to Asia/Seoul (config validation reports bad names)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return ZoneInfo(DEFAULT_ZONE)
