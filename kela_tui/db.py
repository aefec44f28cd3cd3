"""Connecting (SQLite by default, PostgreSQL by URL), the schema version and
its migrations, the locks that order writes against closing a month, database
failures in words, and the integrity check."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import platformdirs
from peewee import Database, DatabaseError, PostgresqlDatabase, SqliteDatabase, TextField

from kela_tui import __version__
from kela_tui.config import APP_NAME
from kela_tui.errors import BadInput
from kela_tui.models import TABLES, Document, Rendering, SchemaVersion, SiteSettings, database


def _indexes_for_waiting_and_audit(db: Database, config=None) -> None:
    """Schema 2: the documents waiting by deadline, and the audit trail by time."""
    # Imported when needed: it imports peewee's PostgreSQL extensions and their driver.
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_index("document", ("site_id", "deadline"), False),
        migrator.add_index("audit", ("site_id", "at"), False),
    )


def _frozen_claims(db: Database, config=None) -> None:
    """Schema 3: an issued statement keeps its claim, its export rows and its
    renderings. A month closed before this keeps what it had, its text and
    HTML; its claim is taken from the records as they are now, which the
    closing kept from changing."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column("statement", "figures", TextField(null=True)),
        migrator.add_column("statement", "export_rows", TextField(null=True)),
    )
    db.create_tables([Rendering])
    from kela_tui.statement import freeze_closed_months

    freeze_closed_months()


def _settings_in_the_database(db: Database, config=None) -> None:
    """Schema 4: each point's settings in the database, versioned. The first
    version, valid from the agreement's start, is the point's row (name and
    agreement) with the rest as the upgrading workstation's configuration file
    gives it for its own point, and the defaults for other points."""
    from kela_tui import audit
    from kela_tui import settings as point_settings
    from kela_tui.models import Site

    db.create_tables([SiteSettings])
    for site in Site.select():
        given = config.point if config is not None and config.site_code == site.code else None
        row = SiteSettings.create(
            site=site,
            valid_from=site.agreement_start,
            values=point_settings.encode(point_settings.legacy(site, given)),
        )
        audit.record_upgrade(row, None)


def _services_entered_later(db: Database, config=None) -> None:
    """Schema 5: a service entered afterwards from a tally is marked so. Every
    earlier service was logged as it happened. The column is added with its
    default in one statement on both databases (peewee's migrator would
    rebuild SQLite's table, which the other tables refer to)."""
    postgres = isinstance(db, PostgresqlDatabase)
    kind = "BOOLEAN NOT NULL DEFAULT FALSE" if postgres else "INTEGER NOT NULL DEFAULT 0"
    db.execute_sql(f'ALTER TABLE "service" ADD COLUMN "entered_later" {kind}')


