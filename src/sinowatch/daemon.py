"""The daemon: APScheduler wiring around the pipeline; it holds no state the store does not also hold."""

from __future__ import annotations

import asyncio
import logging
import signal
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from sinowatch.config import Settings, Subscription
from sinowatch.errors import SinowatchError
from sinowatch.fetch.client import Fetcher
from sinowatch.models import SourceConfig
from sinowatch.pipeline import Context, fetch_source, run_digest

log = logging.getLogger("sinowatch.daemon")
GRACE_SECONDS = 30.0


class Daemon:
    """Fetch jobs per source interval (with jitter), digest jobs per subscription cron; stop on a signal."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stopping = asyncio.Event()
        self.running: set[asyncio.Task[None]] = set()

    async def run(self) -> int:
        ctx = Context.open(self.settings)
        ctx.store.sync_sources(self.settings.sources)
        due = {r["name"]: r["next_fetch_at"] for r in ctx.store.source_rows()}
        scheduler = AsyncIOScheduler(timezone=UTC)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_signal, sig)
        async with Fetcher(self.settings.fetch) as fetcher:
            for source in self.settings.sources:
                if source.enabled:
                    self._add_fetch(scheduler, ctx, fetcher, source, due.get(source.name))
            for sub in self.settings.subscriptions:
                scheduler.add_job(self._track, CronTrigger.from_crontab(sub.schedule, timezone=sub.timezone),
                                  args=[self._digest(ctx, sub)], id=f"digest:{sub.name}", max_instances=1,
                                  coalesce=True, misfire_grace_time=3600)
            scheduler.start()
            log.info("running: %d sources, %d subscriptions", len(self.settings.sources),
                     len(self.settings.subscriptions))
            await self.stopping.wait()
            scheduler.shutdown(wait=False)
            if self.running:
                log.info("stopping: waiting up to %.0f s for %d job(s)", GRACE_SECONDS, len(self.running))
                await asyncio.wait(self.running, timeout=GRACE_SECONDS)
        ctx.close()
        return 0

    def _add_fetch(self, scheduler: AsyncIOScheduler, ctx: Context, fetcher: Fetcher, source: SourceConfig,
                   next_at: datetime | None) -> None:
        now = datetime.now(UTC)
        if next_at is not None and next_at.tzinfo is None:
            next_at = next_at.replace(tzinfo=UTC)
        first = next_at if next_at and next_at > now else now + timedelta(seconds=1)

        async def job() -> None:
            try:
                report = await fetch_source(ctx, fetcher, source)
                log.info("fetched %s: %d items, %d new%s", source.name, report.items, report.new,
                         f", FAILED {report.error_kind}: {report.error}" if report.error_kind else "")
            except SinowatchError as exc:  # e.g. the database is down: log, the next interval retries
                log.error("fetch %s failed: %s", source.name, exc.message)

        scheduler.add_job(self._track, IntervalTrigger(seconds=source.interval, jitter=min(60, source.interval / 10)),
                          args=[job], id=f"fetch:{source.name}", next_run_time=first, max_instances=1,
                          coalesce=True, misfire_grace_time=int(source.interval))

    def _digest(self, ctx: Context, sub: Subscription):  # type: ignore[no-untyped-def]
        async def job() -> None:
            try:
                outcome = await asyncio.to_thread(run_digest, ctx, sub)
                log.info("digest %s: %d stories, sent=%s", sub.name, outcome.stories, outcome.sent)
            except SinowatchError as exc:
                log.error("digest %s failed: %s", sub.name, exc.message)
        return job

    async def _track(self, job) -> None:  # type: ignore[no-untyped-def]
        """Run a job unless stopping; remember it so a stop can wait for it."""
        if self.stopping.is_set():
            return
        task = asyncio.current_task()
        assert task is not None
        self.running.add(task)
        try:
            await job()
        finally:
            self.running.discard(task)

    def _on_signal(self, sig: signal.Signals) -> None:
        if self.stopping.is_set():
            log.warning("second %s: exiting now", sig.name)
            raise SystemExit(1)
        log.info("%s received: finishing work in flight", sig.name)
        self.stopping.set()


def run_daemon(settings: Settings, config_path: str | None = None) -> int:
    """Run until stopped; returns the exit code."""
    return asyncio.run(Daemon(settings).run())
