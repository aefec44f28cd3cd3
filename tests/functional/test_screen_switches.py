"""Switching screens: coming back to a screen whose data did not change
reads nothing again; what was written meanwhile, here or by another
workstation, is shown. And start-up imports only what it needs."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pytest
from textual.widgets import DataTable

from kela_tui import services
from kela_tui.screens.daily_log import DailyLogScreen
from kela_tui.screens.dashboard import DashboardScreen
from kela_tui.screens.statement import StatementScreen

SIZE = (120, 40)


def day_rows(app) -> list[str]:
    table = app.get_screen_stack("log")[0].query_one("#today", DataTable)
    return [str(key.value) for key in table.rows]


def screen_of(app, mode: str):
    return app._screen_stacks[mode][0]


async def visit(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.fixture
def morning(sqlite_ctx):
    for minute, code in enumerate(["advice", "online", "material"]):
        services.log_service(sqlite_ctx, code, at=datetime(2026, 9, 15, 9, 5 + minute * 9))
    return sqlite_ctx


async def test_coming_back_unchanged_reads_nothing_again(make_app, morning):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await visit(pilot, "f4", "f5", "f2")
        log = screen_of(app, "log")
        dashboard, statement = screen_of(app, "dashboard"), screen_of(app, "statement")
        assert isinstance(log, DailyLogScreen)
        assert isinstance(dashboard, DashboardScreen)
        assert isinstance(statement, StatementScreen)
        built, loads, previews = log.rebuilds, dashboard.loads, statement.loads
        rows = day_rows(app)
        table = log.query_one("#today", DataTable)
        table.move_cursor(row=1)
        for _ in range(2):
            await visit(pilot, "f3", "f4", "f5", "f2")
        assert (log.rebuilds, dashboard.loads, statement.loads) == (built, loads, previews)
        # The same rows, the cursor where it was left.
        assert day_rows(app) == rows and table.cursor_row == 1
        # The dashboard still shows its figures, not a "loading" line.
        await visit(pilot, "f4")
        assert dashboard.stats is not None and dashboard.stats.services == 3


async def test_a_service_logged_on_f2_shows_on_f4_and_f5(make_app, morning):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await visit(pilot, "f4", "f5", "f2")
        dashboard, statement = screen_of(app, "dashboard"), screen_of(app, "statement")
        loads, previews = dashboard.loads, statement.loads
        assert dashboard.stats.services == 3
        await visit(pilot, "1", "f4")
        assert dashboard.loads == loads + 1
        assert dashboard.stats.services == 4
        await visit(pilot, "f5")
        assert statement.loads == previews + 1
        # Back on F2: its own service is shown once, the day not rebuilt.
        log = screen_of(app, "log")
        built = log.rebuilds
        await visit(pilot, "f2")
        assert log.rebuilds == built
        assert len(day_rows(app)) == 4


async def test_another_workstations_service_shows_when_f2_comes_back(
    make_app, morning, sqlite_url, config
):
    """Another process writes into the same database: F2 adds its row without
    rebuilding the day; a void from there reads the day again."""
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await visit(pilot, "f3", "f2")
        log = screen_of(app, "log")
        built, rows = log.rebuilds, day_rows(app)
        kela = [sys.executable, "-m", "kela_tui", "--config", str(config.path), "--db", sqlite_url]
        written = subprocess.run(
            [*kela, "log", "advice", "--at", "2026-09-15T09:50", "--note", "toinen"],
            capture_output=True,
            text=True,
            check=True,
        )
        assert written.returncode == 0
        await visit(pilot, "f3", "f2")
        assert log.rebuilds == built
        new = [row for row in day_rows(app) if row not in rows]
        assert len(new) == 1
        table = log.query_one("#today", DataTable)
        assert "toinen" in str(table.get_row(new[0])[4])

        services.void_service(app.ctx, int(rows[0]), "väärä näppäin")
        await visit(pilot, "f3", "f2")
        assert log.rebuilds == built + 1
        assert "voided" in str(table.get_row(rows[0])[2])


def test_start_up_on_sqlite_imports_no_postgresql_driver_nor_pdf(tmp_path, sqlite_url):
    """Up to the first frame, the command line and the TUI on SQLite import
    neither the PostgreSQL driver nor WeasyPrint, openpyxl or Jinja; the
    warm-up after it (the other screens) imports Jinja for the statement's
    preview, still not the others."""
    script = f"""
import asyncio, json, sys
from kela_tui import cli
from kela_tui.app import KelaApp

HEAVY = ("psycopg2", "weasyprint", "openpyxl", "jinja2")
def heavy():
    return sorted({{m.split(".")[0] for m in sys.modules if m.split(".")[0] in HEAVY}})

found = {{}}
warm_up = KelaApp.warm_up
def first_frame(self):
    found["first frame"] = heavy()
    return warm_up(self)
KelaApp.warm_up = first_frame

async def started(app):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

KelaApp.run = lambda self, **kwargs: asyncio.run(started(self))
cli.main(["--config", {str(tmp_path / "config.toml")!r}, "--db", {sqlite_url!r}])
found["warmed up"] = heavy()
print(json.dumps(found))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found == {"first frame": [], "warmed up": ["jinja2"]}


def test_a_postgresql_url_gets_its_driver(postgres, tmp_path):
    """The driver left out at import is given to peewee for a PostgreSQL URL."""
    from tests.conftest import fresh_postgres_url

    url = fresh_postgres_url(postgres)
    script = f"""
import sys
from kela_tui import cli
assert "psycopg2" not in sys.modules
common = ["--config", {str(tmp_path / "config.toml")!r}, "--db", {url!r}]
upgraded = cli.main([*common, "demo", "--months", "1"])
listed = cli.main([*common, "staff", "list"])
print(upgraded, listed, "psycopg2" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "0 0 True", done.stderr
    assert "Virastomestari" in done.stdout
