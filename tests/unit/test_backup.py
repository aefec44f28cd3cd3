"""Backup while the program may be running, and restore as the README says."""

import shutil
import sqlite3
import subprocess
from datetime import datetime

import pytest

from kela_tui import db as storage
from kela_tui import services
from kela_tui.cli import main
from kela_tui.context import open_context
from kela_tui.models import Service
from tests.conftest import fresh_postgres_url


def test_sqlite_backup_while_in_use(sqlite_ctx, sqlite_url, tmp_path, capsys):
    for minute in range(5):
        services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, minute))
    # Another connection holds a read transaction open, as a running app may.
    reader = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM service").fetchone()
    target = tmp_path / "backup.db"
    argv = ["--config", str(tmp_path / "c.toml"), "--db", sqlite_url, "--lang", "en"]
    assert main([*argv, "backup", str(target)], clock=sqlite_ctx.clock) == 0
    reader.rollback()
    assert "backup written" in capsys.readouterr().out
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    # Restore: the backup is a whole database file; put it in place, or open it.
    restored = tmp_path / "restored.db"
    shutil.copy(target, restored)
    assert (
        main(
            ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{restored}", "db", "check"],
            clock=sqlite_ctx.clock,
        )
        == 0
    )
    assert Service.select().count() == 5
    assert main([*argv, "backup", str(target)], clock=sqlite_ctx.clock) == 2
    assert "never overwrites" in capsys.readouterr().err


def test_postgres_backup_and_restore(postgres, config, clock, tmp_path, capsys):
    url = fresh_postgres_url(postgres)
    ctx = open_context(config, url, clock)
    for minute in range(3):
        services.log_service(ctx, "online", at=datetime(2026, 9, 15, 9, minute))
    target = tmp_path / "kela.dump"
    argv = ["--config", str(tmp_path / "c.toml"), "--db", url]
    assert main([*argv, "backup", str(target)], clock=clock) == 0
    copy = fresh_postgres_url(postgres)
    pg_restore = storage.find_postgres_program("pg_restore")
    subprocess.run(
        [pg_restore, "--no-owner", "--dbname", copy, str(target)], check=True, capture_output=True
    )
    restored = open_context(config, copy, clock)
    assert Service.select().count() == 3
    assert storage.check(restored.db).ok


def test_a_backup_into_a_missing_folder_is_a_clear_message(
    sqlite_ctx, sqlite_url, tmp_path, capsys
):
    argv = ["--config", str(tmp_path / "c.toml"), "--db", sqlite_url, "--lang", "en"]
    assert main([*argv, "backup", str(tmp_path / "no" / "b.db")], clock=sqlite_ctx.clock) == 2
    assert "cannot write" in capsys.readouterr().err


@pytest.mark.parametrize(
    "message", ["database is locked", "canceling statement due to lock timeout"]
)
def test_a_busy_database_past_the_bound_is_a_clear_message(sqlite_ctx, monkeypatch, message):
    from peewee import OperationalError

    from kela_tui.errors import BadInput

    def busy(*args, **kwargs):
        raise OperationalError(message)

    monkeypatch.setattr(type(sqlite_ctx.db), "begin", busy)
    with pytest.raises(BadInput, match="stayed busy"):
        services.log_service(sqlite_ctx, "advice")
    monkeypatch.undo()
    assert Service.select().count() == 0
