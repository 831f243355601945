"""The shipped feeds/*.toml files follow the source format of docs/CONTRACTS.md (standalone check)."""

from __future__ import annotations

import codecs
import re
import textwrap
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

ROOT = Path(__file__).resolve().parents[1]
FEEDS_DIR = ROOT / "feeds"
CONTRACTS = ROOT / "docs" / "CONTRACTS.md"

NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
INTERVAL_RE = re.compile(r"^(\d+(?:\.\d+)?)([smhd])$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KINDS = {"feed", "html", "sitemap"}

SOURCE_KEYS = {
    "name", "outlet", "aliases", "url", "kind", "interval", "timezone", "encoding", "enabled",
    "headers", "listing", "article",
}
LISTING_KEYS = {"links", "title", "date", "next_page", "max_pages"}
ARTICLE_KEYS = {"title", "body", "date", "author", "remove"}
SELECTOR_KEYS = ("links", "title", "date", "next_page", "body", "author")


def parse_interval(value: object) -> float:
    """Seconds for "90s" / "30m" / "2h" / "1d" or a plain number; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"interval must be a duration, not {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    elif isinstance(value, str) and (m := INTERVAL_RE.match(value.strip())):
        seconds = float(m.group(1)) * UNIT_SECONDS[m.group(2)]
    else:
        raise ValueError(f"bad interval {value!r}")
    if seconds <= 0:
        raise ValueError(f"interval must be positive, got {value!r}")
    return seconds


def _load(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


FILES = sorted(FEEDS_DIR.glob("*.toml"))
SOURCES: list[tuple[Path, dict[str, Any]]] = [
    (path, src) for path in FILES for src in _load(path).get("source", [])
]


def _id(item: tuple[Path, dict[str, Any]]) -> str:
    return f"{item[0].name}:{item[1].get('name', '?')}"


# --- the helpers themselves ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400), ("1.5h", 5400), (600, 600), (45.5, 45.5)],
)
def test_parse_interval_accepts(text: object, seconds: float) -> None:
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "30 min", "2w", "-5m", "0s", 0, -1, True, None, [30]])
def test_parse_interval_rejects(text: object) -> None:
    with pytest.raises(ValueError):
        parse_interval(text)


def test_allowed_keys_match_the_contract() -> None:
    """The key sets above are the ones the example block in CONTRACTS.md shows."""
    doc = CONTRACTS.read_text(encoding="utf-8")
    start = doc.index("## Source files")
    block = doc[start:doc.index("These become", start)]
    code = "\n".join(line for line in block.splitlines() if line.startswith("    ") or not line.strip())
    example = tomllib.loads(textwrap.dedent(code))
    (src,) = example["source"]
    assert set(src) == SOURCE_KEYS
    assert set(src["listing"]) == LISTING_KEYS
    assert set(src["article"]) == ARTICLE_KEYS


# --- the directory as a whole -------------------------------------------------------------------


def test_feeds_dir_has_the_default_set() -> None:
    assert FILES, "feeds/ holds no *.toml files"
    assert 12 <= len(SOURCES) <= 20, f"{len(SOURCES)} sources; the default set aims for 12-20"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_shape(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#"), f"{path.name}: start with a comment saying where the URLs come from"
    data = tomllib.loads(text)
    assert set(data) == {"source"}, f"{path.name}: only [[source]] tables belong here, got {set(data)}"
    assert isinstance(data["source"], list) and data["source"], f"{path.name}: no [[source]] table"
    outlets = {src.get("outlet") or src.get("name") for src in data["source"]}
    assert len(outlets) == 1, f"{path.name}: one file per outlet, found {outlets}"


def test_names_and_urls_are_unique() -> None:
    seen: dict[str, str] = {}
    urls: dict[str, str] = {}
    for path, src in SOURCES:
        where = f"{path.name}:{src.get('name')}"
        assert src["name"] not in seen, f"{where}: name already used in {seen[src['name']]}"
        seen[src["name"]] = where
        assert src["url"] not in urls, f"{where}: url already used by {urls[src['url']]}"
        urls[src["url"]] = where


def test_outlet_names_point_to_one_outlet() -> None:
    """`import` maps an outlet's names and aliases back to it, so no name may mean two outlets."""
    owner: dict[str, str] = {}
    outlet_file: dict[str, str] = {}
    for path, src in SOURCES:
        outlet = src.get("outlet") or src["name"]
        assert outlet_file.setdefault(outlet, path.name) == path.name, (
            f"outlet {outlet!r} is defined in both {outlet_file[outlet]} and {path.name}"
        )
        for alias in [outlet, *src.get("aliases", [])]:
            key = alias.casefold().strip()
            assert owner.setdefault(key, outlet) == outlet, (
                f"{path.name}: {alias!r} names both {owner[key]!r} and {outlet!r}"
            )


# --- each source --------------------------------------------------------------------------------


@pytest.mark.parametrize("item", SOURCES, ids=_id)
def test_source_fields(item: tuple[Path, dict[str, Any]]) -> None:
    path, src = item
    where = f"{path.name}:{src.get('name', '?')}"

    unknown = set(src) - SOURCE_KEYS
    assert not unknown, f"{where}: unknown keys {sorted(unknown)}"
    for key in ("name", "url", "kind"):
        assert key in src, f"{where}: missing required key {key!r}"

    assert isinstance(src["name"], str) and NAME_RE.match(src["name"]), f"{where}: bad name"

    url = urlsplit(src["url"])
    assert url.scheme in {"http", "https"} and url.hostname, f"{where}: url must be http(s) with a host"

    assert src["kind"] in KINDS, f"{where}: kind must be one of {sorted(KINDS)}"

    assert isinstance(src.get("outlet", ""), str)
    aliases = src.get("aliases", [])
    assert isinstance(aliases, list) and all(isinstance(a, str) and a.strip() for a in aliases)
    assert len({a.casefold() for a in aliases}) == len(aliases), f"{where}: repeated alias"

    if "encoding" in src:
        codecs.lookup(src["encoding"])  # raises LookupError for an unknown codec
    if "enabled" in src:
        assert isinstance(src["enabled"], bool), f"{where}: enabled must be true or false"
    headers = src.get("headers", {})
    assert isinstance(headers, dict)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in headers.items())


