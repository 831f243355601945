"""Logging setup: text lines by default, JSON lines with --log-json; extra fields (source, job, duration) kept."""

from __future__ import annotations

import json
import logging
import sys

STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "taskName"}


def _extras(record: logging.LogRecord) -> dict[str, object]:
    return {k: v for k, v in record.__dict__.items() if k not in STANDARD and not k.startswith("_")}


class TextFormatter(logging.Formatter):
    """`2026-11-21 08:00:01 INFO sinowatch.daemon: fetched source=people-kr duration=1.2 new=3`."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(f"{k}={v}" for k, v in _extras(record).items() if v is not None)
        return super().format(record) + (f" {extras}" if extras else "")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and the extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                                   "logger": record.name, "message": record.getMessage(), **_extras(record)}
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


def configure(verbose: int = 0, as_json: bool = False) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if as_json else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if verbose > 2 else logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.DEBUG if verbose > 2 else logging.WARNING)
