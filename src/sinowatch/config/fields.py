"""Field readers for TOML tables: every error names the file, the table and the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from selectolax.lexbor import LexborHTMLParser

from sinowatch.errors import ConfigError

INTERVAL = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(value: object, where: str) -> float:
    """`"90s"`, `"30m"`, `"2h"`, `"1d"` or a number of seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    if isinstance(value, str) and (m := INTERVAL.match(value)) and float(m.group(1)) > 0:
        return float(m.group(1)) * UNITS[m.group(2)]
    raise ConfigError(f"{where}: not an interval: {value!r} (use \"90s\", \"30m\", \"2h\" or seconds)")


class Table:
    """Reads one TOML table, naming file and field in every error, refusing unknown keys."""

    def __init__(self, data: Mapping[str, Any], where: str, allowed: set[str]) -> None:
        if not isinstance(data, Mapping):
            raise ConfigError(f"{where}: expected a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ConfigError(f"{where}: unknown key {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})")
        self.data, self.where = data, where

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = None, *, required: bool = False) -> Any:
        if key not in self.data:
            if required:
                raise ConfigError(f"{self.where}: missing required field {key!r}")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _tuple(kind)):
            raise ConfigError(f"{self.where}: field {key!r}: expected {_kind_name(kind)}, got {value!r}")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.get(key, list, [])
        if not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{self.where}: field {key!r}: expected a list of strings")
        return tuple(value)

    def positive(self, key: str, kind: type, default: Any) -> Any:
        value = self.get(key, (int, float) if kind is float else int, default)
        if value <= 0:
            raise ConfigError(f"{self.where}: field {key!r}: must be positive, got {value!r}")
        return kind(value)


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false", list: "a list",
             dict: "a table"}
    return " or ".join(names.get(k, k.__name__) for k in _tuple(kind))


def zone(value: str, where: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown time zone {value!r} (use an IANA name such as Asia/Seoul)") from None
    return value


def http_url(value: str, where: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{where}: not an http(s) URL: {value!r}")
    return value


def selector(value: str, where: str) -> str:
    balanced = value.count("[") == value.count("]") and value.count("(") == value.count(")")
    try:
        LexborHTMLParser("<html></html>").css(value)
    except Exception:  # selectolax raises its own error type for unparsable selectors
        balanced = False
    if not value.strip() or not balanced:
        raise ConfigError(f"{where}: not a valid CSS selector: {value!r}")
    return value


