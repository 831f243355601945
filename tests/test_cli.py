"""The command line: every verb has --help and is in the README; JSON shapes; digest and fetch exit codes."""

from __future__ import annotations

import html as htmlmod
import json
from pathlib import Path

import click
import pytest

from sinowatch.cli import cli, main
from sinowatch.demo.server import site_root
from tests.conftest import REPO
from tests.helpers.smtp import SmtpSink

README = (REPO / "README.md").read_text(encoding="utf-8")


def run(capsys: pytest.CaptureFixture[str], *args: str, stdin: str | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[int, str, str]:
    if stdin is not None and monkeypatch is not None:
        import io
        import sys
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    with pytest.raises(SystemExit) as info:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def commands(group: click.Group, prefix: str = "") -> list[str]:
    names = []
    for name, cmd in group.commands.items():
        names.append(f"{prefix}{name}")
        if isinstance(cmd, click.Group):
            names += commands(cmd, f"{prefix}{name} ")
    return names


@pytest.mark.parametrize("command", commands(cli))
def test_every_command_has_help_and_is_documented(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *command.split(), "--help")
    assert code == 0 and "Usage:" in out and len(out.splitlines()) > 3
    assert f"  {command}" in README, f"README's command list does not mention `{command}`"


def test_settings_are_documented() -> None:
    from sinowatch.config.settings import SUB_KEYS, TOP_KEYS
    example = (REPO / "sinowatch.example.toml").read_text(encoding="utf-8")
    for key in TOP_KEYS | SUB_KEYS:
        assert key in README or key in example, key


def test_tag_json_shape(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    text = "바이두는 화웨이와 손잡고 커다쉰페이(科大訊飛)에 맞선다."
    code, out, _ = run(capsys, "tag", "--json", "-", stdin=text, monkeypatch=monkeypatch)
    assert code == 0
    data = json.loads(out)
    ids = {e["id"]: e for e in data["entities"]}
    assert {"baidu", "huawei", "iflytek"} <= set(ids)
    for e in data["entities"]:
        assert set(e) >= {"id", "name_en", "name_ko", "type", "count", "mentions"}
        for m in e["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_extract_json_shape(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    page = site_root() / "people" / "n3" / "2019" / "0705" / "c203278-9595000.html"
    code, out, _ = run(capsys, "extract", "--json", str(page))
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {"url", "canonical_url", "title", "published", "author", "body", "encoding"}
    assert data["title"] == "중국 인공지능 굴기, 미국과 빅2 체제 돌입…협력 나서는 기업들"
    assert data["published"] == "2019-07-05T15:09:00+09:00"  # no source given: the config's zone applies
    assert data["canonical_url"] == "https://kr.people.example/n3/2019/0705/c203278-9595000.html"
    assert "\n\n" in data["body"]


def test_digest_command_sends_then_has_nothing_new(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch, smtp: SmtpSink) -> None:
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "sinowatch.toml"
    config.write_text(f"""database_url = "sqlite:///var/d.db"
[smtp]
host = "{smtp.host}"
port = {smtp.port}
from = "sinowatch <digest@example.org>"
[[subscription]]
name = "daily"
to = ["reader@example.org"]
""", encoding="utf-8")
    seeds = REPO / "tests" / "data" / "seeds"
    assert run(capsys, "--config", str(config), "import", str(seeds))[0] == 0
    code, out, err = run(capsys, "--config", str(config), "digest", "--dry-run", "--out", str(tmp_path / "o"))
    assert code == 0 and "file://" in out and not smtp.messages
    code, out, err = run(capsys, "--config", str(config), "digest")
    assert code == 0, err
    assert len(smtp.messages) == 1 and "sent 2 stories" in out
    msg = smtp.parsed()[0]
    html = htmlmod.unescape(msg.get_body(("html",)).get_content())  # type: ignore[union-attr]
    assert "중국 AI 뉴스" in str(msg["Subject"])  # decoded from RFC 2047
    for title in ("중국 인공지능 굴기, 미국과 빅2 체제 돌입…협력 나서는 기업들",
                  "中 인공지능(AI) 유명 기업 '인공지능산업공동체 칭다오 선언' 발표"):
        assert html.count(title) == 1, title
    for name in ("바이두", "화웨이", "커다쉰페이", "상탕커지", "칭다오", "인민망"):
        assert name in html, name
    code, out, _ = run(capsys, "--config", str(config), "status")
    assert code == 0 and "daily" in out and "sent" in out
    code, out, _ = run(capsys, "--config", str(config), "digest")
    assert code == 0 and "nothing new" in out and len(smtp.messages) == 1
    code, _, err = run(capsys, "--config", str(config), "digest", "--subscription", "nope")
    assert code == 2 and "nope" in err


def test_digest_command_fails_when_the_server_is_down(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.helpers.smtp import free_port
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "sinowatch.toml"
    config.write_text(f'database_url = "sqlite:///var/d.db"\n[smtp]\nhost = "127.0.0.1"\nport = {free_port()}\n'
                      '[[subscription]]\nname = "daily"\nto = ["reader@example.org"]\n', encoding="utf-8")
    run(capsys, "--config", str(config), "import", str(REPO / "tests" / "data" / "seeds"))
    code, _, err = run(capsys, "--config", str(config), "digest")
    assert code == 1 and "not sent" in err


def test_fetch_exit_code_and_sources_health(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "x.toml").write_text(
        '[[source]]\nname = "dead"\nurl = "http://127.0.0.1:9/rss.xml"\nkind = "feed"\n', encoding="utf-8")
    config = tmp_path / "sinowatch.toml"
    config.write_text('database_url = "sqlite:///var/f.db"\n[fetch]\nallow_private_addresses = true\nretries = 0\n'
                      'host_delay = 0\n', encoding="utf-8")
    code, out, _ = run(capsys, "--config", str(config), "fetch")
    assert code == 1 and "FAILED connect" in out
    code, out, _ = run(capsys, "--config", str(config), "sources")
    assert code == 0 and "FAILING x1 (connect)" in out
    code, out, _ = run(capsys, "--config", str(config), "sources", "--json")
    assert json.loads(out)["last_error_kind"] == "connect"


def test_import_opml(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "feeds").mkdir()
    config = tmp_path / "sinowatch.toml"
    config.write_text('database_url = "sqlite:///var/o.db"\n', encoding="utf-8")
    opml = tmp_path / "mine.opml"
    opml.write_text('<?xml version="1.0"?><opml version="2.0"><body><outline text="China">'
                    '<outline text="AI타임스" type="rss" xmlUrl="https://www.aitimes.com/rss/allArticle.xml"/>'
                    '<outline text="Yonhap &quot;World&quot;" xmlUrl="https://www.yna.co.kr/rss/international.xml"/>'
                    '</outline></body></opml>', encoding="utf-8")
    code, out, err = run(capsys, "--config", str(config), "sources", "import-opml", str(opml))
    assert code == 0, err
    code, out, _ = run(capsys, "--config", str(config), "sources")
    assert "aitimes" in out and "https://www.yna.co.kr/rss/international.xml" in out
