"""The daily backup of a SQLite database.

On the first start of each day (the program, or `kela-tui backup --auto`
from a scheduled task) the database is copied with SQLite's online backup
API into the backup folder: under a temporary name first, checked, then
renamed to `<database>-<PC>-YYYY-MM-DD.sqlite3`, so that the folder (often a
network share that another machine copies on) only ever holds finished
copies. One copy a day: a lock file made with an exclusive create lets one
process do it while another starting at the same moment says so and leaves
it. The 30 newest daily copies and the first copy of each of the 12 newest
months are kept; nothing else in the folder is ever touched.

The domain never imports Textual: the program runs `daily` in a worker."""

from __future__ import annotations

import errno
import os
import platform
import re
import sqlite3
import threading
import time
from collections.abc import Iterable
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kela_tui.clock import HELSINKI, Clock
from kela_tui.errors import os_problem
from kela_tui.i18n import Msg

DAILY_KEPT = 30
MONTHLY_KEPT = 12
# The folder used when the configuration names none, beside the database.
DEFAULT_FOLDER = "backups"
# A lock file not touched for this long was left by a process that ended
# before it finished (killed, or the PC lost power): the next one takes over.
# The process making a copy touches its lock every HEARTBEAT seconds.
LOCK_STALE_SECONDS = 600
HEARTBEAT_SECONDS = 30
BUSY_TIMEOUT_SECONDS = 10

# What a backup came to.
RUNNING = "running"  # started, not yet done (the program's worker)
MADE = "made"  # a copy was made now
EXISTS = "exists"  # today's copy was there already
BUSY = "busy"  # another process is making today's copy now
FAILED = "failed"

_DAY = r"\d{4}-\d{2}-\d{2}"
_BESIDE = "(-journal|-wal|-shm)"


@dataclass(frozen=True)
class Outcome:
    state: str
    # The copy made or found, and when it was taken.
    path: Path | None = None
    at: datetime | None = None
    # FAILED: why (a message, or a text as the system said it), and the error.
    problem: object = None
    error: BaseException | None = None
    # BUSY and FAILED: the newest copy there is, if any.
    last: datetime | None = None
    # MADE: the old copies deleted.
    removed: tuple[Path, ...] = ()


class BackupFailed(Exception):
    """A backup that failed for a reason the program found itself (a copy
    that did not pass its check), for the error log."""


def folder_for(setting: str, database: Path) -> Path:
    """The backup folder: the configured one (`~` is the user's home; a
    relative path is taken from the database's folder, the same whatever
    folder the program is started in), or `backups/` beside the database."""
    path = Path(setting or DEFAULT_FOLDER).expanduser()
    return path if path.is_absolute() else database.absolute().parent / path


def machine() -> str:
    """This PC's name as a copy's name holds it (letters, digits, dashes)."""
    return re.sub(r"[^A-Za-z0-9-]+", "-", platform.node()).strip("-")[:40] or "pc"


def stem_of(database: Path) -> str:
    """The name a database's copies begin with: its file's and the PC's.
    Counter PCs of several points back up into one share, each database
    named kela-tui.db: the PC's name keeps each one's copies (and its lock,
    and what is pruned) its own."""
    return f"{database.stem}-{machine()}"


def copy_name(stem: str, day: date) -> str:
    return f"{stem}-{day.isoformat()}.sqlite3"


def _copy_pattern(stem: str) -> re.Pattern:
    return re.compile(rf"{re.escape(stem)}-({_DAY})\.sqlite3")


def _temporary_pattern(stem: str) -> re.Pattern:
    # A copy being written, and the files SQLite keeps beside it meanwhile.
    return re.compile(rf"\.{re.escape(stem)}-{_DAY}\.[0-9a-f]{{8}}\.sqlite3\.tmp{_BESIDE}?")


def _lock_pattern(stem: str) -> re.Pattern:
    return re.compile(rf"\.{re.escape(stem)}-({_DAY})\.lock")


def copies(folder: Path, stem: str) -> dict[date, Path]:
    """The finished copies of the database `stem` in `folder`, by day: only
    regular files named exactly as the backup names them, with a real date.
    A temporary file, a file of another database or anything else is not one."""
    pattern = _copy_pattern(stem)
    found: dict[date, Path] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_file(follow_symlinks=False):
            continue
        try:
            found[date.fromisoformat(match[1])] = Path(entry.path)
        except ValueError:
            continue
    return found


