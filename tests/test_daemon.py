"""`sinowatch run` as a real process: fetches on schedule, stops cleanly on SIGTERM with exit 0."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.site import Site
from tests.test_fetch_pipeline import page, rss


def wait_for(predicate, timeout: float = 20.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_daemon_fetches_on_schedule_and_stops_on_sigterm(tmp_path: Path, site: Site) -> None:
    site.add("/feed.xml", rss(site, "one", "two"), content_type="application/rss+xml")
    site.add("/a/one", page("바이두 새 모델 공개", "one", "바이두"))
    site.add("/a/two", page("화웨이 칩 로드맵", "two", "화웨이"))
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "t.toml").write_text(
        f'[[source]]\nname = "t"\nurl = "{site.url("/feed.xml")}"\nkind = "feed"\ninterval = "2s"\n', encoding="utf-8")
    config = tmp_path / "sinowatch.toml"
    config.write_text('database_url = "sqlite:///var/d.db"\n[fetch]\nallow_private_addresses = true\n'
                      'host_delay = 0\n', encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "sinowatch", "--config", str(config), "-v", "run"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert wait_for(lambda: site.hits("/feed.xml") >= 2), "the source was not fetched twice on its interval"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "SIGTERM received" in err
    with sqlite3.connect(tmp_path / "var" / "d.db") as db:
        titles = sorted(r[0] for r in db.execute("select title from articles"))
    assert titles == ["바이두 새 모델 공개", "화웨이 칩 로드맵"]
    assert site.hits("/a/one") == 1  # the second run found the URL known and did not fetch it again
