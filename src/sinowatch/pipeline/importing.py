"""Importing chained: stored articles (.txt like the seeds, .html pages, .jsonl) through analyse and store."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from sinowatch.errors import ParseError, UsageError
from sinowatch.fetch.decode import decode_html
from sinowatch.models import Extracted, Status
from sinowatch.parse.article import extract
from sinowatch.parse.dates import parse_date
from sinowatch.parse.textfile import parse_text
from sinowatch.pipeline.core import Context, EventMemo, analyse, store_article

SUFFIXES = {".txt", ".html", ".htm", ".jsonl"}
UNKNOWN_OUTLET = "출처 미상"  # shown in digests when a saved text names no outlet we know


@dataclass
class ImportResult:
    """The outcome for one imported document (one file, or one line of a .jsonl file)."""

    path: str
    status: str  # new | duplicate | near_duplicate | error
    article_id: int | None = None
    duplicate_of: int | None = None
    title: str | None = None
    published: str | None = None
    error: str | None = None

    def as_json(self) -> dict[str, object]:
        out = {"path": self.path, "article_id": self.article_id, "status": self.status,
               "duplicate_of": self.duplicate_of, "title": self.title, "published": self.published}
        if self.error:
            out["error"] = self.error
        return out


def expand(paths: Sequence[str | Path]) -> list[Path]:
    """Files to import: the paths given, directories walked for known suffixes."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES and p.is_file())
        elif path.is_file():
            files.append(path)
        else:
            raise UsageError(f"no such file or directory: {path}")
    return files


def import_paths(ctx: Context, paths: Sequence[str | Path]) -> Iterator[ImportResult]:
    """Import every document; a bad one is reported and the rest go on."""
    outlets = _outlet_zones(ctx)
    memo = EventMemo()
    for path in expand(paths):
        try:
            for label, page, outlet in _documents(path, outlets, ctx.settings.timezone):
                yield _store(ctx, label, page, outlet, memo)
        except (ParseError, UnicodeDecodeError, OSError) as exc:
            yield ImportResult(str(path), "error", error=str(exc))


def _store(ctx: Context, label: str, page: Extracted, outlet: str | None, memo: EventMemo) -> ImportResult:
    if not page.url:
        page.url = Path(label).resolve().as_uri()
    try:
        article, identity = analyse(ctx, page, source="import", outlet=outlet or UNKNOWN_OUTLET)
    except ParseError as exc:
        return ImportResult(label, "error", error=exc.message)
    result = store_article(ctx.store, article, identity, weight=ctx.weight, memo=memo)
    status = Status.DUPLICATE if result.status is Status.KNOWN else result.status
    duplicate_of = result.duplicate_of if result.status is not Status.KNOWN else result.article_id
    return ImportResult(label, status.value, result.article_id, duplicate_of, article.title,
                        article.published.isoformat() if article.published else None)


def _documents(path: Path, outlets: dict[str, str], tz: str) -> Iterator[tuple[str, Extracted, str | None]]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _jsonl(path, tz)
    elif suffix in (".html", ".htm"):
        text, encoding = decode_html(path.read_bytes())
        yield str(path), extract(text, path.resolve().as_uri(), timezone=tz, encoding=encoding), None
    else:
        page, outlet = parse_text(path.read_text(encoding="utf-8-sig"), path=str(path), outlets=outlets,
                                  default_timezone=tz)
        yield str(path), page, outlet


def _jsonl(path: Path, tz: str) -> Iterator[tuple[str, Extracted, str | None]]:
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            label = f"{path}:{n}"
            try:
                doc = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ParseError(f"{label}: not JSON: {exc}") from None
            if not isinstance(doc, dict) or not isinstance(doc.get("body", doc.get("text")), str):
                raise ParseError(f"{label}: expected an object with a \"body\" string")
            body = doc.get("body", doc.get("text"))
            page = Extracted(url=str(doc.get("url") or ""), title=doc.get("title"),
                             paragraphs=[p.strip() for p in body.split("\n\n") if p.strip()],
                             published=parse_date(str(doc.get("published") or ""), tz), author=doc.get("author"))
            yield label, page, doc.get("outlet") or doc.get("source")


def _outlet_zones(ctx: Context) -> dict[str, str]:
    """Every configured outlet name and alias, mapped to the time zone its dates are in."""
    zones: dict[str, str] = {}
    for source in ctx.settings.sources:
        for name in (source.display_name, source.name, *source.aliases):
            zones.setdefault(name, source.timezone)
    return zones

