"""Typed settings from `sinowatch.toml`, loaded and validated once at start and passed down (no globals)."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sinowatch.config.fields import Table, http_url, parse_interval, zone
from sinowatch.config.sources import load_sources
from sinowatch.errors import ConfigError
from sinowatch.models import SourceConfig
from sinowatch.resources import shipped

CONFIG_NAME = "sinowatch.toml"
DEFAULT_USER_AGENT = "sinowatch/0.1 (+https://github.com/sinowatch/sinowatch)"


@dataclass(frozen=True)
class FetchSettings:
    """The `[fetch]` table: how politely and how hard sinowatch fetches."""

    concurrency: int = 16
    per_host: int = 2
    host_delay: float = 1.0
    timeout: float = 20.0
    max_bytes: int = 5_000_000
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_addresses: bool = False
    retries: int = 2
    workers: int = field(default_factory=lambda: os.cpu_count() or 1)  # processes for extraction; 0: inline


@dataclass(frozen=True)
class RelevanceSettings:
    """The `[relevance]` table: when an article counts as China + AI."""

    threshold: float = 0.5
    china_keywords: tuple[str, ...] = ()
    ai_keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class SmtpSettings:
    """The `[smtp]` table; the password only ever comes from SINOWATCH_SMTP_PASSWORD."""

    host: str = "localhost"
    port: int = 25
    sender: str = "sinowatch <sinowatch@localhost>"
    starttls: bool = False
    ssl: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 30.0
    retries: int = 2  # further attempts after a transient failure (4xx, refused connection)
    ca_file: Path | None = None  # a CA bundle to trust for this server (an internal relay's own CA)
    backoff: float = 2.0  # seconds before the first retry; doubled each time


@dataclass(frozen=True)
class DaemonSettings:
    """The `[daemon]` table: how `sinowatch run` schedules, leases and reports."""

    grace: float = 30.0  # seconds work in flight may take to finish after SIGTERM
    lease: float = 900.0  # seconds a claimed source stays another daemon's; then it may be taken over
    tick: float = 0.5  # seconds between looks for due sources (the lag a due fetch can wait, at most)
    max_parallel: int = 8  # sources fetched at once by one daemon
    metrics: str = ""  # host:port for /healthz and /metrics, e.g. "127.0.0.1:9108"; empty: off


@dataclass(frozen=True)
class Subscription:
    """One `[[subscription]]`: who gets which stories, when."""

    name: str
    to: tuple[str, ...]
    schedule: str = "0 8 * * *"
    timezone: str = "Asia/Seoul"
    entities: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    min_outlets: int = 1
    min_relevance: float = 0.0
    templates: Path | None = None  # this subscription's own template set (overrides templates_dir)
    max_items: int = 50
    send_empty: bool = False


@dataclass(frozen=True)
class Settings:
    """Everything sinowatch is configured with, after validation."""

    path: Path | None  # the config file, or None for built-in defaults
    database_url: str
    feeds_dir: Path
    timezone: str = "Asia/Seoul"
    entities: Path | None = None
    templates_dir: Path | None = None
    out_dir: Path = Path("out")
    fetch: FetchSettings = FetchSettings()
    relevance: RelevanceSettings = RelevanceSettings()
    smtp: SmtpSettings = SmtpSettings()
    daemon: DaemonSettings = DaemonSettings()
    subscriptions: tuple[Subscription, ...] = ()
    sources: tuple[SourceConfig, ...] = ()

    def source(self, name: str) -> SourceConfig:
        for s in self.sources:
            if s.name == name:
                return s
        raise ConfigError(f"no source named {name!r}", hint="`sinowatch sources` lists them")

    def redacted(self) -> dict[str, Any]:
        """The settings as shown to users: secrets hidden."""
        url = re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", self.database_url)
        return {"config": str(self.path) if self.path else "(built-in defaults)", "database_url": url,
                "feeds_dir": str(self.feeds_dir), "timezone": self.timezone,
                "sources": len(self.sources), "subscriptions": [s.name for s in self.subscriptions],
                "smtp": f"{self.smtp.host}:{self.smtp.port}" + (" (password set)" if self.smtp.password else "")}




def find_config(explicit: str | os.PathLike[str] | None, env: Mapping[str, str]) -> Path | None:
    """`--config`, then SINOWATCH_CONFIG, then ./sinowatch.toml; None means built-in defaults."""
    for candidate, origin in ((explicit, "--config"), (env.get("SINOWATCH_CONFIG"), "SINOWATCH_CONFIG")):
        if candidate:
            path = Path(candidate).expanduser()
            if not path.is_file():
                raise ConfigError(f"{origin}: no such file: {path}", hint="give the path of a sinowatch.toml")
            return path
    local = Path.cwd() / CONFIG_NAME
    return local if local.is_file() else None


def load_settings(explicit: str | os.PathLike[str] | None = None,
                  env: Mapping[str, str] | None = None) -> Settings:
    """Find, read and validate the configuration and every source file it points to."""
    env = os.environ if env is None else env
    path = find_config(explicit, env)
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    return settings_from_dict(data, path, env)


TOP_KEYS = {"database_url", "feeds_dir", "timezone", "entities", "templates_dir", "out_dir",
            "fetch", "relevance", "smtp", "daemon", "subscription"}


def settings_from_dict(data: Mapping[str, Any], path: Path | None, env: Mapping[str, str]) -> Settings:
    """Validate a parsed `sinowatch.toml` (relative paths are relative to the file's directory)."""
    name = str(path) if path else CONFIG_NAME
    top = Table(data, name, TOP_KEYS)
    base = path.parent.resolve() if path else Path.cwd()
    url = env.get("SINOWATCH_DATABASE_URL") or top.get("database_url", str, "sqlite:///var/sinowatch.db")
    feeds = top.get("feeds_dir", str)
    if feeds is not None:
        feeds_dir = base / feeds
    else:  # a checkout or a working directory with feeds/ uses it; otherwise the shipped outlets
        feeds_dir = base / "feeds" if (base / "feeds").is_dir() else shipped("feeds")
    if not feeds_dir.is_dir():
        raise ConfigError(f"{name}: field 'feeds_dir': no such directory: {feeds_dir}")
    entities = top.get("entities", str)
    templates = top.get("templates_dir", str)
    tz = zone(top.get("timezone", str, "Asia/Seoul"), f"{name}: field 'timezone'")
    return Settings(
        path=path,
        database_url=resolve_database_url(url, base),
        feeds_dir=feeds_dir,
        timezone=tz,
        entities=base / entities if entities else None,
        templates_dir=base / templates if templates else None,
        out_dir=base / top.get("out_dir", str, "out"),
        fetch=_fetch(top.get("fetch", dict, {}), name),
        relevance=_relevance(top.get("relevance", dict, {}), name),
        smtp=_smtp(top.get("smtp", dict, {}), name, env, base),
        daemon=_daemon(top.get("daemon", dict, {}), name),
        subscriptions=_subscriptions(top.get("subscription", list, []), name, tz, base),
        sources=load_sources(feeds_dir, default_timezone=tz),
    )


def resolve_database_url(url: str, base: Path) -> str:
    """Make a relative SQLite path relative to the config file; accept plain postgresql:// URLs."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and url != "sqlite:///:memory:":
        return f"sqlite:///{(base / url[len('sqlite:///'):]).resolve()}"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    if not url.startswith(("sqlite:", "postgresql+")):
        raise ConfigError(f"database_url: unsupported database {url.split(':', 1)[0]!r}",
                          hint="use sqlite:///path/to/file.db or postgresql://user@host/db")
    return url


def _fetch(data: Mapping[str, Any], name: str) -> FetchSettings:
    t = Table(data, f"{name}: [fetch]", {"concurrency", "per_host", "host_delay", "timeout", "max_bytes",
                                        "user_agent", "allow_private_addresses", "retries", "workers"})
    delay = t.get("host_delay", (int, float), 1.0)
    retries = t.get("retries", int, 2)
    if delay < 0 or retries < 0:
        raise ConfigError(f"{name}: [fetch]: host_delay and retries must not be negative")
    return FetchSettings(concurrency=t.positive("concurrency", int, 16), per_host=t.positive("per_host", int, 2),
                         host_delay=float(delay), timeout=t.positive("timeout", float, 20.0),
                         max_bytes=t.positive("max_bytes", int, 5_000_000),
                         user_agent=t.get("user_agent", str, DEFAULT_USER_AGENT),
                         allow_private_addresses=t.get("allow_private_addresses", bool, False), retries=retries,
                         workers=max(0, t.get("workers", int, os.cpu_count() or 1)))


def _daemon(data: Mapping[str, Any], name: str) -> DaemonSettings:
    t = Table(data, f"{name}: [daemon]", {"grace", "lease", "tick", "max_parallel", "metrics"})
    where = f"{name}: [daemon]"
    return DaemonSettings(
        grace=parse_interval(t.get("grace", (str, int, float), 30), f"{where} field 'grace'"),
        lease=parse_interval(t.get("lease", (str, int, float), 900), f"{where} field 'lease'"),
        tick=parse_interval(t.get("tick", (str, int, float), 0.5), f"{where} field 'tick'"),
        max_parallel=t.positive("max_parallel", int, 8), metrics=t.get("metrics", str, ""))


def _relevance(data: Mapping[str, Any], name: str) -> RelevanceSettings:
    t = Table(data, f"{name}: [relevance]", {"threshold", "china_keywords", "ai_keywords"})
    return RelevanceSettings(threshold=float(t.get("threshold", (int, float), 0.5)),
                             china_keywords=t.strings("china_keywords"), ai_keywords=t.strings("ai_keywords"))


def _smtp(data: Mapping[str, Any], name: str, env: Mapping[str, str], base: Path) -> SmtpSettings:
    t = Table(data, f"{name}: [smtp]", {"host", "port", "from", "starttls", "ssl", "username", "timeout", "retries",
                                        "backoff", "ca_file"})
    ca_file = base / t.get("ca_file", str) if "ca_file" in data else None
    if ca_file is not None and not ca_file.is_file():
        raise ConfigError(f"{name}: [smtp]: field 'ca_file': no such file: {ca_file}")
    if t.get("ssl", bool, False) and t.get("starttls", bool, False):
        raise ConfigError(f"{name}: [smtp]: set either 'ssl' (implicit TLS, port 465) or 'starttls' (port 587), not both")
    port = env.get("SINOWATCH_SMTP_PORT") or t.get("port", int, 25)
    try:
        port = int(port)
    except ValueError:
        raise ConfigError(f"SINOWATCH_SMTP_PORT: not a port number: {port!r}") from None
    return SmtpSettings(host=env.get("SINOWATCH_SMTP_HOST") or t.get("host", str, "localhost"), port=port,
                        sender=t.get("from", str, "sinowatch <sinowatch@localhost>"),
                        starttls=t.get("starttls", bool, False), ssl=t.get("ssl", bool, False),
                        username=env.get("SINOWATCH_SMTP_USERNAME") or t.get("username", str),
                        password=env.get("SINOWATCH_SMTP_PASSWORD") or None,
                        timeout=t.positive("timeout", float, 30.0), retries=max(0, t.get("retries", int, 2)),
                        backoff=max(0.0, float(t.get("backoff", (int, float), 2.0))), ca_file=ca_file)


SUB_KEYS = {"name", "to", "schedule", "timezone", "entities", "keywords", "sources", "min_outlets",
            "min_relevance", "max_items", "send_empty", "templates"}


def _subscriptions(items: list[Any], name: str, default_tz: str, base: Path) -> tuple[Subscription, ...]:
    subs: list[Subscription] = []
    for i, item in enumerate(items):
        where = f"{name}: [[subscription]] #{i + 1}"
        if isinstance(item, Mapping) and isinstance(item.get("name"), str):
            where = f"{name}: subscription {item['name']!r}"
        t = Table(item, where, SUB_KEYS)
        to = t.strings("to")
        if not to or not all("@" in a and "\n" not in a for a in to):
            raise ConfigError(f"{where}: field 'to': expected a list of e-mail addresses")
        schedule = t.get("schedule", str, "0 8 * * *")
        if len(schedule.split()) != 5:
            raise ConfigError(f"{where}: field 'schedule': expected a 5-field cron line, got {schedule!r}")
        subs.append(Subscription(
            name=t.get("name", str, required=True), to=to, schedule=schedule,
            timezone=zone(t.get("timezone", str, default_tz), f"{where}: field 'timezone'"),
            entities=t.strings("entities"), keywords=t.strings("keywords"), sources=t.strings("sources"),
            min_outlets=t.positive("min_outlets", int, 1), max_items=t.positive("max_items", int, 50),
            min_relevance=float(t.get("min_relevance", (int, float), 0.0)),
            templates=base / t.get("templates", str) if "templates" in item else None,
            send_empty=t.get("send_empty", bool, False)))
        if subs[-1].templates is not None and not subs[-1].templates.is_dir():
            raise ConfigError(f"{where}: field 'templates': no such directory: {subs[-1].templates}")
    names = [s.name for s in subs]
    if len(set(names)) != len(names):
        raise ConfigError(f"{name}: two subscriptions share a name")
    return tuple(subs)


__all__ = ["FetchSettings", "RelevanceSettings", "Settings", "SmtpSettings", "Subscription",
           "load_settings", "settings_from_dict", "SourceConfig", "http_url"]
