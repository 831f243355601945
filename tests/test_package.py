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


def test_without_a_working_compiler_the_install_is_pure_python(tmp_path: Path) -> None:
    """hatch_build.py: a compile that fails (here: the C compiler is `false`) leaves a working pure-Python wheel."""
    import shutil
    import zipfile

    copy, wheels, target = tmp_path / "checkout", tmp_path / "wheels", tmp_path / "site"
    for name in ("pyproject.toml", "README.md", "hatch_build.py"):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / name, copy / name)
    for name in ("src", "templates", "feeds"):  # sources only: none of this checkout's compiled modules
        shutil.copytree(REPO / name, copy / name, ignore=shutil.ignore_patterns("*.so", "_native.json", "__pycache__"))
    env = {**os.environ, "CC": "false", "LDSHARED": "false"}
    env.pop("SINOWATCH_PURE", None)
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-v",
                            "-w", str(wheels), str(copy)], env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    assert "mypyc could not compile; the pure Python modules will run" in built.stdout + built.stderr
    [wheel] = wheels.glob("sinowatch-*.whl")
    assert wheel.name.endswith("-py3-none-any.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "sinowatch/parse/dom.py" in names and not [n for n in names if n.endswith(".so")]
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    version = subprocess.run([sys.executable, "-m", "sinowatch", "--version"], cwd=tmp_path, capture_output=True,
                             text=True, env={**os.environ, "PYTHONPATH": str(target)}, timeout=60, check=True)
    assert "pure Python (not compiled at install" in version.stdout


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


_SETTLED_PROBE = """
import gc, weakref
from sinowatch.resources import GC_YOUNG, settle_heap

class Node:
    pass

settle_heap()
assert gc.get_freeze_count() > 1000, gc.get_freeze_count()  # modules, patterns: out of the collector's sight
assert gc.get_threshold()[0] == GC_YOUNG
first = Node(); first.me = first; probe = weakref.ref(first); del first  # cyclic garbage
for _ in range(3 * GC_YOUNG):  # ... is still collected, in a larger round
    other = Node(); other.me = other
assert probe() is None, "a cycle outlived three rounds of the youngest generation"
print("ok")
"""


def test_a_settled_heap_still_collects_cycles() -> None:
    """settle_heap freezes what is alive and raises the youngest generation's threshold; garbage cycles made
    afterwards are still collected (run in a child: freezing is for the whole process)."""
    done = subprocess.run([sys.executable, "-c", _SETTLED_PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr


def test_analysing_workers_and_the_cli_settle_their_heaps(tmp_path: Path) -> None:
    """Each analysing worker settles its heap once its matcher is built; so does a CLI command that opened
    the store and the gazetteer (resources.settle_heap)."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from sinowatch.config import RelevanceSettings
    from sinowatch.pipeline.work import _init
    from sinowatch.resources import GC_YOUNG

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"), initializer=_init,
                             initargs=(None, RelevanceSettings())) as pool:
        assert pool.submit(gc.get_threshold).result(timeout=120)[0] == GC_YOUNG
        assert pool.submit(gc.get_freeze_count).result(timeout=60) > 10_000  # the gazetteer's automaton too
    probe = "from sinowatch.cli import app; app.main(['--config', sys.argv[1], 'sources'])"
    config = tmp_path / "sinowatch.toml"
    config.write_text(f'database_url = "sqlite:///{tmp_path / "db.sqlite"}"\n', encoding="utf-8")
    code = ("import gc, sys, atexit; "
            "atexit.register(lambda: print('threshold', gc.get_threshold()[0], file=sys.stderr)); " + probe)
    done = subprocess.run([sys.executable, "-c", code, str(config)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"threshold {GC_YOUNG}" in done.stderr
