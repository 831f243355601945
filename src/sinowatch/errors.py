"""The error tree; each error carries a hint for the user and the exit code the CLI gives it.

    SinowatchError                 exit 1 unless said otherwise
    ├── ConfigError                exit 2: a setting, a source file, the gazetteer
    ├── UsageError                 exit 2: bad arguments the parser could not catch
    ├── FetchError                 one request failed; `kind` names why (dns, timeout, http_5xx, ...)
    ├── ParseError                 a page or feed could not be read
    ├── StoreError                 the database refused or is unreachable
    └── DeliveryError              the mail server refused or is unreachable
"""

from __future__ import annotations


class SinowatchError(Exception):
    """Base error: a message, a hint, and the exit code the CLI uses."""

    exit_code = 1
    default_hint = ""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def __str__(self) -> str:
        return self.message


class ConfigError(SinowatchError):
    """A configuration file, source file or setting is wrong."""

    exit_code = 2
    default_hint = "fix the file named above; `sinowatch --help` lists the settings"


class UsageError(SinowatchError):
    """The command line asks for something that cannot be done."""

    exit_code = 2


class FetchError(SinowatchError):
    """One HTTP request failed; `kind` is the named failure stored on the source."""

    KINDS = (
        "dns", "connect", "timeout", "tls", "http_4xx", "http_5xx", "gone", "rate_limited",
        "too_large", "robots_denied", "bad_content", "parse_error", "redirect", "blocked_address",
        "bad_url", "unknown",
    )

    def __init__(self, kind: str, message: str, *, url: str = "", hint: str | None = None,
                 retry_after: float | None = None, status: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.kind = kind if kind in self.KINDS else "unknown"
        self.url = url
        self.retry_after = retry_after
        self.status = status


class ParseError(SinowatchError):
    """A page, feed or stored text could not be read."""

    kind = "parse_error"


class StoreError(SinowatchError):
    """The database refused an operation or cannot be reached."""

    default_hint = "check database_url / SINOWATCH_DATABASE_URL and that the server is up"


class DeliveryError(SinowatchError):
    """The mail server refused the digest or cannot be reached."""

    default_hint = "check the [smtp] settings and that the server is up; nothing was marked delivered"

    def __init__(self, message: str, *, transient: bool = True, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.transient = transient
