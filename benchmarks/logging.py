"""Logging latency: hotkey presses through Pilot, from the key press to the
committed row visible in the table, on a database holding a year of demo
data; against a bare Textual app that only inserts the same row and shows it,
in the same run.

Catching up: a tally of 20 services (the daily log's `t` form) from the
Enter that saves it to the 20 rows shown, against 20 single inserts of the
bare app shown the same way, in the same run.

    python -m benchmarks.logging [--presses N] [--tallies N]

Aims: p95 at most 30 ms and at most 1.5x the bare app; a tally of 20 under
100 ms."""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from textual import events
from textual.app import App
from textual.widgets import DataTable, Footer, Header

from kela_tui.app import KelaApp
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.db import CREATE
from kela_tui.demo import fill
from kela_tui.i18n import Translator

# A year after the agreement's start, on an open Monday morning.
NOW = datetime(2027, 8, 16, 9, 30)


class BareApp(App):
    """Inserts one row per key press into SQLite and shows it, nothing else."""

    BINDINGS = [("1", "log", "Log"), ("t", "tally", "Tally")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=wal")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS service (id INTEGER PRIMARY KEY, at TEXT, category TEXT)"
        )

    def compose(self):
        yield Header()
        table = DataTable(id="today")
        table.add_columns("time", "service")
        yield table
        yield Footer()

    def action_log(self) -> None:
        with self.db:
            cursor = self.db.execute(
                "INSERT INTO service (at, category) VALUES (?, ?)", (NOW.isoformat(), "advice")
            )
        self.query_one(DataTable).add_row(
            NOW.strftime("%H:%M"), "advice", key=str(cursor.lastrowid)
        )

    def action_tally(self) -> None:
        """20 single inserts, each its own transaction, and their rows shown."""
        table = self.query_one(DataTable)
        for _ in range(TALLY):
            with self.db:
                cursor = self.db.execute(
                    "INSERT INTO service (at, category) VALUES (?, ?)", (NOW.isoformat(), "advice")
                )
            table.add_row(NOW.strftime("%H:%M"), "advice", key=str(cursor.lastrowid))


async def press_many(app: App, presses: int) -> list[float]:
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#today", DataTable)
        for _ in range(presses):
            rows = table.row_count
            started = time.perf_counter()
            # The key as the terminal driver delivers it; then yield to the
            # event loop until the new row is in the table. (Pilot.press also
            # waits for the screen to settle, which would hide the difference.)
            app.post_message(events.Key("1", "1"))
            while table.row_count == rows:
                await asyncio.sleep(0)
            latencies.append(time.perf_counter() - started)
            await pilot.pause()
    return latencies


# The services of one catch-up entry.
TALLY = 20


async def wait_for_rows(app: App, table: DataTable, rows: int, started: float) -> float:
    """Yield to the event loop until the table has `rows` rows; the time since
    `started`."""
    while table.row_count < rows:
        await asyncio.sleep(0)
    return time.perf_counter() - started


async def tally_many(app: KelaApp, tallies: int) -> list[float]:
    """Open the tally form, type advice 12 and online 8 (the form's default
    period, the last full hour up to now), and time the Enter that saves it
    until the 20 rows are in the daily log."""
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#today", DataTable)
        for _ in range(tallies):
            await pilot.press("t", "tab", "tab", "1", "2", "tab", "8")
            rows = table.row_count
            started = time.perf_counter()
            app.post_message(events.Key("enter", "\r"))
            latencies.append(await wait_for_rows(app, table, rows + TALLY, started))
            await pilot.pause()
    return latencies


async def bare_tallies(app: BareApp, tallies: int) -> list[float]:
    latencies = []
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.screen.query_one("#today", DataTable)
        for _ in range(tallies):
            rows = table.row_count
            started = time.perf_counter()
            app.post_message(events.Key("t", "t"))
            latencies.append(await wait_for_rows(app, table, rows + TALLY, started))
            await pilot.pause()
    return latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--presses", type=int, default=1000)
    parser.add_argument("--tallies", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clock = FixedClock(NOW)
        config = Config(path=Path(folder) / "config.toml", backup_daily=False)
        ctx = open_context(config, f"sqlite:///{folder}/kela.db", clock, mode=CREATE)
        started = time.perf_counter()
        written = fill(ctx, seed=1)
        print(
            f"(a year of demo data: {written} services in {time.perf_counter() - started:.0f} s)"
        )
        kela = asyncio.run(press_many(KelaApp(ctx, Translator("fi")), args.presses))
        bare = asyncio.run(press_many(BareApp(Path(folder) / "bare.db"), args.presses))
        kela_tally = asyncio.run(tally_many(KelaApp(ctx, Translator("fi")), args.tallies))
        bare_tally = asyncio.run(bare_tallies(BareApp(Path(folder) / "bare2.db"), args.tallies))
    for name, values in (("kela-tui", kela), ("bare app", bare)):
        print(
            f"logging: {name:8} p50 {statistics.median(values) * 1000:5.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:5.1f} ms ({len(values)} presses)"
        )
    print(
        f"logging: p95 ratio {percentile(kela, 0.95) / percentile(bare, 0.95):.2f}x "
        "(aims: p95 <= 30 ms and <= 1.5x the bare app)"
    )
    for name, values in (("kela-tui", kela_tally), ("bare app", bare_tally)):
        print(
            f"catching up {TALLY}: {name:8} p50 {statistics.median(values) * 1000:5.1f} ms, "
            f"p95 {percentile(values, 0.95) * 1000:5.1f} ms, "
            f"max {max(values) * 1000:5.1f} ms ({len(values)} entries)"
        )
    print(
        f"catching up {TALLY}: kela-tui p95 {percentile(kela_tally, 0.95) * 1000:.1f} ms "
        f"(aim: under 100 ms); bare app {percentile(bare_tally, 0.95) * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