def _statistics_index(db: Database, config=None) -> None:
    """Schema 6: the index the statistics count services by holds all they
    read of a service (its weekday, hour, staff, visit and the service it
    replaced besides its site, status, day and category), so that a month
    of a region's database is counted without reading the table. Schema 6
    also lets a point's settings hold the statement's parties ([statement]:
    business IDs, the agreement's reference, a contact, the account): the
    versions already stored need nothing (what they lack is empty), but a
    program of schema 5 would take a version with the new section for a
    broken one; the number tells it the database is newer."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    # Each step only where it is still to be done: a database the tables
    # were made for by a later program (as some tests make older ones) has
    # the new index already and not the old one.
    indexes = {index.name: tuple(index.columns) for index in db.get_indexes("service")}
    steps = []
    if "service_site_id_status_day_category" in indexes:
        steps.append(migrator.drop_index("service", "service_site_id_status_day_category"))
    if STATISTICS_INDEX not in indexes.values():
        steps.append(migrator.add_index("service", STATISTICS_INDEX, False))
    migrate(*steps)


STATISTICS_INDEX = (
    *("site_id", "status", "day", "category"),
    *("weekday", "hour", "staff_id", "visit_id", "replaces_id", "id"),
)


# Each migration takes the schema from its position (1-based) to the next
# version, given the upgrading workstation's configuration (or None). Version
# 1 is the first schema, created whole; a new database is created at the
# current version directly from the models.
MIGRATIONS: list[Callable] = [
    _indexes_for_waiting_and_audit,
    _frozen_claims,
    _settings_in_the_database,
    _services_entered_later,
    _statistics_index,
]
SCHEMA_VERSION = 1 + len(MIGRATIONS)
BUSY_TIMEOUT_MS = 10_000
# PostgreSQL advisory lock keys: one for the schema (a single 64-bit key), and
# (site, year*100+month) pairs of 32-bit keys for months; the two key spaces
# do not overlap.
SCHEMA_LOCK = 0x6B656C61  # "kela"

# How a command or the program opens the database.
READ = "read"  # an existing, current database; nothing is created or changed
WRITE = "write"  # an existing database; its schema is created or upgraded if needed
CREATE = "create"  # as WRITE, and a missing SQLite file is created


def default_url() -> str:
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return f"sqlite:///{folder / 'kela-tui.db'}"


def resolve_url(given: str | None) -> str:
    return given or os.environ.get("KELA_TUI_DB") or default_url()


def is_default(given: str | None) -> bool:
    """Whether the database is the default file, not one named by the user."""
    return not (given or os.environ.get("KELA_TUI_DB"))


def connect(url: str, mode: str = WRITE) -> Database:
    """Open the database at `url` and bind the models to it. A SQLite file
    that does not exist is created only in CREATE mode: a mistyped path is an
    error, not a new empty database. READ changes nothing in the file, not
    even its journal mode."""
    scheme = url.partition(":")[0].lower()
    if scheme == "sqlite":
        db = _sqlite(url, mode)
    elif scheme in ("postgres", "postgresql"):
        db = _postgres(url)
    else:
        raise BadInput("db_url", url=mask_url(url))
    database.initialize(db)
    return db


def sqlite_path(url: str) -> str:
    rest = url.split(":", 1)[1]
    return rest.removeprefix("///") if rest.startswith("///") else rest.removeprefix("//")


def _sqlite(url: str, mode: str) -> SqliteDatabase:
    path = sqlite_path(url)
    if path != ":memory:":
        # Before anything is made there: never a file on a network drive.
        from kela_tui.netfs import refuse

        refuse(path)
        file = Path(path)
        if file.is_dir():
            raise BadInput("db_not_a_file", path=file)
        # An empty file is no database of ours (db upgrade makes it one); the
        # journal-mode switch would otherwise write into it.
        if mode != CREATE and file.exists() and not file.stat().st_size:
            raise BadInput("db_empty")
        if not file.exists():
            if mode != CREATE:
                raise BadInput("db_missing", path=file, url=url)
            try:
                file.parent.mkdir(parents=True, exist_ok=True)
                # Created readable by its owner only: it is the register of a
                # public authority's customer service.
                os.close(os.open(file, os.O_CREAT | os.O_RDWR, 0o600))
            except OSError as exc:
                raise BadInput("db_unreachable", url=url, problem=exc.strerror or exc) from exc
    # The busy timeout comes first: switching to WAL needs a lock too, and
    # several workstations may start at once.
    pragmas = [("busy_timeout", BUSY_TIMEOUT_MS), ("foreign_keys", 1), ("synchronous", "normal")]
    if mode != READ:
        pragmas.insert(1, ("journal_mode", "wal"))
    db = SqliteDatabase(path, pragmas=pragmas, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db.connect()
    except DatabaseError as exc:
        raise explain(exc, url) or BadInput("db_unreachable", url=url, problem=exc) from exc
    return db


def postgresql_driver() -> None:
    """Give peewee the PostgreSQL driver, which the package's import left
    out (see `kela_tui/__init__.py`): what peewee's own import would have set."""
    import peewee

    if peewee.psycopg2 is not None:
        return
    import psycopg2
    from psycopg2 import extensions
    from psycopg2.extras import Json, register_uuid

    register_uuid()
    peewee.psycopg2, peewee.pg_extensions, peewee.Json_pg2 = psycopg2, extensions, Json
    peewee.pg_register_uuid = register_uuid
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN


# PostgreSQL's cost of reading a page out of order, for the program's sessions.
RANDOM_PAGE_COST = 1.1


def _postgres(url: str) -> PostgresqlDatabase:
    from playhouse.db_url import connect as connect_url

    postgresql_driver()

    # The password is taken out first: unencoded, it may hold characters that
    # a URL parser takes for the end of the host ("#", "?", "/", "@").
    secret = password_of(url)
    extra = {"password": secret} if secret is not None else {}
    try:
        db = connect_url(
            "postgresql://" + without_password(url).split("://", 1)[1],
            unquote_user=True,
            # random_page_cost: a service point's tables are read from memory
            # (or SSD), not from the spinning disks PostgreSQL's default
            # assumes; with it the server read all feedback rather than
            # follow an index to a month's few. For this session only.
            options=f"-c lock_timeout={BUSY_TIMEOUT_MS} -c random_page_cost={RANDOM_PAGE_COST}",
            **extra,
        )
        db.connect()
    except (DatabaseError, ValueError) as exc:
        raise BadInput(
            "db_unreachable", url=mask_url(url), problem=scrub(str(exc).strip(), url)
        ) from exc
    return db


