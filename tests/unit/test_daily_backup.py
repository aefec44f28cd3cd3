"""The daily backup: one finished copy a day in the backup folder, made by
one process however many start at once, the last 30 daily and 12 monthly
copies kept, and every failure said."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kela_tui import backups, errorlog, services
from kela_tui.cli import main
from kela_tui.clock import FixedClock
from kela_tui.config import parse
from kela_tui.errors import BadInput
from kela_tui.i18n import Translator
from kela_tui.models import Service

ROOT = Path(__file__).resolve().parents[2]
DAY = datetime(2026, 9, 15, 10, 0)
# The tests' database is kela.db: its copies are named after it and this PC.
STEM = f"kela-{backups.machine()}"


def database_of(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def said(outcome: backups.Outcome) -> str:
    return Translator("en")("backup.failed", problem=outcome.problem)


def cli(tmp_path, url, *argv, config_text="", clock=None):
    path = tmp_path / "c.toml"
    path.write_text(config_text, encoding="utf-8")
    args = ["--config", str(path), "--db", url, "--lang", "en", *argv]
    return main(args, clock=clock or FixedClock(DAY))


def names(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_the_first_start_of_a_day_makes_a_copy_and_the_next_finds_it(sqlite_ctx, sqlite_url):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, 0))
    database = database_of(sqlite_url)
    folder = backups.folder_for("", database)
    assert folder == database.parent / "backups"
    made = backups.run_daily(database, folder, sqlite_ctx.clock)
    assert made.state == backups.MADE
    assert made.path == folder / f"{STEM}-2026-09-15.sqlite3"
    assert made.at == sqlite_ctx.clock.now()
    assert names(folder) == {f"{STEM}-2026-09-15.sqlite3"}  # no lock or temporary left
    assert oct(made.path.stat().st_mode & 0o777) == "0o600"
    # When the copy was taken is its file's time; the next start finds it.
    sqlite_ctx.clock.advance(hours=2)
    found = backups.run_daily(database, folder, sqlite_ctx.clock)
    assert (found.state, found.path, found.at) == (backups.EXISTS, made.path, made.at)
    # A finished database in the rollback-journal mode (never WAL on a share).
    copy = sqlite3.connect(made.path)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert copy.execute("SELECT COUNT(*) FROM service").fetchone()[0] == 1
    copy.close()
    # The next day, the next copy.
    sqlite_ctx.clock.set(datetime(2026, 9, 16, 8, 2))
    assert backups.run_daily(database, folder, sqlite_ctx.clock).state == backups.MADE
    assert backups.latest(folder, STEM) == (
        folder / f"{STEM}-2026-09-16.sqlite3",
        sqlite_ctx.clock.now(),
    )


def test_the_folder_is_the_configured_one_relative_to_the_database(tmp_path, monkeypatch):
    database = tmp_path / "data" / "kela.db"
    assert backups.folder_for("", database) == tmp_path / "data" / "backups"
    assert backups.folder_for("copies", database) == tmp_path / "data" / "copies"
    assert backups.folder_for("../copies", database) == tmp_path / "data" / ".." / "copies"
    assert backups.folder_for(str(tmp_path / "share"), database) == tmp_path / "share"
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert backups.folder_for("~/kela", database) == tmp_path / "home" / "kela"
    # The same whatever folder the program is started in.
    monkeypatch.chdir(tmp_path)
    assert backups.folder_for("copies", Path("data/kela.db")) == tmp_path / "data" / "copies"


def test_a_database_whose_path_a_uri_would_misread(tmp_path, clock):
    from tests.conftest import new_sqlite_url

    folder = tmp_path / "a #b ?c=%20 [x]"
    folder.mkdir()
    database = database_of(new_sqlite_url(folder / "kela.db"))
    made = backups.run_daily(database, folder / "backups", clock)
    assert made.state == backups.MADE
    assert made.path == folder / "backups" / f"{STEM}-2026-09-15.sqlite3"


def test_a_missing_folder_is_created(sqlite_url, clock):
    database = database_of(sqlite_url)
    folder = database.parent / "share" / "kela" / "backups"
    assert backups.run_daily(database, folder, clock).state == backups.MADE
    assert names(folder) == {f"{STEM}-2026-09-15.sqlite3"}


def test_a_folder_that_is_a_file_is_a_clear_failure(sqlite_url, clock):
    database = database_of(sqlite_url)
    folder = database.parent / "backups"
    folder.write_text("not a folder", encoding="utf-8")
    failed = backups.run_daily(database, folder, clock)
    assert failed.state == backups.FAILED
    assert said(failed) == f"the backup failed: {folder} is not a folder (backup.folder)"
    assert isinstance(failed.error, NotADirectoryError)
    assert failed.last is None
    assert folder.read_text(encoding="utf-8") == "not a folder"


def test_a_folder_under_a_file_is_a_clear_failure(sqlite_url, clock):
    database = database_of(sqlite_url)
    folder = database.parent / "kela.db" / "backups"
    failed = backups.run_daily(database, folder, clock)
    assert failed.state == backups.FAILED
    assert said(failed) == (
        f"the backup failed: the folder {folder} cannot be used (backup.folder): "
        "a file is where a folder should be"
    )


def test_a_folder_that_cannot_be_written_is_a_clear_failure(sqlite_url, clock, monkeypatch):
    # (Root may write anywhere: the refusal a user gets is made here.)
    import errno

    def refused(source, target):
        raise PermissionError(errno.EACCES, "Permission denied", str(target))

    monkeypatch.setattr(backups, "_copy", refused)
    database = database_of(sqlite_url)
    folder = database.parent / "backups"
    failed = backups.run_daily(database, folder, clock)
    assert failed.state == backups.FAILED
    text = said(failed)
    assert text.startswith(f"the backup failed: {folder}{os.sep}.{STEM}-2026-09-15.")
    assert text.endswith(".sqlite3.tmp: permission denied")
    assert names(folder) == set()


def test_a_failure_names_the_last_copy_there_is(sqlite_url, clock, monkeypatch):
    database = database_of(sqlite_url)
    folder = database.parent / "backups"
    made = backups.run_daily(database, folder, clock)
    clock.set(datetime(2026, 9, 16, 9, 0))

    def broken(source, target):
        raise sqlite3.OperationalError("disk I/O error [/] \x1b")

    monkeypatch.setattr(backups, "_copy", broken)
    failed = backups.run_daily(database, folder, clock)
    assert failed.state == backups.FAILED
    assert failed.problem == "disk I/O error [/] \x1b"
    assert failed.last == made.at
    # Nothing half-made is left, and the lock is let go.
    assert names(folder) == {f"{STEM}-2026-09-15.sqlite3"}


# Weekdays from 5 January 2026 to 5 February 2027, the PC off at weekends
# and for four weeks in July.
def counter_days() -> list[date]:
    day, days = date(2026, 1, 5), []
    while day <= date(2027, 2, 5):
        if day.weekday() < 5 and not date(2026, 7, 6) <= day <= date(2026, 7, 31):
            days.append(day)
        day += timedelta(days=1)
    return days


def test_a_simulated_year_keeps_30_daily_and_12_monthly_copies(sqlite_url, monkeypatch):
    # Which files stay is the point here; the copy itself is tested above.
    monkeypatch.setattr(backups, "_copy", lambda source, target: target.write_bytes(b"copy"))
    database = database_of(sqlite_url)
    folder = database.parent / "backups"
    folder.mkdir()
    # What is not a copy of this database is never touched.
    foreign = {
        "notes.txt",
        f"{STEM}-2026-13-45.sqlite3",
        f"{STEM}-2026-01-01.sqlite3.bak",
        "other-2026-01-02.sqlite3",
        "kela-tui-2026-01-02.sqlite3",
        "KELA-2026-01-02.SQLITE3",
    }
    for name in foreign:
        (folder / name).write_text("keep me", encoding="utf-8")
    (folder / f"{STEM}-2025-12-31.sqlite3").mkdir()  # a folder by a copy's name
    foreign.add(f"{STEM}-2025-12-31.sqlite3")
    clock = FixedClock(datetime(2026, 1, 5, 8, 0))
    for day in counter_days():
        clock.set(datetime.combine(day, datetime.min.time()).replace(hour=8))
        made = backups.run_daily(database, folder, clock)
        assert made.state == backups.MADE
        assert len(backups.copies(folder, STEM)) <= 42
    daily = [day for day in counter_days() if day >= date(2026, 12, 28)]
    assert len(daily) == 30
    monthly = [
        date(2026, 3, 2),
        date(2026, 4, 1),
        date(2026, 5, 1),
        date(2026, 6, 1),
        date(2026, 7, 1),
        date(2026, 8, 3),
        date(2026, 9, 1),
        date(2026, 10, 1),
        date(2026, 11, 2),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    expected = {backups.copy_name(STEM, day) for day in {*daily, *monthly}}
    assert len(expected) == 40
    assert names(folder) == expected | foreign
    for name in foreign - {f"{STEM}-2025-12-31.sqlite3"}:
        assert (folder / name).read_text(encoding="utf-8") == "keep me"


def test_which_copies_are_kept():
    assert backups.kept([]) == set()
    days = [date(2026, 9, 15)]
    assert backups.kept(days) == set(days)
    # One copy a month for three years: the 30 newest are kept, all of them.
    monthly = [date(2024 + n // 12, n % 12 + 1, 1) for n in range(36)]
    assert backups.kept(monthly) == set(monthly[-30:])
    # Many a month: the 30 newest, and the first of each of the 12 newest months.
    many = [date(2025, 1, 1) + timedelta(days=n) for n in range(700)]
    kept = backups.kept(many)
    assert len(kept) == 30 + 11
    assert max(many) == date(2026, 12, 1)
    assert min(kept) == date(2026, 1, 1)


def test_two_processes_starting_at_once_make_one_copy(sqlite_url, clock, held_copy):
    """One makes the copy under the lock; the other, starting while it does,
    leaves it and says so; later ones find it made."""
    database = database_of(sqlite_url)
    folder = database.parent / "backups"
    copying, finish = held_copy
    results = []
    first = threading.Thread(
        target=lambda: results.append(backups.run_daily(database, folder, clock))
    )
    first.start()
    assert copying.wait(30)
    second = backups.run_daily(database, folder, clock)
    assert second.state == backups.BUSY
    assert second.path == folder / f".{STEM}-2026-09-15.lock"
    finish.set()
    first.join(30)
    assert results[0].state == backups.MADE
    assert backups.run_daily(database, folder, clock).state == backups.EXISTS
    assert names(folder) == {f"{STEM}-2026-09-15.sqlite3"}


# A program that starts `kela-tui backup --auto` when the parent says go;
# the one that copies says so and waits for the parent's word to finish, so
# that the two overlap however the system runs them (no time waited).
SLOW_AUTO = """
import sys
from kela_tui import backups
from kela_tui.cli import main
real = backups._copy
def held(source, target):
    print("copying", file=sys.stderr, flush=True)
    sys.stdin.readline()
    real(source, target)
