"""Configuration: defaults, overrides, and every kind of mistake exits 2 with one line naming file, source, field."""

from __future__ import annotations

from pathlib import Path

import pytest

from sinowatch.cli import main
from sinowatch.config import load_settings, parse_interval
from sinowatch.errors import ConfigError

GOOD_SOURCE = """
[[source]]
name = "good"
url = "https://example.org/rss.xml"
kind = "feed"
interval = "30m"
"""


def write(tmp_path: Path, config: str = "", **feeds: str) -> Path:
    (tmp_path / "feeds").mkdir(exist_ok=True)
    for name, text in feeds.items():
        (tmp_path / "feeds" / f"{name}.toml").write_text(text, encoding="utf-8")
    path = tmp_path / "sinowatch.toml"
    path.write_text('database_url = "sqlite:///var/test.db"\n' + config, encoding="utf-8")
    return path


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(list(args))
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(exit_info.value.code or 0), out.out, out.err


@pytest.mark.parametrize(("interval", "seconds"), [("90s", 90), ("30m", 1800), ("2h", 7200), ("1d", 86400),
                                                  (600, 600), ("45", 45), (" 5m ", 300)])
def test_intervals(interval: object, seconds: float) -> None:
    assert parse_interval(interval, "x") == seconds


@pytest.mark.parametrize("bad", ["", "5x", "-5m", "0s", True, "m"])
def test_bad_intervals(bad: object) -> None:
    with pytest.raises(ConfigError):
        parse_interval(bad, "x")


def test_relative_paths_and_env_override(tmp_path: Path) -> None:
    path = write(tmp_path, 'feeds_dir = "feeds"\ntimezone = "Asia/Shanghai"\n', a=GOOD_SOURCE)
    settings = load_settings(path, env={})
    assert settings.database_url == f"sqlite:///{(tmp_path / 'var' / 'test.db').resolve()}"
    assert settings.feeds_dir == tmp_path / "feeds"
    assert [s.name for s in settings.sources] == ["good"]
    assert settings.sources[0].timezone == "Asia/Shanghai"  # the config's zone is the sources' default
    env = {"SINOWATCH_DATABASE_URL": "postgresql://sw@db.internal/sw", "SINOWATCH_SMTP_PASSWORD": "s3cret"}
    settings = load_settings(path, env=env)
    assert settings.database_url == "postgresql+psycopg://sw@db.internal/sw"
    assert settings.smtp.password == "s3cret"
    assert "s3cret" not in repr(settings) and "s3cret" not in str(settings.redacted())


def test_config_from_environment_variable(tmp_path: Path) -> None:
    path = write(tmp_path, a=GOOD_SOURCE)
    assert load_settings(None, env={"SINOWATCH_CONFIG": str(path)}).path == path


def test_builtin_defaults_use_the_shipped_outlets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = load_settings(None, env={})
    assert settings.path is None
    assert len(settings.sources) >= 10
    assert any(s.timezone == "Asia/Shanghai" for s in settings.sources)  # Chinese state media's Korean services


CASES = {
    "unknown top-level key": ("databse_url = 'x'\n", {}, ["sinowatch.toml", "databse_url"]),
    "unknown [fetch] key": ("[fetch]\nconcurency = 3\n", {}, ["[fetch]", "concurency"]),
    "wrong type": ("[fetch]\nper_host = 'two'\n", {}, ["[fetch]", "per_host"]),
    "bad zone": ("timezone = 'Asia/Nowhere'\n", {}, ["timezone", "Asia/Nowhere"]),
    "invalid TOML": ("timezone = \n", {}, ["sinowatch.toml", "TOML"]),
    "bad subscription": ("[[subscription]]\nname = 'm'\nto = ['not-an-address']\n", {}, ["subscription 'm'", "'to'"]),
    "missing url": ("", {"x": '[[source]]\nname = "nourl"\nkind = "feed"\n'}, ["x.toml", "'nourl'", "'url'"]),
    "bad url": ("", {"x": '[[source]]\nname = "ftp"\nkind = "feed"\nurl = "ftp://a/b"\n'}, ["x.toml", "'ftp'", "'url'"]),
    "bad kind": ("", {"x": '[[source]]\nname = "k"\nkind = "rss"\nurl = "https://a/b"\n'}, ["'k'", "'kind'"]),
    "bad interval": ("", {"x": '[[source]]\nname = "i"\nkind = "feed"\nurl = "https://a/"\ninterval = "soon"\n'},
                     ["'i'", "'interval'"]),
    "unknown source key": ("", {"x": '[[source]]\nname = "u"\nkind = "feed"\nurl = "https://a/"\nurll = 1\n'},
                           ["'u'", "urll"]),
    "html without listing": ("", {"x": '[[source]]\nname = "h"\nkind = "html"\nurl = "https://a/"\n'},
                             ["'h'", "listing"]),
    "bad selector": ("", {"x": '[[source]]\nname = "s"\nkind = "html"\nurl = "https://a/"\n'
                               '[source.listing]\nlinks = "ul li a[href"\n'}, ["'s'", "listing.links"]),
    "bad article selector": ("", {"x": '[[source]]\nname = "t"\nkind = "feed"\nurl = "https://a/"\n'
                                       '[source.article]\nbody = "##main"\n'}, ["'t'", "article.body"]),
    "bad name": ("", {"x": '[[source]]\nname = "Has Space"\nkind = "feed"\nurl = "https://a/"\n'}, ["'name'"]),
    "duplicate name": ("", {"x": GOOD_SOURCE, "y": GOOD_SOURCE}, ["y.toml", "'good'", "already defined"]),
    "unknown encoding": ("", {"x": '[[source]]\nname = "e"\nkind = "feed"\nurl = "https://a/"\nencoding = "klingon"\n'},
                         ["'e'", "'encoding'"]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_configuration_exits_2_with_one_line(case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config, feeds, expected = CASES[case]
    path = write(tmp_path, config, **feeds)
    code, out, err = run_cli(capsys, "--config", str(path), "sources")
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: ") and len(lines) <= 2, err
    for fragment in expected:
        assert fragment in lines[0], (fragment, lines[0])
    assert not (tmp_path / "var").exists()  # nothing was opened before the configuration was valid


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--config", str(tmp_path / "nope.toml"), "sources")
    assert code == 2 and "no such file" in err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "fetchh")
    assert code == 2 and "fetchh" in err
