from __future__ import annotations

import threading
from dataclasses import replace
from datetime import datetime

import psycopg2
import pytest

from kela_tui import db as storage
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.i18n import use_language
from kela_tui.models import database
from tests.postgres_server import PostgresServer

# Tuesday 15 September 2026, 10:00 in Kannus: an ordinary open day.
OPEN_DAY = datetime(2026, 9, 15, 10, 0)


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages in English unless a test chooses otherwise."""
    use_language("en")
    yield
    use_language("fi")


@pytest.fixture(autouse=True)
def _own_data_folder(monkeypatch, tmp_path):
    """The error log and the default database of a test stay in its folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture(autouse=True)
def _no_browser(monkeypatch):
    """Tests never open a browser; the tests of opening one patch webbrowser."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


def with_point(config: Config, **changes) -> Config:
    """`config` whose point settings (which seed a new database) differ."""
    return replace(config, point=replace(config.point, **changes))


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(OPEN_DAY)


@pytest.fixture
def config(tmp_path) -> Config:
    # The daily backup is off unless a test turns it on (tests/unit/
    # test_daily_backup.py, tests/functional/test_backup_panel.py): it would
    # add its line to every snapshot of F2's side panel.
    return Config(path=tmp_path / "config.toml", backup_daily=False)


@pytest.fixture(scope="session")
def postgres():
    server = PostgresServer()
    server.start()
    yield server
    server.stop()


_test_number = 0


def fresh_postgres_url(server: PostgresServer) -> str:
    """A new, empty database on the test server."""
    global _test_number
    _test_number += 1
    name = f"kela_test_{_test_number}"
    conn = psycopg2.connect(server.url())
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    conn.close()
    return server.url(name)


def new_sqlite_url(path) -> str:
    """A new SQLite database with the current schema and no data, as
    `kela-tui --db URL db upgrade` makes it."""
    url = f"sqlite:///{path}"
    storage.upgrade(storage.connect(url, storage.CREATE))
    storage.database.obj.close()
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """An empty database: a SQLite file, and a real PostgreSQL server."""
    if request.param == "sqlite":
        return new_sqlite_url(tmp_path / "kela.db")
    return fresh_postgres_url(request.getfixturevalue("postgres"))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return new_sqlite_url(tmp_path / "kela.db")


@pytest.fixture
def ctx(db_url, config, clock):
    context = open_context(config, db_url, clock)
    yield context
    context.db.close()


@pytest.fixture
def sqlite_ctx(sqlite_url, config, clock):
    context = open_context(config, sqlite_url, clock)
    yield context
    context.db.close()


@pytest.fixture(autouse=True)
def _close_database():
    yield
    if database.obj is not None and not database.obj.is_closed():
        database.obj.close()


@pytest.fixture
def held_copy(monkeypatch):
    """The daily backup's copy held until the test says: the events
    (copying, finish), the first set when the copy begins, the second to
    be set by the test to let it finish."""
    from kela_tui import backups

    copying, finish = threading.Event(), threading.Event()
    real_copy = backups._copy

    def held(source, target):
        copying.set()
        finish.wait(30)
        real_copy(source, target)

    monkeypatch.setattr(backups, "_copy", held)
    return copying, finish
