"""Screen switches: F2 → F3 → F4 → F5 → F2, each from the key press to the
settled frame, on a database holding a year of demo data; against a bare
Textual app that switches between four screens with the same widgets (the
same kinds, a table with as many rows), in the same run.

"Settled" is what a user sees complete: the new screen is current, its
workers are done (the dashboard's statistics shown, not a "loading" line),
no widget has a message waiting, twice running, and the frame is drawn.

    python -m benchmarks.screens [--rounds N]

Aims: each switch at most 100 ms at the median and at most 2x the bare app's.
The first round (each screen built for the first time) is printed apart."""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from textual import events
from textual.app import App
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Digits, Footer, Header, OptionList, Static

from kela_tui.app import KelaApp
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.db import CREATE
from kela_tui.demo import fill
from kela_tui.i18n import Translator

# A year after the demo's first month, on an open Monday morning.
NOW = datetime(2027, 8, 16, 9, 30)
KEYS = ("f3", "f4", "f5", "f2")
NAMES = {"f3": "F2→F3", "f4": "F3→F4", "f5": "F4→F5", "f2": "F5→F2"}
MODES = {"f2": "log", "f3": "booth", "f4": "dashboard", "f5": "statement"}


class BareLog(Screen):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def compose(self):
        yield Header()
        yield Static("status")
        with Horizontal():
            with Vertical():
                yield DataTable(id="table", cursor_type="row", zebra_stripes=True)
                yield Static("")
            with Vertical():
                yield Static("panel\n" * 12)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("time", "service", "marks", "staff", "note")
        for n in range(self.rows):
            table.add_row(f"{n:02}:00", "Neuvonta", "", "Virastomestari", "", key=str(n))


class BareBooth(Screen):
    def compose(self):
        yield Header()
        yield Static("status")
        with Horizontal():
            with Vertical():
                yield Static("state")
                with Horizontal():
                    yield Digits("0:00:00")
                    yield Digits("0:00:00")
                yield Static("gate")
                yield OptionList(*(f"[ ] duty {n}" for n in range(6)))
            with Vertical():
                bookings = DataTable()
                bookings.add_columns("when", "length", "reference")
                for n in range(8):
                    bookings.add_row(f"16.8.2027 {n}:00", "30 min", f"ref {n}")
                yield bookings
                sessions = DataTable()
                sessions.add_columns("when", "length", "outcome")
                yield sessions
        yield Footer()


class BareDashboard(Screen):
    def compose(self):
        yield Header()
        yield Static("status")
        with Horizontal():
            for n in range(6):
                yield Static(f"tile {n}\n{n * 100}")
        with ScrollableContainer():
            with Vertical():
                yield Static("per day\n" + "█" * 60 + "\n" * 8)
                yield Static("heat map\n" + "░" * 60 + "\n" * 8)
            with Vertical():
                table = DataTable()
                table.add_columns("category", "count", "change")
                for n in range(8):
                    table.add_row(f"category {n}", str(n * 10), "+1")
                yield table
                yield Static("booth")
                yield Static("documents")
                yield Static("other")
        yield Footer()


class BareStatement(Screen):
    def compose(self):
        yield Header()
        yield Static("status")
        with VerticalScroll():
            yield Static("\n".join(f"statement line {n}" for n in range(60)))
        yield Footer()


class BareApp(App):
    """Four screens with the same kinds of widgets, switched by F2–F5."""

    BINDINGS = [(key, f"switch_mode('{mode}')", mode) for key, mode in MODES.items()]
    # The daily log's rows, set before the app is made.
    ROWS = 0
    MODES = {
        "log": lambda: BareLog(BareApp.ROWS),
        "booth": BareBooth,
        "dashboard": BareDashboard,
        "statement": BareStatement,
    }
    DEFAULT_MODE = "log"


def idle(app: App) -> bool:
    if not app.screen.is_mounted:
        return False
    if any(worker.is_running for worker in app.workers):
        return False
    if isinstance(app, KelaApp) and not app.keys_settled():
        return False
    return not any(
        node._message_queue.qsize() or node._next_callbacks for node in (app, *app._registry)
    )


async def settle(app: App, mode: str) -> None:
    """Yield to the event loop until `mode` is shown and nothing is left to
    do (twice running), then draw the frame."""
    still = 0
    while still < 2:
        await asyncio.sleep(0)
        if app.current_mode == mode and idle(app):
            still += 1
        else:
            still = 0
    app.screen._on_timer_update()


async def switch_rounds(app: App, rounds: int) -> tuple[dict[str, list[float]], int]:
    """The time of each switch, per key, over `rounds` rounds (the first one
    returned apart); and the rows of the daily log's table."""
    times: dict[str, list[float]] = {key: [] for key in KEYS}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await settle(app, "log")
        rows = app.screen.query_one(DataTable).row_count
        for _ in range(rounds + 1):
            for key in KEYS:
                started = time.perf_counter()
                # The key as the terminal driver delivers it.
                app.post_message(events.Key(key, None))
                await settle(app, MODES[key])
                times[key].append(time.perf_counter() - started)
    return times, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    # A folder kept between runs, whose database is filled only once.
    parser.add_argument("--folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.folder or temporary
        filled = Path(folder, "kela.db").exists()
        clock = FixedClock(NOW)
        config = Config(path=Path(folder) / "config.toml", backup_daily=False)
        ctx = open_context(config, f"sqlite:///{folder}/kela.db", clock, mode=CREATE)
        if not filled:
            started = time.perf_counter()
            written = fill(ctx, seed=1)
            took = time.perf_counter() - started
            print(f"(a year of demo data: {written} services in {took:.0f} s)", flush=True)
        kela, rows = asyncio.run(switch_rounds(KelaApp(ctx, Translator("fi")), args.rounds))
        BareApp.ROWS = rows
        bare, _ = asyncio.run(switch_rounds(BareApp(), args.rounds))
    print(f"(the daily log shows {rows} rows; the bare app's table as many)")
    worst = 0.0
    for key in KEYS:
        first = kela[key][0]
        median = statistics.median(kela[key][1:])
        bare_median = statistics.median(bare[key][1:])
        worst = max(worst, median / bare_median)
        print(
            f"screens: {NAMES[key]} kela-tui median {median * 1000:5.1f} ms "
            f"(first {first * 1000:5.1f} ms), bare app median {bare_median * 1000:5.1f} ms "
            f"(first {bare[key][0] * 1000:5.1f} ms), ratio {median / bare_median:.2f}x"
        )
    print(
        f"screens: worst ratio {worst:.2f}x ({args.rounds} rounds; "
        "aims: each switch <= 100 ms at the median and <= 2x the bare app)"
    )


if __name__ == "__main__":
    main()