@pytest.mark.parametrize("item", SOURCES, ids=_id)
def test_source_interval(item: tuple[Path, dict[str, Any]]) -> None:
    path, src = item
    seconds = parse_interval(src.get("interval", "30m"))
    # The shipped set polls real newsrooms: no more often than every 30 minutes, at least every 2 hours.
    assert 1800 <= seconds <= 7200, f"{path.name}:{src['name']}: interval {src.get('interval')!r}"


@pytest.mark.parametrize("item", SOURCES, ids=_id)
def test_source_timezone(item: tuple[Path, dict[str, Any]]) -> None:
    path, src = item
    zone = src.get("timezone", "Asia/Seoul")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        pytest.fail(f"{path.name}:{src['name']}: {zone!r} is not an IANA zone ({exc})")


@pytest.mark.parametrize("item", SOURCES, ids=_id)
def test_source_rules(item: tuple[Path, dict[str, Any]]) -> None:
    path, src = item
    where = f"{path.name}:{src['name']}"

    listing = src.get("listing")
    if src["kind"] == "html":
        assert isinstance(listing, dict), f"{where}: html sources need a [source.listing] table"
        assert isinstance(listing.get("links"), str) and listing["links"].strip(), f"{where}: no links"
    if listing is not None:
        unknown = set(listing) - LISTING_KEYS
        assert not unknown, f"{where}: unknown [source.listing] keys {sorted(unknown)}"
        max_pages = listing.get("max_pages", 1)
        assert isinstance(max_pages, int) and not isinstance(max_pages, bool) and max_pages >= 1

    article = src.get("article")
    if article is not None:
        unknown = set(article) - ARTICLE_KEYS
        assert not unknown, f"{where}: unknown [source.article] keys {sorted(unknown)}"
        remove = article.get("remove", [])
        assert isinstance(remove, list) and all(isinstance(s, str) for s in remove)


@pytest.mark.parametrize("item", SOURCES, ids=_id)
def test_source_selectors_parse(item: tuple[Path, dict[str, Any]]) -> None:
    lexbor = pytest.importorskip("selectolax.lexbor")
    path, src = item
    page = lexbor.LexborHTMLParser("<html><body><p>x</p></body></html>")
    selectors: list[str] = []
    for table in (src.get("listing") or {}, src.get("article") or {}):
        selectors += [table[k] for k in SELECTOR_KEYS if isinstance(table.get(k), str)]
        selectors += list(table.get("remove", []))
    for selector in selectors:
        try:
            page.css(selector)
        except lexbor.SelectolaxError as exc:
            pytest.fail(f"{path.name}:{src['name']}: CSS selector {selector!r} does not parse ({exc})")