backups._copy = held
sys.stdin.readline()
sys.exit(main(sys.argv[1:]))
"""


def test_two_programs_at_once_make_one_copy(sqlite_url, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text("", encoding="utf-8")
    argv = ["--config", str(config), "--db", sqlite_url, "--lang", "en", "backup", "--auto"]
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    programs = [
        subprocess.Popen(
            [sys.executable, "-c", SLOW_AUTO, *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(2)
    ]
    for program in programs:
        program.stdin.write("go\n")
        program.stdin.flush()
    # One copies and waits; the other has found it copying and ended.
    copying = [program for program in programs if program.stderr.readline() == "copying\n"]
    assert len(copying) == 1
    copying[0].stdin.write("finish\n")
    copying[0].stdin.flush()
    outputs = [program.communicate(timeout=120) for program in programs]
    assert [program.returncode for program in programs] == [0, 0], outputs
    made = [out for out, _ in outputs if out.startswith("backup made: ")]
    others = [out for out, _ in outputs if not out.startswith("backup made: ")]
    assert len(made) == 1, outputs
    assert others[0].startswith(
        ("another program is making today's backup now", "today's backup was made already")
    )
    folder = database_of(sqlite_url).parent / "backups"
    assert len(backups.copies(folder, STEM)) == 1
    assert not [name for name in names(folder) if name.startswith(".")]


def test_a_database_written_during_the_backup_gives_a_consistent_copy(
    sqlite_ctx, sqlite_url, tmp_path
):
    for minute in range(50):
        services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 15, 9, minute))
    stop, writing = threading.Event(), threading.Event()
    written = []

    def writer():
        while not stop.is_set():
            written.append(services.log_service(sqlite_ctx, "online").id)
            writing.set()
        sqlite_ctx.db.close()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert writing.wait(30)
        database = database_of(sqlite_url)
        made = backups.run_daily(database, database.parent / "backups", sqlite_ctx.clock)
        during = len(written)
    finally:
        stop.set()
        thread.join(30)
    assert made.state == backups.MADE
    copy = sqlite3.connect(made.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copied = copy.execute("SELECT COUNT(*) FROM service").fetchone()[0]
    copy.close()
    assert 50 < copied <= 50 + during + 1
    assert cli(tmp_path, f"sqlite:///{made.path}", "db", "check") == 0
    assert Service.select().count() == copied


# A program killed while it copies: it writes part of the copy, says so and waits.
KILLED = """
import sys
from datetime import datetime
from pathlib import Path
from kela_tui import backups
from kela_tui.clock import FixedClock
def stuck(source, target):
    target.write_bytes(b"SQLite format 3\\0 half a copy")
    print("copying", flush=True)
    sys.stdin.readline()  # until it is killed
