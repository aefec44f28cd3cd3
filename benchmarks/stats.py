"""Statistics speed: one month's numbers on a database of three years at 150
services per open day (about 110,000 services), and switching the dashboard
to another month; against a single raw SQL count of that month's services,
in the same run.

    python -m benchmarks.stats [--runs N]

Aims: statistics at most 50 ms, a screen switch at most 150 ms."""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics as stats_module
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from textual import events

from kela_tui import statistics
from kela_tui.app import KelaApp
from kela_tui.catalogue import CODES
from kela_tui.clock import HELSINKI, FixedClock, to_utc_naive
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.db import CREATE
from kela_tui.i18n import Translator
from kela_tui.models import Service, Visit
from kela_tui.months import Month

START = date(2026, 8, 15)
NOW = datetime(2029, 8, 14, 16, 0)
PER_DAY = 150


def fill(ctx) -> int:
    """Three years of open days, written in bulk (the domain's per-entry
    checks are not what is measured here)."""
    rng = random.Random(1)
    staff = ctx.active_staff()
    day, written = START, 0
    with ctx.db.atomic():
        while day <= NOW.date():
            if not ctx.calendar.is_closed_day(day):
                visits, services = [], []
                for n in range(PER_DAY):
                    at = datetime(
                        day.year, day.month, day.day, 9 + n % 6, rng.randrange(60), tzinfo=HELSINKI
                    )
                    stamp = {
                        "site": ctx.site.id,
                        "at": to_utc_naive(at),
                        "day": day,
                        "hour": at.hour,
                        "weekday": day.weekday(),
                        "staff": rng.choice(staff).id,
                        "created_at": to_utc_naive(at),
                    }
                    visits.append(stamp)
                    services.append(stamp | {"category": rng.choice(CODES)})
                Visit.insert_many(visits).execute()
                ids = [
                    v.id for v in Visit.select(Visit.id).where(Visit.day == day).order_by(Visit.id)
                ]
                Service.insert_many(
                    [s | {"visit": i} for s, i in zip(services, ids, strict=True)]
                ).execute()
                written += len(services)
            day += timedelta(days=1)
    return written


def timed(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return stats_module.median(times)


async def switch_times(app: KelaApp, runs: int) -> list[float]:
    times = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        screen = app.screen
        for n in range(runs):
            key = "left_square_bracket" if n % 2 == 0 else "right_square_bracket"
            target = screen.month.previous() if n % 2 == 0 else screen.month.next()
            started = time.perf_counter()
            app.post_message(events.Key(key, None))
            while screen.stats is None or screen.stats.month != target:
                await asyncio.sleep(0)
            times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(
            Config(path=Path(folder) / "config.toml"),
            f"sqlite:///{folder}/kela.db",
            FixedClock(NOW),
            mode=CREATE,
        )
        started = time.perf_counter()
        written = fill(ctx)
        print(
            f"({written} services over three years written in "
            f"{time.perf_counter() - started:.0f} s)"
        )
        month = Month(2028, 3)
        compute = timed(
            lambda: statistics.month_stats(month, [ctx.site], ctx.today()),
            args.runs,
        )
        raw = timed(
            lambda: ctx.db.execute_sql(
                "SELECT COUNT(*) FROM service WHERE site_id = ? AND day BETWEEN ? AND ?",
                (ctx.site.id, month.first.isoformat(), month.last.isoformat()),
            ).fetchone(),
            args.runs,
        )
        switches = asyncio.run(switch_times(KelaApp(ctx, Translator("fi")), args.runs))
    switch = stats_module.median(switches)
    print(
        f"stats: month statistics median {compute * 1000:.1f} ms, "
        f"raw SQL count median {raw * 1000:.2f} ms, ratio {compute / raw:.0f}x "
        "(aim: statistics <= 50 ms)"
    )
    print(
        f"stats: dashboard month switch median {switch * 1000:.1f} ms, "
        f"ratio to the raw count {switch / raw:.0f}x (aim: <= 150 ms)"
    )


if __name__ == "__main__":
    main()
