"""The gazetteer: entities and their aliases, read from the shipped TOML file and the user's own files."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from sinowatch.errors import ConfigError
from sinowatch.models import Entity

from .normalize import fold_key

TYPES = frozenset({"company", "lab", "person", "gov", "programme", "university", "institute", "place",
                   "product", "model", "chip", "org", "media", "event"})
_ENTITY_KEYS = frozenset({"id", "type", "country", "name_en", "name_ko", "name_zh", "aliases", "alias",
                          "cues", "anti", "parent"})
_RULES = ("context", "case_sensitive", "standalone", "suffixes_ok")
_CONTEXT_KEYS = frozenset({"near", "suffix", "anti"})
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_SHORT_CAPS = re.compile(r"(?=.*[A-Z])[A-Z0-9]{2,5}")
SHIPPED_NAME = "gazetteer.toml"


@dataclass(frozen=True)
class Alias:
    """One way of writing an entity's name, with the rules for matching it."""

    text: str
    context: bool = False  # ambiguous: only counts with context
    case_sensitive: bool = False
    standalone: bool = False  # no Hangul syllable may follow, not even a particle
    suffixes_ok: bool = False  # any Hangul syllables may follow


@dataclass(frozen=True)
class Record:
    """An entity with its aliases and context words, and the file it came from."""

    entity: Entity
    aliases: tuple[Alias, ...]
    cues: tuple[str, ...] = ()
    anti: tuple[str, ...] = ()
    parent: str = ""
    file: str = ""


@dataclass
class Gazetteer:
    """All entities by id, in file order, plus the context words per entity type."""

    records: dict[str, Record] = field(default_factory=dict)
    context: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    generic: frozenset[str] = frozenset()  # words `suggest` never offers

    def get(self, entity_id: str) -> Entity | None:
        record = self.records.get(entity_id)
        return record.entity if record else None

    def record(self, entity_id: str) -> Record | None:
        return self.records.get(entity_id)

    def __iter__(self) -> Iterator[Entity]:
        return (record.entity for record in self.records.values())

    def __len__(self) -> int:
        return len(self.records)

    def __contains__(self, entity_id: object) -> bool:
        return entity_id in self.records


def shipped_path() -> Path:
    return Path(str(resources.files("sinowatch.entities") / "data" / SHIPPED_NAME))


def load_gazetteer(extra: Sequence[Path] = ()) -> Gazetteer:
    """The shipped gazetteer, then each user file in order: an existing id is replaced, a new id added."""
    gazetteer = Gazetteer()
    shipped = resources.files("sinowatch.entities") / "data" / SHIPPED_NAME
    _merge(gazetteer, SHIPPED_NAME, shipped.read_text(encoding="utf-8"))
    for path in extra:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the entity file: {exc.strerror or exc}") from exc
        _merge(gazetteer, str(path), text)
    _check(gazetteer)
    return gazetteer


def _merge(gazetteer: Gazetteer, name: str, text: str) -> None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{name}: not valid TOML: {exc}") from exc
    for key in data:
        if key not in {"entity", "context", "suggest", "version"}:
            raise ConfigError(f'{name}: unknown key "{key}" (expected entity, context or suggest)')
    for etype, table in _table(data.get("context", {}), name, "context").items():
        if etype not in TYPES:
            raise ConfigError(f'{name}: context: unknown type "{etype}"')
        for key, words in _table(table, name, f"context.{etype}").items():
            if key not in _CONTEXT_KEYS:
                raise ConfigError(f'{name}: context.{etype}: unknown field "{key}"')
            known = gazetteer.context.setdefault(etype, {}).get(key, ())
            added = _strings(words, name, f"context.{etype}.{key}")
            gazetteer.context[etype][key] = known + tuple(w for w in added if w not in known)
    suggest = _table(data.get("suggest", {}), name, "suggest")
    gazetteer.generic |= frozenset(_strings(suggest.get("generic", []), name, "suggest.generic"))
    entities = data.get("entity", [])
    if not isinstance(entities, list):
        raise ConfigError(f"{name}: entity must be an array of tables ([[entity]])")
    seen: set[str] = set()
    for number, raw in enumerate(entities, 1):
        record = _record(raw, name, number)
        if record.entity.id in seen:
            raise ConfigError(f'{name}: entity "{record.entity.id}": field "id": defined twice in this file')
        seen.add(record.entity.id)
        gazetteer.records.pop(record.entity.id, None)  # an override moves to the end, after what it uses
        gazetteer.records[record.entity.id] = record


