"""Source files: `feeds/*.toml`, one `[[source]]` table per source, validated into SourceConfig."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sinowatch.config.fields import Table, http_url, parse_interval, selector, zone
from sinowatch.errors import ConfigError
from sinowatch.models import ArticleRules, ListingRules, SourceConfig, SourceKind

SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
SOURCE_KEYS = {"name", "outlet", "aliases", "url", "kind", "interval", "timezone", "encoding", "enabled",
               "headers", "listing", "article"}


def load_sources(feeds_dir: Path, *, default_timezone: str = "Asia/Seoul",
                 substitutions: Mapping[str, str] | None = None) -> tuple[SourceConfig, ...]:
    """Every source in every `*.toml` file of a directory, in file and table order."""
    sources: list[SourceConfig] = []
    seen: dict[str, Path] = {}
    for path in sorted(feeds_dir.glob("*.toml")):
        for source in load_source_file(path, default_timezone=default_timezone, substitutions=substitutions):
            if source.name in seen:
                raise ConfigError(f"{path}: source {source.name!r}: field 'name': already defined in {seen[source.name]}")
            seen[source.name] = path
            sources.append(source)
    return tuple(sources)


def load_source_file(path: Path, *, default_timezone: str = "Asia/Seoul",
                     substitutions: Mapping[str, str] | None = None) -> list[SourceConfig]:
    """The sources of one file; `substitutions` replaces `{{KEY}}` placeholders (used by the demo)."""
    text = path.read_text(encoding="utf-8")
    for key, value in (substitutions or {}).items():
        text = text.replace("{{" + key + "}}", value)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    Table(data, str(path), {"source"})
    tables = data.get("source", [])
    if not isinstance(tables, list):
        raise ConfigError(f"{path}: 'source' must be an array of tables: write [[source]]")
    return [_source(item, path, i, default_timezone) for i, item in enumerate(tables)]


def _source(item: Any, path: Path, index: int, default_tz: str) -> SourceConfig:
    label = item.get("name") if isinstance(item, Mapping) else None
    where = f"{path}: source {label!r}" if isinstance(label, str) else f"{path}: [[source]] #{index + 1}"
    t = Table(item, where, SOURCE_KEYS)
    name = t.get("name", str, required=True)
    if not SLUG.match(name):
        raise ConfigError(f"{where}: field 'name': use lower-case letters, digits, '-' and '_', got {name!r}")
    kind_text = t.get("kind", str, required=True)
    try:
        kind = SourceKind(kind_text)
    except ValueError:
        raise ConfigError(f"{where}: field 'kind': expected feed, html or sitemap, got {kind_text!r}") from None
    listing = _listing(t.get("listing", dict), where) if "listing" in item else None
    if kind is SourceKind.HTML and listing is None:
        raise ConfigError(f"{where}: field 'listing': an html source needs [source.listing] with 'links'")
    headers = t.get("headers", dict, {})
    if not all(isinstance(k, str) and isinstance(v, str) and "\n" not in k + v for k, v in headers.items()):
        raise ConfigError(f"{where}: field 'headers': expected a table of strings")
    encoding = t.get("encoding", str)
    if encoding is not None:
        _check_codec(encoding, where)
    return SourceConfig(
        name=name, url=http_url(t.get("url", str, required=True), f"{where}: field 'url'"), kind=kind,
        interval=parse_interval(t.get("interval", (str, int, float), "30m"), f"{where}: field 'interval'"),
        timezone=zone(t.get("timezone", str, default_tz), f"{where}: field 'timezone'"),
        outlet=t.get("outlet", str, ""), aliases=t.strings("aliases"), encoding=encoding,
        headers=tuple(headers.items()), enabled=t.get("enabled", bool, True), listing=listing,
        article=_article(t.get("article", dict), where) if "article" in item else None, file=path)


def _listing(data: Mapping[str, Any], where: str) -> ListingRules:
    t = Table(data, f"{where}: [source.listing]", {"links", "title", "date", "next_page", "max_pages"})
    sel = {k: t.get(k, str) for k in ("title", "date", "next_page")}
    for key, value in sel.items():
        if value is not None:
            selector(value, f"{where}: field 'listing.{key}'")
    return ListingRules(links=selector(t.get("links", str, required=True), f"{where}: field 'listing.links'"),
                        max_pages=t.positive("max_pages", int, 1), **sel)


def _article(data: Mapping[str, Any], where: str) -> ArticleRules:
    t = Table(data, f"{where}: [source.article]", {"title", "body", "date", "author", "remove"})
    sel = {k: t.get(k, str) for k in ("title", "body", "date", "author")}
    for key, value in sel.items():
        if value is not None:
            selector(value, f"{where}: field 'article.{key}'")
    remove = tuple(selector(s, f"{where}: field 'article.remove'") for s in t.strings("remove"))
    return ArticleRules(remove=remove, **sel)


def _check_codec(name: str, where: str) -> None:
    import codecs

    try:
        codecs.lookup(name)
    except LookupError:
        raise ConfigError(f"{where}: field 'encoding': unknown encoding {name!r}") from None


def source_toml(name: str, outlet: str, url: str, kind: str = "feed", interval: str = "30m",
                comment: str | None = None) -> str:
    """One `[[source]]` table as TOML text, for files sinowatch writes (OPML import)."""
    def quote(value: str) -> str:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = [f"# {comment}"] if comment else []
    lines += ["[[source]]", f"name = {quote(name)}", f"outlet = {quote(outlet)}", f"url = {quote(url)}",
              f"kind = {quote(kind)}", f"interval = {quote(interval)}", ""]
    return "\n".join(lines)


def slug(text: str, taken: set[str]) -> str:
    """A source name from a title or URL: lower-case ASCII, unique among `taken`."""
    base = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "source"
    if not base[0].isalnum():
        base = f"s-{base}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name
