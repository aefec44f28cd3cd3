"""A database of the first schema, kept as a fixture, upgrades with its data."""

import json
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from kela_tui import db as storage
from kela_tui import statistics
from kela_tui.cli import main
from kela_tui.clock import FixedClock

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture
def first_schema(tmp_path) -> str:
    path = tmp_path / "v1.sqlite"
    shutil.copy(FIXTURES / "schema-v1.sqlite", path)
    return f"sqlite:///{path}"


def indexes(url: str) -> set[tuple[str, tuple[str, ...]]]:
    db = storage.connect(url)
    found = {
        (table, tuple(index.columns))
        for table in db.get_tables()
        for index in db.get_indexes(table)
    }
    db.close()
    return found


def test_the_fixture_is_of_the_first_schema(first_schema):
    assert storage.current_version(storage.connect(first_schema)) == 1


def test_upgrade_keeps_the_data_and_matches_a_new_database(first_schema, tmp_path, capsys):
    clock = FixedClock(datetime(2026, 9, 20, 15, 0))
    argv = ["--config", str(tmp_path / "c.toml"), "--db", first_schema, "--lang", "en"]
    assert main([*argv, "stats", "2026-08"], clock=clock) == 2
    assert "older schema (1)" in capsys.readouterr().err
    assert main([*argv, "db", "upgrade"], clock=clock) == 0
    assert f"1 -> {storage.SCHEMA_VERSION}" in capsys.readouterr().out
    assert main([*argv, "db", "check"], clock=clock) == 0
    capsys.readouterr()
    assert main([*argv, "stats", "2026-08", "--format", "json"], clock=clock) == 0
    after = json.loads(capsys.readouterr().out)
    before = json.loads((FIXTURES / "schema-v1-2026-08.json").read_text(encoding="utf-8"))
    # The month was never issued: its booth minutes count by today's rule,
    # from connecting to Kela to the end.
    before["booth"]["minutes"] = 74
    before["booth"]["utilisation"] = statistics.utilisation(74, before["booth"]["kela_minutes"])
    assert {k: after[k] for k in before} == before
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert (
        main(["--config", str(tmp_path / "c.toml"), "--db", fresh, "db", "upgrade"], clock=clock)
        == 0
    )
    assert indexes(first_schema) == indexes(fresh)
    assert main([*argv, "log", "1"], clock=clock) == 0


def service_indexes(db) -> dict[str, tuple[str, ...]]:
    return {index.name: tuple(index.columns) for index in db.get_indexes("service")}


def test_schema_6_counts_services_from_one_index_and_the_one_before_refuses_it(
    db_url, config, clock, monkeypatch
):
    from kela_tui.context import open_context
    from kela_tui.errors import BadInput
    from kela_tui.models import SchemaVersion

    # A database of schema 5, as the program before made it.
    db = storage.connect(db_url, storage.CREATE)
    storage.upgrade(db)
    new = next(n for n, c in service_indexes(db).items() if c == storage.STATISTICS_INDEX)
    db.execute_sql(f'DROP INDEX "{new}"')
    db.execute_sql(
        "CREATE INDEX service_site_id_status_day_category "
        'ON "service" ("site_id", "status", "day", "category")'
    )
    SchemaVersion.update(version=5).where(SchemaVersion.version == 6).execute()
    assert storage.current_version(db) == 5
    assert storage.upgrade(db) == (5, 6)
    indexes = service_indexes(db)
    assert storage.STATISTICS_INDEX in indexes.values()
    assert "service_site_id_status_day_category" not in indexes
    db.close()
    # The program of schema 5 refuses the upgraded database.
    monkeypatch.setattr(storage, "SCHEMA_VERSION", 5)
    with pytest.raises(BadInput, match="newer"):
        open_context(config, db_url, clock)