def _record(raw: object, name: str, number: int) -> Record:
    if not isinstance(raw, dict):
        raise ConfigError(f"{name}: entity #{number}: must be a table")
    label = f'entity "{raw["id"]}"' if isinstance(raw.get("id"), str) and raw["id"] else f"entity #{number}"
    where = f"{name}: {label}"
    for key in raw:
        if key not in _ENTITY_KEYS:
            raise ConfigError(f'{where}: unknown field "{key}"')
    for key in ("id", "type", "name_en", "name_ko"):
        if key not in raw:
            raise ConfigError(f'{where}: missing field "{key}"')
    values = {key: _string(raw.get(key, ""), where, key) for key in
              ("id", "type", "country", "name_en", "name_ko", "name_zh", "parent")}
    for key in ("id", "type", "name_en", "name_ko"):
        if not values[key].strip():
            raise ConfigError(f'{where}: field "{key}" is empty')
    if not _ID.fullmatch(values["id"]):
        raise ConfigError(f'{where}: field "id": "{values["id"]}" is not a slug of a-z, 0-9, - and _')
    if values["type"] not in TYPES:
        raise ConfigError(f'{where}: field "type": unknown type "{values["type"]}" '
                          f"(one of {', '.join(sorted(TYPES))})")
    if values["country"] and not _COUNTRY.fullmatch(values["country"]):
        raise ConfigError(f'{where}: field "country": "{values["country"]}" is not an ISO code like "CN"')
    entity = Entity(id=values["id"], type=values["type"], name_en=values["name_en"].strip(),
                    name_ko=values["name_ko"].strip(), name_zh=values["name_zh"].strip(),
                    country=values["country"])
    ruled = [_ruled(item, where) for item in _list(raw.get("alias", []), where, "alias")]
    plain = [entity.name_en, entity.name_ko, entity.name_zh, *_strings(raw.get("aliases", []), where, "aliases")]
    aliases = _aliases(plain, ruled, where)
    return Record(entity, aliases, tuple(_strings(raw.get("cues", []), where, "cues")),
                  tuple(_strings(raw.get("anti", []), where, "anti")), values["parent"], name)


def _ruled(item: object, where: str) -> Alias:
    if not isinstance(item, dict):
        raise ConfigError(f'{where}: field "alias": each entry must be a table with text = "..."')
    for key in item:
        if key != "text" and key not in _RULES:
            raise ConfigError(f'{where}: field "alias": unknown rule "{key}" (text, {", ".join(_RULES)})')
    if "text" not in item:
        raise ConfigError(f'{where}: field "alias": an entry has no text')
    text = _string(item["text"], where, "alias.text").strip()
    flags = {}
    for key in _RULES:
        value = item.get(key, False)
        if not isinstance(value, bool):
            raise ConfigError(f'{where}: field "alias.{key}" for "{text}" must be true or false')
        flags[key] = value
    if "case_sensitive" not in item and _SHORT_CAPS.fullmatch(text):
        flags["case_sensitive"] = True  # BYD, CAS, MOST: never the lower-case word
    if flags["standalone"] and flags["suffixes_ok"]:
        raise ConfigError(f'{where}: field "alias": "{text}" cannot be both standalone and suffixes_ok')
    return Alias(text, **flags)


def _aliases(plain: list[str], ruled: list[Alias], where: str) -> tuple[Alias, ...]:
    by_key: dict[str, Alias] = {}
    plain_aliases = [Alias(t.strip(), case_sensitive=bool(_SHORT_CAPS.fullmatch(t.strip()))) for t in plain]
    for alias in [a for a in plain_aliases if a.text] + ruled:
        key = fold_key(alias.text)
        if len(key) < 2 and not ("\u3400" <= key[:1] <= "\u9fff"):
            raise ConfigError(f'{where}: field "aliases": "{alias.text}" is too short to match safely')
        if not key[0].isalnum():
            raise ConfigError(f'{where}: field "aliases": "{alias.text}" must start with a letter or digit')
        by_key[key] = alias  # a ruled alias overrides the plain one with the same text
    return tuple(by_key.values())


def _check(gazetteer: Gazetteer) -> None:
    """Cross-entity rules: parents exist, and no alias is a plain name of two entities."""
    owner: dict[str, str] = {}
    for record in gazetteer.records.values():
        where = f'{record.file}: entity "{record.entity.id}"'
        if record.parent and (record.parent not in gazetteer.records or record.parent == record.entity.id):
            raise ConfigError(f'{where}: field "parent": unknown entity "{record.parent}"')
        for alias in record.aliases:
            if alias.context:
                continue
            key = fold_key(alias.text)
            other = owner.setdefault(key, record.entity.id)
            if other != record.entity.id:
                raise ConfigError(f'{where}: field "aliases": "{alias.text}" is already a plain alias of '
                                  f'entity "{other}" (mark one of them context = true)')


def _table(value: object, name: str, what: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ConfigError(f"{name}: {what} must be a table")
    return value


def _list(value: object, where: str, key: str) -> list[object]:
    if not isinstance(value, list):
        raise ConfigError(f'{where}: field "{key}" must be a list')
    return value


def _string(value: object, where: str, key: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f'{where}: field "{key}" must be a string')
    return value


def _strings(value: object, where: str, key: str) -> list[str]:
    items = _list(value, where, key)
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise ConfigError(f'{where}: field "{key}" must be a list of non-empty strings')
    return [item.strip() for item in items]
