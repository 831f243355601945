"""The gazetteer: the shipped data, user files that add and override, and one-line validation errors."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sinowatch.entities import Gazetteer, Matcher, load_gazetteer
from sinowatch.entities.gazetteer import TYPES
from sinowatch.errors import ConfigError


def test_shipped_gazetteer_is_broad() -> None:
    gazetteer = load_gazetteer()
    assert isinstance(gazetteer, Gazetteer) and len(gazetteer) >= 250
    by_type = Counter(entity.type for entity in gazetteer)
    assert set(by_type) <= TYPES
    for kind, least in {"company": 60, "person": 30, "place": 40, "gov": 10, "university": 15, "model": 8}.items():
        assert by_type[kind] >= least, kind
    baidu = gazetteer.get("baidu")
    assert baidu is not None and (baidu.name_ko, baidu.name_zh, baidu.country) == ("바이두", "百度", "CN")
    assert gazetteer.get("no-such-entity") is None
    assert all(e.id and e.name_en and e.name_ko and e.country for e in gazetteer)


def _write(tmp_path: Path, text: str, name: str = "entities.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_file_overrides_and_adds(tmp_path: Path) -> None:
    user = _write(tmp_path, """
[[entity]]
id = "baidu"
type = "company"
country = "CN"
name_en = "Baidu"
name_ko = "바이두"
name_zh = "百度"
aliases = ["빠이두"]

[[entity]]
id = "moerzhineng"
type = "company"
country = "CN"
name_en = "Moer Intelligence"
name_ko = "모얼즈넝"
name_zh = "墨尔智能"
alias = [{ text = "모얼", context = true }]
cues = ["로봇"]
""")
    shipped = load_gazetteer()
    gazetteer = load_gazetteer([user])
    assert len(gazetteer) == len(shipped) + 1
    assert gazetteer.get("moerzhineng") is not None
    matcher = Matcher(gazetteer)
    text = "빠이두와 모얼즈넝(墨尔智能)이 협력한다. 로봇 기업 모얼은 상장을 준비한다."
    found = {h.entity.id for h in matcher.tag(text)}
    assert found == {"baidu", "moerzhineng"}
    assert not matcher.tag("바이뚜는 검색 기업이다.")  # the override replaced the shipped aliases
    assert not matcher.tag("어제 모얼 씨가 왔다.")  # an ambiguous alias needs its context
    assert not matcher.suggest("모얼즈넝(墨尔智能)")  # a known name is no suggestion


ENTITY = """
[[entity]]
id = "{id}"
type = "{type}"
country = "CN"
name_en = "Foo"
name_ko = "푸푸커지"
{extra}
"""


@pytest.mark.parametrize(("text", "parts"), [
    (ENTITY.format(id="foo", type="compny", extra=""), ['entity "foo"', '"type"', 'unknown type "compny"']),
    ("[[entity]]\nid = \"foo\"\ntype = \"company\"\nname_en = \"Foo\"\n", ['entity "foo"', 'missing field "name_ko"']),
    ("[[entity]]\ntype = \"company\"\nname_en = \"Foo\"\nname_ko = \"푸\"\n", ["entity #1", 'missing field "id"']),
    (ENTITY.format(id="Foo Bar", type="company", extra=""), ['entity "Foo Bar"', '"id"', "slug"]),
    (ENTITY.format(id="foo", type="company", extra="colour = 1"), ['entity "foo"', 'unknown field "colour"']),
    (ENTITY.format(id="foo", type="company", extra="aliases = \"푸\""), ['entity "foo"', '"aliases"', "list"]),
    (ENTITY.format(id="foo", type="company", extra="aliases = [\"바이두\"]"),
     ['entity "foo"', '"aliases"', '"바이두"', 'entity "baidu"']),
    (ENTITY.format(id="foo", type="company", extra="aliases = [\"商湯科技\"]"),
     ['entity "foo"', '"aliases"', 'entity "sensetime"']),
    (ENTITY.format(id="foo", type="company", extra="alias = [{ text = \"푸푸\", contxt = true }]"),
     ['entity "foo"', '"alias"', 'unknown rule "contxt"']),
    (ENTITY.format(id="foo", type="company", extra="alias = [{ text = \"푸푸\", context = \"yes\" }]"),
     ['entity "foo"', '"alias.context"']),
    (ENTITY.format(id="foo", type="company", extra="alias = [{ context = true }]"), ['entity "foo"', '"alias"']),
    (ENTITY.format(id="foo", type="company", extra="parent = \"nobody\""), ['entity "foo"', '"parent"', "nobody"]),
    (ENTITY.format(id="foo", type="company", extra="aliases = [\"푸\"]"), ['entity "foo"', '"aliases"', "short"]),
    (ENTITY.format(id="foo", type="company", extra="") * 2, ['entity "foo"', '"id"', "twice"]),
    (ENTITY.format(id="foo", type="company", extra="").replace('"CN"', '"China"'), ['entity "foo"', '"country"']),
    ("[[entity]\nid = ", ["not valid TOML"]),
    ("[context.plase]\nnear = [\"시\"]\n", ["context", '"plase"']),
    ("[sources]\n", ['unknown key "sources"']),
])
def test_validation_errors_name_file_entity_and_field(tmp_path: Path, text: str, parts: list[str]) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_gazetteer([path])
    message = str(caught.value)
    assert "\n" not in message and message.startswith(f"{path}:")
    for part in parts:
        assert part in message, (part, message)
    assert caught.value.exit_code == 2


def test_missing_user_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="nope.toml"):
        load_gazetteer([tmp_path / "nope.toml"])


def test_ambiguous_alias_may_be_shared(tmp_path: Path) -> None:
    extra = 'alias = [{ text = "바이두", context = true }]'
    user = _write(tmp_path, ENTITY.format(id="foo", type="company", extra=extra))
    gazetteer = load_gazetteer([user])
    hits = {h.entity.id for h in Matcher(gazetteer).tag("바이두는 검색 기업이다.")}
    assert hits == {"baidu"}  # the plain owner wins over an ambiguous one without context


def test_shipped_data_is_found_through_importlib_resources() -> None:
    from importlib import resources

    shipped = resources.files("sinowatch.entities") / "data" / "gazetteer.toml"
    assert shipped.is_file()
    assert "[[entity]]" in shipped.read_text(encoding="utf-8")