def taken_at(path: Path) -> datetime | None:
    """When a copy was taken: its file's modification time, which the backup
    sets to the moment it copied the database."""
    try:
        return datetime.fromtimestamp(path.stat().st_mtime, HELSINKI)
    except OSError:
        return None


def latest(folder: Path, stem: str) -> tuple[Path, datetime | None] | None:
    """The newest copy and when it was taken, or None when there is none."""
    found = copies(folder, stem)
    if not found:
        return None
    path = found[max(found)]
    return path, taken_at(path)


def when(t, at: datetime | None) -> str:
    """When a copy was taken, as the language says it with `t` ("–" when
    its file could not be asked)."""
    return "–" if at is None else t.moment(at)


def kept(days: Iterable[date]) -> set[date]:
    """The days whose copies are kept: the 30 newest, and the first of each
    of the 12 newest months that have copies (the current month among them).
    By count, not by the calendar: weeks with the PC off (a summer closure)
    never leave the folder without copies."""
    newest = sorted(set(days), reverse=True)
    keep = set(newest[:DAILY_KEPT])
    firsts: dict[tuple[int, int], date] = {}
    for day in reversed(newest):
        firsts.setdefault((day.year, day.month), day)
    for month in sorted(firsts, reverse=True)[:MONTHLY_KEPT]:
        keep.add(firsts[month])
    return keep


def prune(folder: Path, stem: str) -> tuple[Path, ...]:
    """Delete the copies no longer kept; returns those deleted."""
    found = copies(folder, stem)
    keep = kept(found)
    removed = []
    for day, path in sorted(found.items()):
        if day not in keep:
            # One that cannot be deleted now is deleted after a later copy.
            with suppress(OSError):
                path.unlink()
                removed.append(path)
    return tuple(removed)


def run_daily(database: Path, folder: Path, clock: Clock) -> Outcome:
    """Today's copy of the SQLite database at `database` in `folder`, unless
    it is there already or another process is making it now. Every failure
    is an outcome saying why, never an exception."""
    stem = stem_of(database)
    try:
        if folder.exists() and not folder.is_dir():
            error = NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), str(folder))
            return _failed(Msg("backup.not_a_folder", path=folder), error, folder, stem)
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        problem = Msg("backup.folder_problem", path=folder, problem=os_problem(exc))
        return _failed(problem, exc, folder, stem)
    today = clock.today()
    final = folder / copy_name(stem, today)
    if final.is_file():
        return Outcome(EXISTS, final, taken_at(final))
    lock = folder / f".{stem}-{today.isoformat()}.lock"
    try:
        taken = _take_lock(lock)
    except OSError as exc:
        problem = Msg("backup.folder_problem", path=folder, problem=os_problem(exc))
        return _failed(problem, exc, folder, stem)
    if not taken:
        newest = latest(folder, stem)
        return Outcome(BUSY, lock, last=newest[1] if newest else None)
    temporary = folder / f".{stem}-{today.isoformat()}.{os.urandom(4).hex()}.sqlite3.tmp"
    try:
        # Another process may have finished between the first look and the lock.
        if final.is_file():
            return Outcome(EXISTS, final, taken_at(final))
        _clear_leftovers(folder, stem, lock)
        at = clock.now()
        with _heartbeat(lock):
            _copy(database, temporary)
        os.utime(temporary, (at.timestamp(), at.timestamp()))
        os.replace(temporary, final)
        _sync_folder(folder)
    except (OSError, sqlite3.Error, BackupFailed) as exc:
        _remove_temporary(temporary)
        return _failed(_problem(exc, temporary), exc, folder, stem)
    finally:
        with suppress(OSError):
            lock.unlink()
    return Outcome(MADE, final, at, removed=prune(folder, stem))


def _failed(problem: object, error: BaseException, folder: Path, stem: str) -> Outcome:
    newest = latest(folder, stem)
    return Outcome(FAILED, problem=problem, error=error, last=newest[1] if newest else None)


