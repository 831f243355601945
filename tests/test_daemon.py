"""`sinowatch run` as real processes: schedule, SIGTERM, SIGHUP, the SQLite lock, metrics, scale-out on
PostgreSQL with leases, a daemon killed mid-fetch, and database connections cut under a running daemon."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from tests.helpers.site import Reply, Site
from tests.helpers.smtp import SmtpSink, free_port
from tests.test_fetch_pipeline import page, rss


def wait_for(predicate: Callable[[], bool], timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def write_config(tmp: Path, site: Site, sources: dict[str, str], *, db: str = "sqlite:///var/d.db",
                 extra: str = "") -> Path:
    feeds = tmp / "feeds"
    feeds.mkdir(exist_ok=True)
    for old in feeds.glob("*.toml"):
        old.unlink()
    for name, interval in sources.items():
        (feeds / f"{name}.toml").write_text(f'[[source]]\nname = "{name}"\nurl = "{site.url(f"/{name}.xml")}"\n'
                                            f'kind = "feed"\ninterval = "{interval}"\n', encoding="utf-8")
    config = tmp / "sinowatch.toml"
    config.write_text(f'database_url = "{db}"\n[fetch]\nallow_private_addresses = true\nhost_delay = 0\n'
                      f'retries = 0\ntimeout = 5\n{extra}', encoding="utf-8")
    return config


@contextmanager
def daemon(config: Path, *extra: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-m", "sinowatch", "--config", str(config), "-v", *extra, "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=config.parent)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)


def stop(proc: subprocess.Popen[str], timeout: float = 40) -> tuple[int, str]:
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err


def titles(tmp: Path) -> list[str]:
    with sqlite3.connect(tmp / "var" / "d.db") as db:
        return sorted(r[0] for r in db.execute("select title from articles"))


def serve_feed(site: Site, name: str, *slugs: str) -> None:
    site.add(f"/{name}.xml", rss(site, *slugs), content_type="application/rss+xml")


def test_fetches_on_schedule_and_stops_on_sigterm(tmp_path: Path, site: Site) -> None:
    serve_feed(site, "t", "one", "two")
    site.add("/a/one", page("바이두 새 모델 공개", "one", "바이두"))
    site.add("/a/two", page("화웨이 칩 로드맵", "two", "화웨이"))
    with daemon(write_config(tmp_path, site, {"t": "2s"})) as proc:
        assert wait_for(lambda: site.hits("/t.xml") >= 2), "the source was not fetched again on its interval"
        code, err = stop(proc)
    assert code == 0 and "SIGTERM received" in err, err
    assert titles(tmp_path) == ["바이두 새 모델 공개", "화웨이 칩 로드맵"]
    assert site.hits("/a/one") == 1  # the second run found the URL known and did not fetch it again


def test_sigterm_during_a_fetch_lets_it_finish_and_store(tmp_path: Path, site: Site) -> None:
    serve_feed(site, "t", "slow")
    started: list[float] = []

    def slow(h: BaseHTTPRequestHandler) -> Reply:
        started.append(time.monotonic())
        time.sleep(2)
        return Reply(200, page("텐센트 새 모델 공개", "slow", "텐센트").encode(), {"Content-Type": "text/html"})
    site.handle("/a/slow", slow)
    with daemon(write_config(tmp_path, site, {"t": "1h"})) as proc:
        assert wait_for(lambda: bool(started))
        code, err = stop(proc)
    assert code == 0, err
    assert titles(tmp_path) == ["텐센트 새 모델 공개"]


def test_sighup_adds_a_source_and_a_broken_config_keeps_the_old(tmp_path: Path, site: Site) -> None:
    serve_feed(site, "a", "one")
    serve_feed(site, "b", "two")
    site.add("/a/one", page("바이두 새 모델 공개", "one", "바이두"))
    site.add("/a/two", page("화웨이 칩 로드맵", "two", "화웨이"))
    config = write_config(tmp_path, site, {"a": "1h"})
    with daemon(config) as proc:
        assert wait_for(lambda: site.hits("/a.xml") == 1)
        write_config(tmp_path, site, {"a": "1h", "b": "1h"})
        proc.send_signal(signal.SIGHUP)
        assert wait_for(lambda: site.hits("/b.xml") == 1), "the new source was not fetched after SIGHUP"
        config.write_text(config.read_text() + "\nthis is = not [toml\n")
        proc.send_signal(signal.SIGHUP)
        time.sleep(1.5)
        assert proc.poll() is None
        code, err = stop(proc)
    assert code == 0
    assert "configuration not reloaded" in err and "still running on the old one" in err
    assert titles(tmp_path) == ["바이두 새 모델 공개", "화웨이 칩 로드맵"]


def test_a_second_daemon_on_the_same_sqlite_file_is_refused(tmp_path: Path, site: Site) -> None:
    serve_feed(site, "a")
    config = write_config(tmp_path, site, {"a": "1h"})
    with daemon(config) as first:
        assert wait_for(lambda: site.hits("/a.xml") == 1)
        second = subprocess.run([sys.executable, "-m", "sinowatch", "--config", str(config), "run"],
                                capture_output=True, text=True, timeout=60, cwd=tmp_path)
        assert second.returncode == 1
        assert "another `sinowatch run`" in second.stderr and "PostgreSQL" in second.stderr
        assert stop(first)[0] == 0


def test_healthz_and_metrics(tmp_path: Path, site: Site) -> None:
    serve_feed(site, "a", "one")
    site.add("/a/one", page("바이두 새 모델 공개", "one", "바이두"))
    port = free_port()
    config = write_config(tmp_path, site, {"a": "1h"}, extra=f'[daemon]\nmetrics = "127.0.0.1:{port}"\n')
    with daemon(config) as proc:
        assert wait_for(lambda: site.hits("/a/one") == 1)

        def get(path: str) -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
                return str(r.read().decode())
        assert wait_for(lambda: 'sinowatch_articles_total{status="new"} 1.0' in get("/metrics"))
        assert get("/healthz") == "ok\n"
        assert 'sinowatch_fetches_total{outcome="ok"} 1.0' in get("/metrics")
        assert "sinowatch_job_lag_seconds" in get("/metrics")
        assert stop(proc)[0] == 0


@pytest.mark.postgres
def test_three_daemons_share_the_work_and_take_over_a_killed_ones_sources(
        tmp_path: Path, site: Site, pg_url: str, smtp: SmtpSink) -> None:
    names = [f"s{i}" for i in range(10)]
    for name in names:
        serve_feed(site, name, f"{name}-a")
        site.add(f"/a/{name}-a", page(f"{name} 바이두 새 모델 공개", f"{name}-a", "바이두"))
    hang: dict[str, bool] = {"on": True}

    def hanging(h: BaseHTTPRequestHandler) -> Reply:  # s0's feed hangs while the first daemon fetches it
        while hang["on"]:
            time.sleep(0.1)
        return Reply(200, rss(site, "s0-a").encode(), {"Content-Type": "application/rss+xml"})
    site.handle("/s0.xml", hanging)
    extra = (f'[daemon]\nlease = "6s"\n[smtp]\nhost = "{smtp.host}"\nport = {smtp.port}\nretries = 0\n'
             '[[subscription]]\nname = "team"\nto = ["desk@example.org"]\nschedule = "* * * * *"\nsend_empty = true\n')
    config = write_config(tmp_path, site, {n: "4s" for n in names}, db=pg_url, extra=extra)
    config.write_text(config.read_text().replace("timeout = 5", "timeout = 60"))
    procs = [subprocess.Popen([sys.executable, "-m", "sinowatch", "--config", str(config), "-v", "run"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
             for _ in range(3)]
    try:
        assert wait_for(lambda: any(r.path == "/s0.xml" for r in site.requests), 30)
        holder = None
        for proc in procs:  # find the daemon stuck on s0 and kill it mid-fetch
            proc.send_signal(signal.SIGKILL) if holder is None and _holds(pg_url, proc.pid) else None
            holder = holder or (proc if proc.poll() is not None or _holds(pg_url, proc.pid) else None)
        hang["on"] = False
        assert wait_for(lambda: sum(1 for r in site.requests if r.path == "/s0.xml") >= 2, 30), \
            "s0 was not taken over after its lease expired"
        assert wait_for(lambda: len(smtp.messages) >= 1, 75), "no digest was sent"
        time.sleep(8)
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        logs = []
        for proc in procs:
            try:
                logs.append(proc.communicate(timeout=60)[1])
            except subprocess.TimeoutExpired:
                proc.kill()
                logs.append(proc.communicate()[1])
    # no source fetched by two daemons within one interval: feed requests for a source are >= ~4 s apart
    for name in names[1:]:
        times = sorted(r.at for r in site.requests if r.path == f"/{name}.xml")
        assert len(times) >= 2, name
        assert all(b - a >= 3.0 for a, b in zip(times, times[1:], strict=False)), (name, times)
    periods = [m["Message-ID"] for m in smtp.parsed()]
    assert len(periods) == len(set(periods))  # one digest per period, whichever daemon sent it
    # the two survivors stop cleanly (a daemon that died at start, e.g. racing the others to register the
    # sources, would show here with its traceback)
    assert sum(1 for p in procs if p.returncode == 0) == 2, [(p.returncode, log[-3000:]) for p, log in zip(procs, logs)]


def _holds(pg_url: str, pid: int) -> bool:
    """Does the daemon with this pid hold the lease on s0?"""
    import psycopg
    schema = pg_url.split("csearch_path%3D")[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test") as conn:
        row = conn.execute(f"select lease_owner from {schema}.sources where name = 's0'").fetchone()
    return bool(row and row[0] and f":{pid}:" in row[0])


@pytest.mark.postgres
def test_database_connections_cut_under_a_running_daemon(tmp_path: Path, site: Site, pg_url: str) -> None:
    import psycopg
    serve_feed(site, "a", "one")
    site.add("/a/one", page("바이두 새 모델 공개", "one", "바이두"))
    url = pg_url + "&application_name=sinowatch-cut-test"
    config = write_config(tmp_path, site, {"a": "2s"}, db=url)
    with daemon(config) as proc:
        assert wait_for(lambda: site.hits("/a.xml") >= 1)
        for _ in range(3):
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", autocommit=True) as conn:
                conn.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                             "where application_name = 'sinowatch-cut-test'")
            time.sleep(1)
        before = site.hits("/a.xml")
        serve_feed(site, "a", "one", "two")
        site.add("/a/two", page("화웨이 칩 로드맵", "two", "화웨이"))
        assert wait_for(lambda: site.hits("/a/two") == 1 and site.hits("/a.xml") > before, 30), \
            "the daemon did not catch up after its connections were cut"
        assert proc.poll() is None
        code, err = stop(proc)
    assert code == 0, err
    schema = pg_url.split("csearch_path%3D")[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/test") as conn:
        stored = sorted(r[0] for r in conn.execute(f"select title from {schema}.articles"))
    assert stored == ["바이두 새 모델 공개", "화웨이 칩 로드맵"]