# The password of a URL is everything between the user's colon and the last
# "@" (a password may hold "@", "#", "?" or "/" without being encoded), and any
# password=... in its query or in a libpq keyword string.
_USERINFO_PASSWORD = re.compile(r"^([a-z][a-z0-9+.-]*://[^:@/]*:)(.*)(@[^@]*)$", re.I | re.S)
_KEYWORD_PASSWORD = re.compile(r"(password\s*=\s*)('[^']*'|[^&\s]*)", re.I)


def mask_url(url: str) -> str:
    """`url` as it was given, with every form of password in it as ***."""
    masked = _USERINFO_PASSWORD.sub(r"\1***\3", url)
    return _KEYWORD_PASSWORD.sub(r"\1***", masked)


def password_of(url: str) -> str | None:
    """The password a PostgreSQL URL carries, in its userinfo or its query."""
    keyword = _KEYWORD_PASSWORD.search(url)
    if keyword:
        return unquote(keyword.group(2).strip("'"))
    found = _USERINFO_PASSWORD.match(url)
    return unquote(found.group(2)) if found else None


def without_password(url: str) -> str:
    """`url` with its password left out, for handing to another program."""
    found = _USERINFO_PASSWORD.match(url)
    if found:
        url = found.group(1)[:-1] + found.group(3)
    parts = urlsplit(url)
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k.lower() != "password"])
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


def scrub(text: str, url: str) -> str:
    """A message from a driver with the URL's password, if any, masked."""
    secret = password_of(url)
    return text.replace(secret, "***") if secret else text


# Database failures in words. Each entry: words that the drivers' messages
# contain (lower case), and the message key that says what happened.
_FAILURES = (
    (("database or disk is full", "no space left", "disk full", "disk quota"), "db_full"),
    (("locked", "busy", "lock timeout", "could not obtain lock"), "db_busy"),
    (("file is not a database", "malformed", "not a database"), "db_damaged"),
    (("disk i/o error",), "db_io"),
    (("readonly", "read-only"), "db_readonly"),
    # PostgreSQL's user lacks a privilege (creating the tables needs their owner).
    (("permission denied", "must be owner of"), "db_permission"),
    (
        (
            "server closed the connection",
            "connection already closed",
            "terminating connection",
            "could not connect",
            "connection refused",
            "connection to server",
            "no connection to the server",
            "ssl syscall",
            "connection timed out",
        ),
        "db_connection_lost",
    ),
)


def explain(exc: BaseException, url: str = "") -> BadInput | None:
    """A database failure said in words, or None when it is something else.
    A lost connection is closed, so the next action connects again."""
    if not isinstance(exc, DatabaseError | sqlite3.DatabaseError):
        return None
    # A statement that fails for a full disk ends SQLite's transaction, and the
    # rollback that follows then fails too: what matters is the first error.
    while "no transaction is active" in str(exc) and exc.__context__ is not None:
        exc = exc.__context__
    words = str(exc).lower()
    if "disk i/o error" in words and _disk_nearly_full():
        return BadInput("db_full", problem=str(exc).strip())
    for needles, key in _FAILURES:
        if any(needle in words for needle in needles):
            if key == "db_connection_lost":
                reset()
            problem = str(exc).strip()
            if key == "db_permission":
                problem = problem.splitlines()[0]  # not the statement quoted below it
            return BadInput(key, problem=scrub(problem, url))
    if type(exc).__name__ == "InterfaceError":
        reset()
        return BadInput("db_connection_lost", problem=str(exc).strip())
    return None


def _disk_nearly_full() -> bool:
    """Whether the SQLite database's disk has (almost) no room left: SQLite
    then says only "disk I/O error" when it cannot make its shared-memory file."""
    db = database.obj
    if not isinstance(db, SqliteDatabase) or db.database == ":memory:":
        return False
    try:
        return shutil.disk_usage(Path(db.database).resolve().parent).free < 1024 * 1024
    except OSError:
        return False


def reset() -> None:
    """Close the current connection, whatever its state: the next query opens a
    new one (peewee connects again on demand)."""
    db = database.obj
    if db is None:
        return
    try:
        db.close()
    except Exception:  # noqa: BLE001 - a broken connection may fail to close; forget it
        db._state.reset()


def current_version(db: Database) -> int:
    """The schema version stored in `db`, 0 for an empty database. A database
    holding tables of another program is refused: kela-tui never adds its
    own beside them."""
    tables = set(db.get_tables())
    if SchemaVersion._meta.table_name not in tables:
        if tables:
            raise BadInput("db_foreign")
        return 0
    try:
        found = db.execute_sql("SELECT MAX(version) FROM schema_version").fetchone()[0]
    except DatabaseError as exc:
        raise BadInput("db_foreign") from exc
    if not isinstance(found, int):
        raise BadInput("db_foreign")
    return found


