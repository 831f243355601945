"""`sinowatch import --json` on the seed files: titles, dates in each outlet's zone, new then duplicate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sinowatch.cli import main
from tests.conftest import SEEDS

PEOPLE = SEEDS / "people-kr-2019-07-05.txt"
QINGDAO = SEEDS / "qingdao-declaration-2019-12-01.txt"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[dict[str, object]], str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(info.value.code or 0), [json.loads(line) for line in out.out.splitlines() if line.strip()], out.err


@pytest.fixture
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "sinowatch.toml"
    path.write_text('database_url = "sqlite:///var/import.db"\n', encoding="utf-8")
    return str(path)


def test_seeds_import_new_then_duplicate(config: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, rows, err = run(capsys, "--config", config, "import", "--json", str(PEOPLE), str(QINGDAO))
    assert code == 0, err
    people, qingdao = rows
    assert people["status"] == qingdao["status"] == "new"
    assert people["title"] == "중국 인공지능 굴기, 미국과 빅2 체제 돌입…협력 나서는 기업들"
    assert people["published"] == "2019-07-05T15:09:00+08:00"  # People's Daily Korean: Beijing time
    assert qingdao["title"] == "中 인공지능(AI) 유명 기업 '인공지능산업공동체 칭다오 선언' 발표"
    assert qingdao["published"] == "2019-12-01T15:26:00+09:00"  # the first date of "입력 … | 수정 …"
    assert set(people) >= {"path", "article_id", "status", "duplicate_of", "title", "published"}
    code, again, _ = run(capsys, "--config", config, "import", "--json", str(PEOPLE), str(QINGDAO))
    assert code == 0 and [r["status"] for r in again] == ["duplicate", "duplicate"]
    assert [r["duplicate_of"] for r in again] == [people["article_id"], qingdao["article_id"]]


def test_a_copy_under_another_name_is_a_duplicate(config: str, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(PEOPLE.read_text(encoding="utf-8").replace("[사진 출처: CCTV.COM]", "(사진=신화망)"),
                    encoding="utf-8")
    _, rows, _ = run(capsys, "--config", config, "import", "--json", str(PEOPLE), str(copy))
    assert rows[0]["status"] == "new"
    assert rows[1]["status"] in ("duplicate", "near_duplicate") and rows[1]["duplicate_of"] == rows[0]["article_id"]


def test_bad_documents_are_reported_and_the_rest_imported(config: str, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "t", "body": "중국 AI 기업 바이두가 새 모델을 냈다."}\nnot json\n', encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n", encoding="utf-8")
    code, rows, _ = run(capsys, "--config", config, "import", "--json", str(bad), str(empty), str(QINGDAO))
    assert code == 1
    assert [r["status"] for r in rows] == ["new", "error", "error", "new"]
    assert "not JSON" in str(rows[1]["error"])


def test_export_jsonl_round_trip(config: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "--config", config, "import", "--json", str(PEOPLE), str(QINGDAO))
    code, rows, _ = run(capsys, "--config", config, "export", "--format", "jsonl")
    assert code == 0 and len(rows) == 2
    assert set(rows[0]) >= {"id", "url", "source", "title", "published", "body", "status", "duplicate_of", "entities"}
    assert "baidu" in rows[0]["entities"] and "qingdao" in rows[1]["entities"]
