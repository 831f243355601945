"""The daemon: APScheduler wiring around the pipeline. What is due and who fetches it lives in the store
(next_fetch_at, leases), so restarts, one-shot `fetch` runs and several daemons on one database agree.

Exit codes of `sinowatch run`: 0 stopped on a signal after work in flight finished (or the grace period
ran out), 1 could not start (database unreachable, another daemon holds the SQLite file), 2 bad configuration.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import signal
import socket
import time
import uuid
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from sinowatch.config import Settings, Subscription, load_settings
from sinowatch.errors import ConfigError, SinowatchError, StoreError
from sinowatch.fetch.client import Fetcher
from sinowatch.metrics import Metrics, serve_metrics
from sinowatch.pipeline import Context, fetch_source, run_digest
from sinowatch.store import leases

log = logging.getLogger("sinowatch.daemon")


class Daemon:
    """Claims due sources every tick and fetches them; sends digests on their cron; stops on a signal."""

    def __init__(self, settings: Settings, config_path: str | None = None) -> None:
        self.settings, self.config_path = settings, config_path
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.stopping = asyncio.Event()
        self.running: set[asyncio.Task[None]] = set()
        self.metrics = Metrics()
        self.scheduler = AsyncIOScheduler(timezone=UTC)
        self.ctx: Context | None = None
        self.fetcher: Fetcher | None = None
        self.lock: IO[str] | None = None
        self.retry_at: dict[str, tuple[float, int]] = {}  # source -> (monotonic time, failures) after a crash

    def _warm(self) -> None:
        """Bring the dedupe index into memory once at start (Store.warm); a failure costs only speed."""
        assert self.ctx is not None
        try:
            rows, seconds = self.ctx.store.warm()
        except Exception as exc:  # noqa: BLE001 - warming is an optimisation, never a reason to stop
            log.warning("could not read the dedupe index ahead: %s", exc)
            return
        log.info("dedupe index read ahead: %d band rows in %.1f s", rows, seconds)

    async def run(self) -> int:
        self.lock = sqlite_lock(self.settings.database_url)
        self.ctx = Context.open(self.settings)
        self.ctx.store.sync_sources(self.settings.sources)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_stop, sig)
        loop.add_signal_handler(signal.SIGHUP, self._on_reload)
        server = await serve_metrics(self.settings.daemon.metrics, self.metrics) if self.settings.daemon.metrics \
            else None
        warming = loop.run_in_executor(None, self._warm)  # in the background: the first checks need not wait
        async with Fetcher(self.settings.fetch) as self.fetcher:
            self._schedule()
            self.scheduler.start()
            log.info("running as %s: %d sources, %d subscriptions", self.owner, len(self.settings.sources),
                     len(self.settings.subscriptions))
            await self.stopping.wait()
            self.scheduler.shutdown(wait=False)
            if self.running:
                log.info("stopping: waiting up to %.0f s for %d job(s)", self.settings.daemon.grace,
                         len(self.running))
                await asyncio.wait(self.running, timeout=self.settings.daemon.grace)
        if server:
            server.close()
        await warming
        self.ctx.close()
        log.info("stopped")
        return 0

    def _schedule(self) -> None:
        d = self.settings.daemon
        self.scheduler.add_job(self._tick, IntervalTrigger(seconds=d.tick), id="tick", max_instances=1,
                               coalesce=True, next_run_time=datetime.now(UTC))
        self.scheduler.add_job(self._housekeeping, IntervalTrigger(hours=6), id="housekeeping", max_instances=1,
                               coalesce=True)
        for sub in self.settings.subscriptions:
            self.scheduler.add_job(self._digest, CronTrigger.from_crontab(sub.schedule, timezone=sub.timezone),
                                   args=[sub], id=f"digest:{sub.name}", max_instances=1, coalesce=True,
                                   misfire_grace_time=3600, replace_existing=True)

    async def _tick(self) -> None:
        """Claim the sources that are due (and not leased by another daemon) and start fetching them."""
        if self.stopping.is_set() or self.ctx is None:
            return
        d = self.settings.daemon
        now = time.monotonic()
        names = [s.name for s in self.settings.sources if s.enabled and self.retry_at.get(s.name, (0, 0))[0] <= now]
        try:
            claimed = await asyncio.to_thread(leases.claim_due_sources, self.ctx.store, self.owner, names,
                                              lease=d.lease, limit=d.max_parallel - len(self.running))
        except StoreError as exc:  # the database is away: the next tick tries again
            self.metrics.job_failures.labels("tick").inc()
            log.error("cannot claim sources: %s", exc.message)
            return
        self.metrics.last_tick.set(time.time())
        stamp = datetime.now(UTC)
        for name, due in claimed:
            if due is not None:
                self.metrics.lag.set(max(0.0, (stamp - due).total_seconds()))
            self._track(self._fetch(name), f"fetch:{name}")

    async def _fetch(self, name: str) -> None:
        assert self.ctx is not None and self.fetcher is not None
        source = next((s for s in self.settings.sources if s.name == name), None)
        started = time.monotonic()
        try:
            if source is None:
                return
            report = await fetch_source(self.ctx, self.fetcher, source)
            self.retry_at.pop(name, None)
            self.metrics.record_fetch(report)
            log.info("fetched", extra={"source": name, "job": "fetch", "duration": round(time.monotonic() - started, 3),
                                       "items": report.items, "new": report.new, "error_kind": report.error_kind})
        except SinowatchError as exc:  # e.g. the database went away mid-fetch: nothing was marked done
            failures = self.retry_at.get(name, (0.0, 0))[1] + 1
            self.retry_at[name] = (time.monotonic() + min(300.0, 5.0 * 2 ** failures), failures)
            self.metrics.job_failures.labels("fetch").inc()
            log.error("fetch %s failed: %s", name, exc.message, extra={"source": name, "job": "fetch"})
        finally:
            try:
                await asyncio.to_thread(leases.release_source, self.ctx.store, name, self.owner)
            except StoreError:
                pass  # the lease expires on its own

    async def _digest(self, sub: Subscription) -> None:
        """Send the subscription's digest for this period, unless another daemon already claimed it."""
        if self.ctx is None or self.stopping.is_set():
            return
        period = datetime.now(UTC).astimezone().strftime("%Y-%m-%dT%H:%M")
        try:
            if not await asyncio.to_thread(leases.claim_digest, self.ctx.store, sub.name, period, self.owner):
                log.info("digest %s for %s is another daemon's", sub.name, period)
                return
            outcome = await asyncio.to_thread(run_digest, self.ctx, sub)
            self.metrics.digests.labels("sent" if outcome.sent else "empty").inc()
            log.info("digest", extra={"job": f"digest:{sub.name}", "stories": outcome.stories, "sent": outcome.sent})
        except SinowatchError as exc:
            self.metrics.digests.labels("failed").inc()
            log.error("digest %s failed: %s", sub.name, exc.message, extra={"job": f"digest:{sub.name}"})

    async def _housekeeping(self) -> None:
        if self.ctx is None:
            return
        try:
            removed = await asyncio.to_thread(leases.forget_claims, self.ctx.store, timedelta(days=30))
            await asyncio.to_thread(self.ctx.store.optimise)
            log.info("housekeeping: %d old digest claims removed", removed)
        except StoreError as exc:
            log.error("housekeeping failed: %s", exc.message)

    def _track(self, job: Awaitable[None], name: str) -> None:
        task = asyncio.ensure_future(job)
        task.set_name(name)
        self.running.add(task)
        task.add_done_callback(self.running.discard)

    def _on_stop(self, sig: signal.Signals) -> None:
        if self.stopping.is_set():
            log.warning("second %s: exiting now", sig.name)
            os._exit(1)  # the store is transactional: an interrupted write is rolled back
        log.info("%s received: finishing work in flight", sig.name)
        self.stopping.set()

    def _on_reload(self) -> None:
        """SIGHUP: read the configuration and feeds again; keep the old ones if the new ones are broken."""
        try:
            settings = load_settings(self.config_path)
        except ConfigError as exc:
            log.error("SIGHUP: configuration not reloaded, still running on the old one: %s", exc.message)
            return
        self.settings = settings
        if self.ctx is not None:
            self.ctx.settings = settings
            try:
                self.ctx.store.sync_sources(settings.sources)
            except StoreError as exc:
                log.error("SIGHUP: sources not synced yet: %s", exc.message)
        for job in self.scheduler.get_jobs():
            if job.id.startswith("digest:"):
                job.remove()
        for sub in settings.subscriptions:
            self.scheduler.add_job(self._digest, CronTrigger.from_crontab(sub.schedule, timezone=sub.timezone),
                                   args=[sub], id=f"digest:{sub.name}", max_instances=1, coalesce=True,
                                   misfire_grace_time=3600, replace_existing=True)
        log.info("SIGHUP: reloaded: %d sources, %d subscriptions", len(settings.sources), len(settings.subscriptions))


def sqlite_lock(database_url: str) -> IO[str] | None:
    """SQLite mode is one daemon per file: hold an exclusive lock beside it for the daemon's lifetime."""
    if not database_url.startswith("sqlite:///") or ":memory:" in database_url:
        return None
    path = Path(database_url[len("sqlite:///"):] + ".daemon.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise SinowatchError(f"another `sinowatch run` is using {path.with_suffix('').with_suffix('')}",
                             hint="SQLite allows one daemon; use PostgreSQL (database_url) to run several") from None
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def run_daemon(settings: Settings, config_path: str | None = None) -> int:
    """Run until stopped; returns the exit code."""
    return asyncio.run(Daemon(settings, config_path).run())


