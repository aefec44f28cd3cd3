"""The day's backup at the program's start: made in a worker while the
counter goes on, and F2's side panel says when, or why it failed."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from kela_tui import backups, errorlog
from kela_tui.models import Service
from tests.functional.helpers import screen_text, settled

# A folder that is a file, the same on every machine the tests run on.
NOT_A_FOLDER = "/dev/null"


@pytest.fixture
def backing_up(sqlite_ctx):
    """The context with daily backups on (the tests' configuration has them off)."""
    sqlite_ctx.config = replace(sqlite_ctx.config, backup_daily=True)
    return sqlite_ctx


def folder_of(ctx) -> Path:
    return Path(ctx.db.database).parent / "backups"


def one_line(app) -> str:
    """The screen's text with the side panel's wrapped lines joined."""
    return " ".join(
        line.split("▏")[-1].strip() for line in screen_text(app).splitlines() if line.strip()
    )


async def test_the_first_start_makes_the_backup_and_f2_says_when(make_app, backing_up):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        assert "Varmuuskopio 15.9.2026 klo 10.00" in screen_text(app)
        assert app.backup.state == backups.MADE
        assert not app._notifications
    assert [path.name for path in folder_of(backing_up).iterdir()] == [
        f"kela-{backups.machine()}-2026-09-15.sqlite3"
    ]
    # The next start that day finds it made.
    app = make_app("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        assert "Backup 15 Sept 2026 at 10:00" in screen_text(app)
        assert app.backup.state == backups.EXISTS


async def test_the_backup_never_blocks_the_counter(make_app, backing_up, held_copy):
    copying, finish = held_copy
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        try:
            assert await asyncio.to_thread(copying.wait, 30)
            await pilot.press("1", "2")
            await pilot.pause()
            assert Service.select().count() == 2
            assert "Varmuuskopioidaan…" in screen_text(app)
        finally:
            finish.set()
        await settled(pilot)
        assert "Varmuuskopio 15.9.2026 klo 10.00" in screen_text(app)


async def test_a_failed_backup_is_shown_and_logged(make_app, backing_up):
    backing_up.config = replace(backing_up.config, backup_folder=NOT_A_FOLDER)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        shown = one_line(app)
        assert "✗ Varmuuskopio epäonnistui: /dev/null ei ole kansio (backup.folder)" in shown
        assert "Aiempaa varmuuskopiota ei ole" in shown
        assert app.backup.state == backups.FAILED
        [toast] = app._notifications
        assert toast.severity == "error"
        assert "/dev/null ei ole kansio" in toast.message
        # The counter goes on.
        await pilot.press("1")
        assert Service.select().count() == 1
    assert "NotADirectoryError: [Errno 20]" in errorlog.path().read_text(encoding="utf-8")


async def test_the_reason_of_a_failure_is_shown_literally(make_app, backing_up, tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")
    folder = blocked / "[b]kopiot[/] 131052-308T"
    backing_up.config = replace(backing_up.config, backup_folder=str(folder))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        assert app.is_running
        assert app.backup.state == backups.FAILED
        assert "[b]kopiot[/]131052-308T" in one_line(app).replace(" ", "")


async def test_no_backup_when_turned_off(make_app, sqlite_ctx):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        assert app.backup is None
        assert "Varmuuskopio" not in screen_text(app)
    assert not folder_of(sqlite_ctx).exists()


def showing_panel(size, fold=False):
    async def run(pilot) -> None:
        await settled(pilot)
        if size[0] < 100 and not fold:
            # A narrow window folds the panel away: v shows it.
            await pilot.press("v")
            await settled(pilot)

    return run


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("folder", ["", NOT_A_FOLDER], ids=["made", "failed"])
def test_backup_in_the_side_panel(make_app, backing_up, snap_compare, size, folder):
    backing_up.config = replace(backing_up.config, backup_folder=folder)
    assert snap_compare(make_app(), terminal_size=size, run_before=showing_panel(size))


def test_a_failed_backup_where_the_panel_is_folded_away(make_app, backing_up, snap_compare):
    """A narrow window says it under the panel's one-line gist."""
    backing_up.config = replace(backing_up.config, backup_folder=NOT_A_FOLDER)
    size = (80, 24)
    assert snap_compare(make_app(), terminal_size=size, run_before=showing_panel(size, fold=True))