def ensure_schema(db: Database, mode: str = WRITE, config=None) -> None:
    """Make sure the schema is current. Reading refuses an empty or older
    database; writing creates or upgrades it, with one workstation doing it
    while any others starting at the same time wait, then find it done."""
    version = _guarded(lambda: current_version(db))
    if version == SCHEMA_VERSION:
        return
    if version > SCHEMA_VERSION:
        raise BadInput("db_newer", found=version, supported=SCHEMA_VERSION)
    if mode == READ:
        raise BadInput("db_empty" if version == 0 else "db_older", found=version)
    # An empty SQLite file is no database of ours: it is made one on purpose,
    # with db upgrade (or the first start on the default path). An empty
    # PostgreSQL database has been created for us by its administrator.
    if version == 0 and mode == WRITE and isinstance(db, SqliteDatabase):
        raise BadInput("db_empty")
    upgrade(db, config)


def upgrade(db: Database, config=None) -> tuple[int, int]:
    """Create or migrate to the current schema, holding the schema lock; returns
    the versions before and after. `config` is the upgrading workstation's
    configuration: its point's settings move into the database."""
    with schema_lock(db):
        before = current_version(db)
        if before > SCHEMA_VERSION:
            raise BadInput("db_newer", found=before, supported=SCHEMA_VERSION)
        if before == 0:
            db.create_tables(TABLES)
            SchemaVersion.create(version=SCHEMA_VERSION, program=__version__)
            return 0, SCHEMA_VERSION
        for version in range(before, SCHEMA_VERSION):
            MIGRATIONS[version - 1](db, config)
            SchemaVersion.create(version=version + 1, program=__version__)
    return before, SCHEMA_VERSION


@contextmanager
def schema_lock(db: Database):
    """One transaction that holds the whole database's schema: SQLite's write
    lock, or a PostgreSQL advisory lock that the other workstations wait for."""
    with writing(db):
        if isinstance(db, PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
        yield


def lock_month(db: Database, site_id: int, year: int, month: int, exclusive: bool) -> None:
    """Inside a write transaction: the lock that orders writes into a month
    against closing it. Writers share it; closing and reopening hold it alone.
    On SQLite the transaction's write lock (BEGIN IMMEDIATE) is that lock."""
    if isinstance(db, PostgresqlDatabase):
        kind = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        db.execute_sql(f"SELECT {kind}(%s, %s)", (site_id, year * 100 + month))


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
    version = _guarded(lambda: current_version(db))
    if version != SCHEMA_VERSION:
        problems.append(("check.version", {"found": version, "supported": SCHEMA_VERSION}))
        return CheckResult(version, problems)
    if isinstance(db, SqliteDatabase):
        result = _guarded(lambda: db.execute_sql("PRAGMA integrity_check").fetchone()[0])
        if result != "ok":
            problems.append(("check.integrity", {"detail": result}))
        for row in _guarded(lambda: db.execute_sql("PRAGMA foreign_key_check").fetchall()):
            problems.append(("check.foreign_key", {"detail": row}))
    problems.extend(_guarded(_receipt_gaps))
    return CheckResult(version, problems)


def _guarded(read: Callable):
    """Run a read; a database failure becomes its message in words."""
    try:
        return read()
    except DatabaseError as exc:
        raise explain(exc) or BadInput("db_damaged", problem=exc) from exc


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
    PostgreSQL waits for a lock at most as long. A failure of the database is
    said in words (busy, disk full, damaged, connection lost), and nothing is
    written."""
    transaction = (
        db.atomic(lock_type="IMMEDIATE") if isinstance(db, SqliteDatabase) else db.atomic()
    )
    with reading(db), transaction:
        yield


@contextmanager
def reading(db: Database):
    """A read outside a write transaction, its failure said in words as a
    write's is (a lost connection is reset for the next action)."""
    try:
        yield
    except DatabaseError as exc:
        explained = explain(exc)
        if explained is None:
            raise
        raise explained from exc


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
    except sqlite3.Error as exc:
        path.unlink(missing_ok=True)
        raise explain(exc) or BadInput("backup_failed", problem=exc) from exc
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _pg_dump(url: str, path: Path) -> None:
    """pg_dump with the password in its environment, never on its command line
    where every local user could read it."""
    pg_dump = find_postgres_program("pg_dump")
    if pg_dump is None:
        raise BadInput("pg_dump_missing")
    environment = dict(os.environ)
    secret = password_of(url)
    if secret is not None:
        environment["PGPASSWORD"] = secret
    done = subprocess.run(
        [pg_dump, "--format=custom", "--file", str(path), "--dbname", without_password(url)],
        capture_output=True,
        text=True,
        env=environment,
    )
    if done.returncode != 0:
        raise BadInput("backup_failed", problem=scrub(done.stderr.strip(), url))


def find_postgres_program(name: str) -> str | None:
    """A PostgreSQL client program: on PATH, or in Debian's versioned folders."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None