def _problem(exc: BaseException, temporary: Path) -> object:
    if isinstance(exc, OSError):
        return Msg("backup.write_problem", path=exc.filename or temporary, problem=os_problem(exc))
    return str(exc)


def _take_lock(lock: Path) -> bool:
    """Make the day's lock file, or find it held. A lock left by a process
    that ended without finishing (not touched for LOCK_STALE_SECONDS) is
    taken over."""
    for _ in range(2):
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            if not _stale(lock):
                return False
            with suppress(FileNotFoundError):
                lock.unlink()
            continue
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(f"{os.getpid()}\n")
        return True
    return False


def _stale(lock: Path) -> bool:
    try:
        return time.time() - lock.stat().st_mtime > LOCK_STALE_SECONDS
    except FileNotFoundError:
        return True


def _clear_leftovers(folder: Path, stem: str, own: Path) -> None:
    """What processes that ended before they finished left behind: their
    temporary copies (never counted as copies), and their stale locks of
    earlier days. Called holding today's lock, when no other process of
    this PC writes a temporary copy."""
    temporary = _temporary_pattern(stem)
    locks = _lock_pattern(stem)
    for entry in list(os.scandir(folder)):
        if not entry.is_file(follow_symlinks=False):
            continue
        path = Path(entry.path)
        if temporary.fullmatch(entry.name) or (
            locks.fullmatch(entry.name) and path != own and _stale(path)
        ):
            with suppress(FileNotFoundError):
                path.unlink()


def _remove_temporary(temporary: Path) -> None:
    for end in ("", "-journal", "-wal", "-shm"):
        path = temporary.with_name(f"{temporary.name}{end}")
        with suppress(OSError):
            path.unlink()


@contextmanager
def _heartbeat(lock: Path):
    """Touch the lock while the copy is made, so that it is never taken for
    one left by an ended process, however long the copy takes."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(HEARTBEAT_SECONDS):
            with suppress(OSError):
                os.utime(lock)

    thread = threading.Thread(target=beat, name="backup-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


def _copy(database: Path, target: Path) -> None:
    """SQLite's online backup of `database` into the new file `target`, in
    one step: the copy is the database as one read transaction saw it, while
    other connections go on writing (WAL). The copy is made a plain
    rollback-journal database (a copy on a network share is never opened in
    WAL mode), checked, and written to the disk before it is renamed."""
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    source = sqlite3.connect(
        f"{database.absolute().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT_SECONDS
    )
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE").fetchone()
            result = copy.execute("PRAGMA quick_check").fetchone()[0]
            if result != "ok":
                raise BackupFailed(result)
        finally:
            copy.close()
    finally:
        source.close()
    descriptor = os.open(target, os.O_RDWR)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """The rename written to the disk too, where the system allows opening a
    folder (not on Windows, whose rename is durable by itself)."""
    if os.name == "nt":
        return
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def database_file(ctx) -> Path | None:
    """The SQLite file the context's database is, or None (PostgreSQL, which
    its administrators back up with pg_dump, or a database in memory)."""
    from peewee import SqliteDatabase

    if not isinstance(ctx.db, SqliteDatabase) or ctx.db.database == ":memory:":
        return None
    return Path(ctx.db.database)


def wanted(ctx, previous: Outcome | None, tried: date | None) -> bool:
    """Whether the program should try today's copy now (`tried`: the day it
    last tried): on a SQLite database with daily backups on, once a day, and
    again while another process is making the copy (it may not finish). A
    failure is tried again the next day, or at the next start."""
    if not ctx.config.backup_daily or database_file(ctx) is None:
        return False
    if previous is not None and previous.state == RUNNING:
        return False
    return tried != ctx.today() or (previous is not None and previous.state == BUSY)


def daily(ctx) -> Outcome:
    """Today's copy for the program (run in a worker): as `run_daily`, with
    anything unforeseen an outcome too, so that the counter never sees a
    traceback and the failure is shown."""
    database = database_file(ctx)
    folder = folder_for(ctx.config.backup_folder, database)
    try:
        return run_daily(database, folder, ctx.clock)
    except Exception as error:  # noqa: BLE001 - shown and logged, never raised
        return _failed(str(error) or type(error).__name__, error, folder, stem_of(database))
