"""A plain (non-editable) wheel install works from any directory: templates, gazetteer, feeds and site ship."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_wheel_installs_and_runs_from_anywhere(tmp_path: Path) -> None:
    wheels, target, elsewhere = tmp_path / "wheels", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(REPO)], check=True, capture_output=True)
    [wheel] = wheels.glob("sinowatch-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    env.pop("SINOWATCH_CONFIG", None)

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "sinowatch", *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=240)
        assert done.returncode == 0, done.stderr
        return done.stdout

    where = subprocess.run([sys.executable, "-c", "import sinowatch; print(sinowatch.__file__)"], cwd=elsewhere,
                           env=env, capture_output=True, text=True, check=True).stdout
    assert where.startswith(str(target))  # the installed copy, not the checkout
    assert "people-kr" in run("sources")  # the shipped feeds
    out = run("demo")  # the sample site, the gazetteer and the templates are package data
    assert "new" in out
    html = (elsewhere / "out" / "digest-demo.html").read_text(encoding="utf-8")
    assert "바이두" in html and (elsewhere / "var" / "sinowatch.db").is_file()


def test_malloc_arenas_are_capped_unless_the_environment_says(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The CLI and the analysing workers cap glibc's malloc arenas (resources.limit_malloc_arenas)."""
    import platform
    import sys

    import pytest

    from sinowatch.resources import limit_malloc_arenas

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_malloc_arenas() is False  # the operator's setting wins
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        pytest.skip("glibc only")
    assert limit_malloc_arenas() is True
