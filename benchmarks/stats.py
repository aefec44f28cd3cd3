"""Statistics speed at a region's scale: the demo's ten points over ten years
(about a million services), on SQLite and on PostgreSQL, against a raw SQL
count of the same month's services in the same run.

    python -m benchmarks.stats [--runs N] [--sqlite-only]

Aims: one point's month at most 50 ms, one point's year at most 200 ms, all
ten points' month at most twice one point's, and the dashboard's switch to
another month (F4, `[`) at most 150 ms.

The region is written once (`demo --sites 10 --months 120`, most of it in
bulk) and kept in the temporary folder, for SQLite and for the throw-away
PostgreSQL server's data, under a name made from the schema's version and
the demo's and the tables' code: a change to either builds it again."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import os
import shutil
import statistics as stats_module
import subprocess
import tempfile
import time
from datetime import datetime
from pathlib import Path

from textual import events

from kela_tui import demo, statistics
from kela_tui.app import KelaApp
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.db import CREATE, READ, SCHEMA_VERSION
from kela_tui.i18n import Translator
from kela_tui.models import Site
from kela_tui.months import Month
from tests.postgres_server import PostgresServer

# Ten years from the agreement's start (15.8.2026), and a few days more.
NOW = datetime(2036, 8, 4, 16, 0)
SITES, MONTHS = 10, 120
# The busiest point (Kokkola, about 150 services an open day) and a whole
# month and year in the middle of the ten.
POINT = "KOKKOLA"
MONTH = Month(2034, 3)
YEAR = 2034


def fixture_key() -> str:
    """What the cached region depends on: the schema and the code that
    writes it (a new database's tables come from the models; the
    migrations in db.py never touch it)."""
    source = Path(demo.__file__).parent
    digest = hashlib.sha256()
    for name in ("demo.py", "models.py"):
        digest.update((source / name).read_bytes())
    return f"v{SCHEMA_VERSION}-{digest.hexdigest()[:12]}"


def cache_folder() -> Path:
    folder = Path(tempfile.gettempdir()) / "kela-tui-bench"
    folder.mkdir(exist_ok=True)
    return folder


def build(url: str, config: Config) -> None:
    started = time.perf_counter()
    ctx = open_context(config, url, FixedClock(NOW), mode=CREATE)
    written = demo.fill_sites(ctx, SITES, MONTHS, seed=1)
    if url.startswith("postgres"):
        # What autovacuum would do after a while: the planner's statistics
        # and the visibility map that lets a query read only an index.
        ctx.db.execute_sql("VACUUM ANALYZE")
    ctx.db.close()
    print(
        f"({written} services of {SITES} points over {MONTHS} months written in "
        f"{time.perf_counter() - started:.0f} s)",
        flush=True,
    )


def sqlite_region(config: Config) -> str:
    path = cache_folder() / f"region-{fixture_key()}.db"
    if not path.exists():
        for old in cache_folder().glob("region-*.db*"):
            old.unlink()
        partial = path.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        build(f"sqlite:///{partial}", config)
        partial.rename(path)
    return f"sqlite:///{path}"


class CachedServer(PostgresServer):
    """The tests' throw-away PostgreSQL server, its data kept in the
    temporary folder between runs."""

    def __init__(self) -> None:
        super().__init__()
        shutil.rmtree(self.dir)
        self.dir = cache_folder() / f"pg-{fixture_key()}"
        self.data = self.dir / "data"
        self.fresh = not (self.dir / "built").exists()
        if self.fresh:
            for old in cache_folder().glob("pg-*"):
                shutil.rmtree(old, ignore_errors=True)
            self.dir.mkdir()
            if self.user:
                shutil.chown(self.dir, user=self.user)

    def start(self) -> None:
        if (self.data / "postmaster.pid").exists():
            # Left running by a run that was interrupted.
            with contextlib.suppress(subprocess.CalledProcessError):
                self.stop()
        if self.fresh:
            self._run(self.initdb, "-D", str(self.data), "-A", "trust", "-U", "kela", "-E", "UTF8")
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c fsync=off"
        log = str(self.dir / "log")
        self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-w", "-l", log, "start")

    def stop(self) -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop")


# The processor time of each figure, beside its wall-clock time: on a
# machine shared with other work it is about what the wall clock would show
# on a quiet one.
CPU: dict[str, float] = {}


def timed(function, runs: int, name: str = "") -> float:
    times, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), time.process_time()
        function()
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    CPU[name] = stats_module.median(cpu)
    return stats_module.median(times)


async def switch_times(app: KelaApp, runs: int) -> list[float]:
    times, cpu = [], []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        screen = app.screen
        for n in range(runs):
            key = "left_square_bracket" if n % 2 == 0 else "right_square_bracket"
            target = screen.month.previous() if n % 2 == 0 else screen.month.next()
            started, used = time.perf_counter(), time.process_time()
            app.post_message(events.Key(key, None))
            while screen.stats is None or screen.stats.month != target:
                await asyncio.sleep(0.001)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - used)
    CPU["switch"] = stats_module.median(cpu)
    return times


def measure(name: str, url: str, config: Config, runs: int) -> None:
    ctx = open_context(config, url, FixedClock(NOW), POINT, mode=READ)
    today = ctx.today()
    sites = list(Site.select().order_by(Site.code))
    point = ctx.site
    placeholder = "%s" if url.startswith("postgres") else "?"
    raw = timed(
        lambda: ctx.db.execute_sql(
            f"SELECT COUNT(*) FROM service WHERE site_id = {placeholder} "
            f"AND day BETWEEN {placeholder} AND {placeholder}",
            (point.id, MONTH.first, MONTH.last),
        ).fetchone(),
        runs,
    )
    month = timed(lambda: statistics.month_stats(MONTH, [point], today), runs, "month")
    if hasattr(statistics, "year_stats"):
        how = "year_stats"

        def year() -> None:
            statistics.year_stats(YEAR, [point], today)
    else:
        how = "twelve month_stats, no year_stats yet"

        def year() -> None:
            for number in range(1, 13):
                statistics.month_stats(Month(YEAR, number), [point], today)

    year_time = timed(year, max(3, runs // 3), "year")
    region = timed(lambda: statistics.month_stats(MONTH, sites, today, "all"), runs, "region")
    services = statistics.month_stats(MONTH, sites, today, "all").services
    ctx.db.close()
    app_ctx = open_context(config, url, FixedClock(NOW), POINT, mode=READ)
    app = KelaApp(app_ctx, Translator("fi"))
    switch = stats_module.median(asyncio.run(switch_times(app, runs)))
    app_ctx.db.close()

    def line(what: str, seconds: float, aim: str, cpu: str) -> None:
        print(
            f"stats[{name}]: {what} median {seconds * 1000:.1f} ms "
            f"(processor {CPU[cpu] * 1000:.1f} ms), "
            f"ratio to the raw count {seconds / raw:.0f}x (aim: {aim})"
        )

    print(
        f"stats[{name}]: raw SQL count of {POINT}'s month {MONTH} median {raw * 1000:.2f} ms; "
        f"the region's month has {services} services"
    )
    line(f"one point's month ({POINT} {MONTH})", month, "<= 50 ms", "month")
    line(f"one point's year ({POINT} {YEAR}, {how})", year_time, "<= 200 ms", "year")
    line(
        f"all {len(sites)} points' month, {region / month:.1f}x one point's",
        region,
        f"<= 2x one point's = {2 * month * 1000:.0f} ms",
        "region",
    )
    line("dashboard month switch", switch, "<= 150 ms", "switch")
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"stats[{name}]: load average {load} on {os.cpu_count()} CPUs")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = Config(path=Path(folder) / "config.toml", backup_daily=False)
        measure("sqlite", sqlite_region(config), config, args.runs)
        if args.sqlite_only:
            return
        server = CachedServer()
        server.start()
        try:
            url = server.url()
            if server.fresh:
                build(url, config)
                (server.dir / "built").touch()
            measure("postgresql", url, config, args.runs)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
