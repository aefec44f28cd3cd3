"""Connecting (SQLite by default, PostgreSQL by URL), the schema version and
its migrations, and the integrity check."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import platformdirs
from peewee import Database, OperationalError, PostgresqlDatabase, SqliteDatabase
from playhouse.migrate import SchemaMigrator, migrate

from kela_tui import __version__
from kela_tui.config import APP_NAME
from kela_tui.errors import BadInput
from kela_tui.models import TABLES, Document, SchemaVersion, database


def _indexes_for_waiting_and_audit(db: Database) -> None:
    """Schema 2: the documents waiting by deadline, and the audit trail by time."""
    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_index("document", ("site_id", "deadline"), False),
        migrator.add_index("audit", ("site_id", "at"), False),
    )


# Each migration takes the schema from its position (1-based) to the next
# version. Version 1 is the first schema, created whole; a new database is
# created at the current version directly from the models.
MIGRATIONS: list[Callable[[Database], None]] = [_indexes_for_waiting_and_audit]
SCHEMA_VERSION = 1 + len(MIGRATIONS)
BUSY_TIMEOUT_MS = 10_000


def default_url() -> str:
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{folder / 'kela-tui.db'}"


def resolve_url(given: str | None) -> str:
    return given or os.environ.get("KELA_TUI_DB") or default_url()


def connect(url: str) -> Database:
    """Open the database at `url` and bind the models to it."""
    if url.startswith("sqlite:"):
        db = _sqlite(url)
    elif url.startswith(("postgres://", "postgresql://")):
        db = _postgres(url)
    else:
        raise BadInput("db_url", url=url)
    database.initialize(db)
    return db


def _sqlite(url: str) -> SqliteDatabase:
    path = url.removeprefix("sqlite:///").removeprefix("sqlite://")
    if path != ":memory:":
        file = Path(path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
            # Created readable by its owner only: it is the register of a
            # public authority's customer service.
            os.close(os.open(file, os.O_CREAT | os.O_RDWR, 0o600))
        except OSError as exc:
            raise BadInput("db_unreachable", url=url, problem=exc) from exc
    db = SqliteDatabase(
        path,
        pragmas={
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": BUSY_TIMEOUT_MS,
            "synchronous": "normal",
        },
    )
    try:
        db.connect()
    except OperationalError as exc:
        raise BadInput("db_unreachable", url=url, problem=exc) from exc
    return db


def _postgres(url: str) -> PostgresqlDatabase:
    from playhouse.db_url import connect as connect_url

    db = connect_url(
        url.replace("postgres://", "postgresql://", 1),
        options=f"-c lock_timeout={BUSY_TIMEOUT_MS}",
    )
    try:
        db.connect()
    except OperationalError as exc:
        raise BadInput("db_unreachable", url=_hide_password(url), problem=exc) from exc
    return db


def _hide_password(url: str) -> str:
    head, sep, tail = url.partition("@")
    if not sep or ":" not in head.split("//", 1)[-1]:
        return url
    scheme, rest = head.split("//", 1)
    return f"{scheme}//{rest.split(':', 1)[0]}:***@{tail}"


def current_version(db: Database) -> int:
    """The schema version stored in `db`, 0 for an empty database."""
    if not db.table_exists(SchemaVersion._meta.table_name):
        if any(db.table_exists(t._meta.table_name) for t in TABLES):
            raise BadInput("db_foreign")
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def ensure_schema(db: Database) -> None:
    """Create an empty database; refuse one that is older or newer than us."""
    version = current_version(db)
    if version == 0:
        with db.atomic():
            db.create_tables(TABLES)
            SchemaVersion.create(version=SCHEMA_VERSION, program=__version__)
    elif version > SCHEMA_VERSION:
        raise BadInput("db_newer", found=version, supported=SCHEMA_VERSION)
    elif version < SCHEMA_VERSION:
        raise BadInput("db_older", found=version, supported=SCHEMA_VERSION)


def upgrade(db: Database) -> tuple[int, int]:
    """Migrate to the current schema; returns the versions before and after."""
    before = current_version(db)
    if before > SCHEMA_VERSION:
        raise BadInput("db_newer", found=before, supported=SCHEMA_VERSION)
    if before == 0:
        ensure_schema(db)
        return 0, SCHEMA_VERSION
    for version in range(before, SCHEMA_VERSION):
        with db.atomic():
            MIGRATIONS[version - 1](db)
            SchemaVersion.create(version=version + 1, program=__version__)
    return before, SCHEMA_VERSION


@dataclass
class CheckResult:
    version: int
    problems: list[tuple[str, dict]]

    @property
    def ok(self) -> bool:
        return not self.problems


def check(db: Database) -> CheckResult:
    """Storage integrity, schema version, and the register's own invariants."""
    problems: list[tuple[str, dict]] = []
    version = current_version(db)
    if version != SCHEMA_VERSION:
        problems.append(("check.version", {"found": version, "supported": SCHEMA_VERSION}))
        return CheckResult(version, problems)
    if isinstance(db, SqliteDatabase):
        result = db.execute_sql("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            problems.append(("check.integrity", {"detail": result}))
        for row in db.execute_sql("PRAGMA foreign_key_check").fetchall():
            problems.append(("check.foreign_key", {"detail": row}))
    problems.extend(_receipt_gaps())
    return CheckResult(version, problems)


def _receipt_gaps() -> list[tuple[str, dict]]:
    from peewee import fn

    rows = (
        Document.select(
            Document.site,
            Document.year,
            fn.COUNT(Document.id).alias("n"),
            fn.MAX(Document.number).alias("top"),
        )
        .group_by(Document.site, Document.year)
        .tuples()
    )
    return [
        ("check.receipt_gap", {"site": site, "year": year, "count": n, "top": top})
        for site, year, n, top in rows
        if n != top
    ]


@contextmanager
def writing(db: Database):
    """A write transaction. SQLite takes the write lock at the start, so two
    workstations queue on the busy timeout instead of failing mid-transaction;
    PostgreSQL waits for a row lock at most as long. Past that bound the
    writer gets a clear message and nothing is written."""
    transaction = (
        db.atomic(lock_type="IMMEDIATE") if isinstance(db, SqliteDatabase) else db.atomic()
    )
    try:
        with transaction:
            yield
    except OperationalError as exc:
        if any(word in str(exc) for word in ("locked", "busy", "lock timeout")):
            raise BadInput("db_busy") from exc
        raise


def backup(db: Database, url: str, target: str) -> Path:
    """Copy the database to `target` while it may be in use: SQLite's online
    backup API, or pg_dump's custom format for PostgreSQL. Never overwrites."""
    path = Path(target)
    if path.exists():
        raise BadInput("backup_exists", path=path)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise BadInput("write_failed", path=path, problem=exc.strerror or exc) from exc
    try:
        if isinstance(db, SqliteDatabase):
            target_db = sqlite3.connect(path)
            try:
                db.connection().backup(target_db)
            finally:
                target_db.close()
        else:
            _pg_dump(url, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _pg_dump(url: str, path: Path) -> None:
    pg_dump = find_postgres_program("pg_dump")
    if pg_dump is None:
        raise BadInput("pg_dump_missing")
    done = subprocess.run(
        [pg_dump, "--format=custom", "--file", str(path), "--dbname", url],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise BadInput("backup_failed", problem=done.stderr.strip())


def find_postgres_program(name: str) -> str | None:
    """A PostgreSQL client program: on PATH, or in Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None
