import hashlib
import os
import stat

import pytest
from peewee import SqliteDatabase

from kela_tui import db as storage
from kela_tui.context import open_context
from kela_tui.errors import BadInput
from kela_tui.models import SchemaVersion, Service
from tests.conftest import fresh_postgres_url


def test_sqlite_file_is_private_with_wal_and_foreign_keys(sqlite_ctx, tmp_path):
    mode = stat.S_IMODE(os.stat(tmp_path / "kela.db").st_mode)
    assert mode == 0o600
    db = sqlite_ctx.db
    assert db.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute_sql("PRAGMA busy_timeout").fetchone()[0] == storage.BUSY_TIMEOUT_MS


def test_default_url_is_in_the_user_data_directory(monkeypatch, tmp_path):
    monkeypatch.delenv("KELA_TUI_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert storage.resolve_url(None) == f"sqlite:///{tmp_path}/kela-tui/kela-tui.db"
    monkeypatch.setenv("KELA_TUI_DB", "sqlite:////x.db")
    assert storage.resolve_url(None) == "sqlite:////x.db"
    assert storage.resolve_url("sqlite:////y.db") == "sqlite:////y.db"


def test_new_database_gets_the_current_schema(ctx):
    assert storage.current_version(ctx.db) == storage.SCHEMA_VERSION
    assert storage.check(ctx.db).ok


def file_hash(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_database_is_refused_and_left_untouched(sqlite_url, config, clock, tmp_path):
    ctx = open_context(config, sqlite_url, clock)
    SchemaVersion.create(version=storage.SCHEMA_VERSION + 1, program="9.9")
    ctx.db.close()
    before = file_hash(tmp_path / "kela.db")
    with pytest.raises(BadInput) as caught:
        open_context(config, sqlite_url, clock)
    assert "written by a newer kela-tui" in str(caught.value)
    with pytest.raises(BadInput, match="newer"):
        storage.upgrade(storage.connect(sqlite_url))
    storage.connect(sqlite_url).close()
    assert file_hash(tmp_path / "kela.db") == before


def test_a_newer_postgres_database_is_refused(db_url, config, clock):
    ctx = open_context(config, db_url, clock)
    SchemaVersion.create(version=storage.SCHEMA_VERSION + 1, program="9.9")
    ctx.db.close()
    with pytest.raises(BadInput, match="newer"):
        open_context(config, db_url, clock)


def test_an_older_database_is_upgraded_by_a_writer_and_refused_by_a_reader(
    db_url, config, clock, monkeypatch
):
    from peewee import CharField
    from playhouse.migrate import SchemaMigrator, migrate

    from kela_tui import services

    ctx = open_context(config, db_url, clock)
    services.log_service(ctx, "advice")
    ctx.db.close()

    def add_column(db, config=None):
        migrator = SchemaMigrator.from_database(db)
        migrate(migrator.add_column("service", "channel", CharField(null=True)))

    # A program one schema version ahead of the database.
    now = storage.SCHEMA_VERSION
    monkeypatch.setattr(storage, "MIGRATIONS", [*storage.MIGRATIONS, add_column])
    monkeypatch.setattr(storage, "SCHEMA_VERSION", now + 1)
    # Reading never changes a database: a backup checked by its path stays as it was.
    with pytest.raises(BadInput, match="kela-tui db upgrade"):
        open_context(config, db_url, clock, mode=storage.READ)
    ctx = open_context(config, db_url, clock)
    assert storage.current_version(ctx.db) == now + 1
    assert "channel" in [c.name for c in ctx.db.get_columns("service")]
    assert Service.select().count() == 1
    assert SchemaVersion.select().count() == 2
    ctx.db.close()
    assert open_context(config, db_url, clock, mode=storage.READ).site.code == "KANNUS"


def test_upgrade_of_an_empty_database_creates_it(tmp_path):
    db = storage.connect(f"sqlite:///{tmp_path / 'new.db'}", storage.CREATE)
    assert storage.upgrade(db) == (0, storage.SCHEMA_VERSION)
    assert storage.upgrade(db) == (storage.SCHEMA_VERSION, storage.SCHEMA_VERSION)


def test_a_database_of_another_program_is_not_touched(tmp_path, config, clock):
    path = tmp_path / "other.db"
    other = SqliteDatabase(str(path))
    other.execute_sql("CREATE TABLE service (id INTEGER)")
    other.close()
    with pytest.raises(BadInput, match="another program"):
        open_context(config, f"sqlite:///{path}", clock)


def test_check_finds_a_receipt_gap(ctx):
    from kela_tui import documents
    from kela_tui.models import Document

    documents.receive_documents(ctx, "application", 3)
    Document.update(number=7).where(Document.number == 3).execute()
    problems = storage.check(ctx.db).problems
    assert problems and problems[0][0] == "check.receipt_gap"


def test_unreachable_postgres_is_a_clear_bad_input():
    with pytest.raises(BadInput) as caught:
        storage.connect("postgresql://kela:secret@127.0.0.1:1/nowhere")
    message = str(caught.value)
    assert message.startswith("cannot open the database postgresql://kela:***@127.0.0.1:1")
    assert "secret" not in message


def test_unknown_url_scheme():
    with pytest.raises(BadInput, match="unknown database URL"):
        storage.connect("mysql://x")


def test_both_backends_store_the_same(ctx):
    from kela_tui import services

    services.log_service(ctx, "advice", note="ääkköset ÅÄÖ")
    assert Service.get().note == "ääkköset ÅÄÖ"


def test_postgresql_sessions_read_pages_as_from_memory(postgres, config, clock):
    """The program's PostgreSQL sessions cost a page read out of order as
    from memory, so a month's few rows are found by their index (see
    db.RANDOM_PAGE_COST), and keep their lock timeout."""
    ctx = open_context(config, fresh_postgres_url(postgres), clock, mode=storage.CREATE)
    assert float(ctx.db.execute_sql("SHOW random_page_cost").fetchone()[0]) == 1.1
    assert ctx.db.execute_sql("SHOW lock_timeout").fetchone()[0] != "0"