backups._copy = stuck
backups.run_daily(Path(sys.argv[1]), Path(sys.argv[2]), FixedClock(datetime(2026, 9, 15, 10)))
"""


def test_what_a_killed_program_left_is_cleaned_up_and_never_a_copy(sqlite_url, clock):
    database = database_of(sqlite_url)
    folder = database.parent / "backups"
    program = subprocess.Popen(
        [sys.executable, "-c", KILLED, str(database), str(folder)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert program.stdout.readline() == "copying\n"
    program.kill()
    program.wait(30)
    program.stdin.close()
    program.stdout.close()
    left = names(folder)
    assert f".{STEM}-2026-09-15.lock" in left
    assert any(name.endswith(".sqlite3.tmp") for name in left)
    assert backups.copies(folder, STEM) == {}
    assert backups.latest(folder, STEM) is None
    # At once, the lock still looks held: the next start leaves it.
    assert backups.run_daily(database, folder, clock).state == backups.BUSY
    # Not touched for ten minutes, it was left by an ended program.
    lock = folder / f".{STEM}-2026-09-15.lock"
    long_ago = time.time() - backups.LOCK_STALE_SECONDS - 1
    os.utime(lock, (long_ago, long_ago))
    made = backups.run_daily(database, folder, clock)
    assert made.state == backups.MADE
    assert names(folder) == {f"{STEM}-2026-09-15.sqlite3"}
    copy = sqlite3.connect(made.path)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()


def test_leftovers_of_earlier_days_are_cleaned_up(sqlite_url, clock):
    database = database_of(sqlite_url)
    folder = database.parent / "backups"
    folder.mkdir()
    leftovers = {
        f".{STEM}-2026-09-14.0123abcd.sqlite3.tmp",
        f".{STEM}-2026-09-14.0123abcd.sqlite3.tmp-journal",
        f".{STEM}-2026-09-15.89abcdef.sqlite3.tmp-wal",
        f".{STEM}-2026-09-15.89abcdef.sqlite3.tmp-shm",
        f".{STEM}-2026-09-14.lock",
    }
    for name in leftovers:
        (folder / name).write_bytes(b"left")
        long_ago = time.time() - backups.LOCK_STALE_SECONDS - 1
        os.utime(folder / name, (long_ago, long_ago))
    kept = {".other-2026-09-14.0123abcd.sqlite3.tmp", f".{STEM}-2026-09-14.lock.txt"}
    for name in kept:
        (folder / name).write_bytes(b"not ours")
    assert backups.run_daily(database, folder, clock).state == backups.MADE
    assert names(folder) == {f"{STEM}-2026-09-15.sqlite3"} | kept


def test_backup_auto_from_a_scheduled_task(sqlite_url, tmp_path, capsys):
    assert cli(tmp_path, sqlite_url, "backup", "--auto") == 0
    folder = database_of(sqlite_url).parent / "backups"
    assert capsys.readouterr().out == f"backup made: {folder / f'{STEM}-2026-09-15.sqlite3'}\n"
    assert cli(tmp_path, sqlite_url, "backup", "--auto") == 0
    assert capsys.readouterr().out == (
        f"today's backup was made already, 15 Sept 2026 at 10:00: "
        f"{folder / f'{STEM}-2026-09-15.sqlite3'}\n"
    )
    # `backup FILE` works as before.
    assert cli(tmp_path, sqlite_url, "backup", str(tmp_path / "one.db")) == 0
    assert "backup written" in capsys.readouterr().out


def test_backup_auto_into_the_configured_folder(sqlite_url, tmp_path, capsys):
    text = '[backup]\nfolder = "share/kela"\n'
    assert cli(tmp_path, sqlite_url, "backup", "--auto", config_text=text) == 0
    folder = database_of(sqlite_url).parent / "share" / "kela"
    assert names(folder) == {f"{STEM}-2026-09-15.sqlite3"}


def test_backup_auto_that_fails_says_why_and_logs_it(sqlite_url, tmp_path, capsys):
    blocked = tmp_path / "blocked"
    blocked.write_text("", encoding="utf-8")
    text = f'[backup]\nfolder = "{blocked}"\n'
    assert cli(tmp_path, sqlite_url, "backup", "--auto", config_text=text) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"kela-tui: the backup failed: {blocked} is not a folder (backup.folder)\n"
    assert "NotADirectoryError" in errorlog.path().read_text(encoding="utf-8")


def test_backup_auto_on_postgresql_is_for_its_administrators(tmp_path, capsys):
    # No connection is made: the message is all.
    url = "postgresql://kela@127.0.0.1:1/kela"
    assert cli(tmp_path, url, "backup", "--auto") == 0
    assert "backed up by its administrators with pg_dump" in capsys.readouterr().out


def test_backup_auto_of_a_missing_database_makes_nothing(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert cli(tmp_path, url, "backup", "--auto") == 2
    assert "there is no database at" in capsys.readouterr().err
    assert names(tmp_path) == {"c.toml"}


def test_backup_takes_a_file_or_auto(sqlite_url, tmp_path, capsys):
    for argv in (["backup"], ["backup", str(tmp_path / "x.db"), "--auto"]):
        with pytest.raises(SystemExit) as stop:
            cli(tmp_path, sqlite_url, *argv)
        assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "FILE" in err and "--auto" in err


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[backup]\nfolder = 3", "backup.folder"),
        ('[backup]\nfolder = "a\\u0000b"', "backup.folder"),
        ('[backup]\nfolder = "a\\u001b[31m"', "backup.folder"),
        ('[backup]\nfolder = "   "', "backup.folder"),
        (f'[backup]\nfolder = "{"x" * 1001}"', "backup.folder"),
        ('[backup]\ndaily = "yes"', "backup.daily"),
        ('[backup]\nfolders = "x"', "backup.folders"),
        ('backup = "x"', "backup.daily"),
    ],
)
def test_a_wrong_backup_setting_names_its_key(text, key):
    with pytest.raises(BadInput) as caught:
        parse(text)
    assert f"key {key}:" in str(caught.value)


def test_the_backup_settings_and_their_defaults():
    assert (parse("").backup_daily, parse("").backup_folder) == (True, "")
    read = parse('[backup]\ndaily = false\nfolder = " \\\\\\\\server\\\\kela\\\\backups "')
    assert (read.backup_daily, read.backup_folder) == (False, "\\\\server\\kela\\backups")


def test_the_program_tries_once_a_day_on_sqlite_only(sqlite_ctx, clock):
    ctx = sqlite_ctx
    assert not backups.wanted(ctx, None, None)  # turned off (the tests' configuration)
    ctx.config = replace(ctx.config, backup_daily=True)
    assert backups.wanted(ctx, None, None)
    running = backups.Outcome(backups.RUNNING)
    assert not backups.wanted(ctx, running, ctx.today())
    made = backups.Outcome(backups.MADE, at=ctx.now())
    assert not backups.wanted(ctx, made, ctx.today())
    failed = backups.Outcome(backups.FAILED, problem="x")
    assert not backups.wanted(ctx, failed, ctx.today())
    assert backups.wanted(ctx, backups.Outcome(backups.BUSY), ctx.today())
    clock.advance(days=1)
    assert backups.wanted(ctx, made, ctx.today() - timedelta(days=1))
    assert backups.wanted(ctx, failed, ctx.today() - timedelta(days=1))


def test_the_program_never_backs_up_postgresql(postgres, config, clock):
    from kela_tui.context import open_context
    from tests.conftest import fresh_postgres_url

    ctx = open_context(replace(config, backup_daily=True), fresh_postgres_url(postgres), clock)
    assert backups.database_file(ctx) is None
    assert not backups.wanted(ctx, None, None)


def test_pcs_sharing_a_backup_folder_each_keep_their_own_copies(tmp_path, monkeypatch):
    """Two counter PCs, each with its own kela-tui.db, back up into one
    share: each gets its own copy (not "made already" by the other's), and
    pruning one PC's copies never touches the other's."""
    share = tmp_path / "share"
    made = {}
    for pc in ("KANNUS-PC1", "HALSUA PC/2"):
        monkeypatch.setattr(backups.platform, "node", lambda pc=pc: pc)
        database = tmp_path / pc.replace("/", "_") / "kela-tui.db"
        database.parent.mkdir()
        sqlite3.connect(database).execute("CREATE TABLE t (x)").connection.commit()
        outcome = backups.run_daily(database, share, FixedClock(DAY))
        assert outcome.state == backups.MADE, pc
        made[pc] = outcome.path.name
    assert made == {
        "KANNUS-PC1": "kela-tui-KANNUS-PC1-2026-09-15.sqlite3",
        "HALSUA PC/2": "kela-tui-HALSUA-PC-2-2026-09-15.sqlite3",
    }
    assert backups.copies(share, "kela-tui-KANNUS-PC1") == {DAY.date(): share / made["KANNUS-PC1"]}
    for day in range(1, 45):
        backups.run_daily(
            tmp_path / "HALSUA PC_2" / "kela-tui.db", share, FixedClock(DAY + timedelta(days=day))
        )
    assert (share / made["KANNUS-PC1"]).is_file()
