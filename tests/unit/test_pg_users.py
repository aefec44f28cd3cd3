"""The PostgreSQL users of the README's section for IT ("For IT: several PCs
on one PostgreSQL database"), made with its own SQL on a real server: the
owner creates and upgrades the tables, and the counter PCs' user, with only
the privileges given there, does everything a counter does. A user that may
not create the tables is told so (exit 2), not sent to the error log."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg2
import pytest

from kela_tui.cli import main
from kela_tui.clock import FixedClock
from tests.conftest import OPEN_DAY

README = Path(__file__).resolve().parents[2] / "README.md"
_made = 0


def readme_sql() -> str:
    """The SQL block of the README's section for IT."""
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## For IT: several PCs on one PostgreSQL database") :]
    return re.search(r"```sql\n(.*?)```", section, re.S)[1]


@pytest.fixture
def users(postgres):
    """The README's database and users, with names of their own on the
    session's server: (owner's URL, counter's URL, the server's URL of a
    database named NAME)."""
    global _made
    _made += 1
    owner, counter, name = f"kela_owner_{_made}", f"kela_counter_{_made}", f"kela_it_{_made}"
    sql = readme_sql()
    sql = re.sub(r"\bkela_owner\b", owner, sql)
    sql = re.sub(r"\bkela_counter\b", counter, sql)
    sql = re.sub(r"(DATABASE|\\connect) kela\b", rf"\1 {name}", sql)
    server, _, database = sql.partition(f"\\connect {name}\n")
    for url, script in ((postgres.url(), server), (postgres.url(name), database)):
        conn = psycopg2.connect(url)
        conn.autocommit = True  # CREATE DATABASE is no transaction's
        with conn.cursor() as cursor:
            for statement in filter(str.strip, script.split(";")):
                cursor.execute(statement)
        conn.close()
    base = postgres.url(name).replace("kela@", "{user}@")
    return base.format(user=owner), base.format(user=counter), owner


def run(tmp_path, capsys, url: str, *argv: str) -> tuple[int, str]:
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    code = main(["--config", str(config), "--db", url, *argv], clock=FixedClock(OPEN_DAY))
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_the_readme_has_the_sql():
    assert "GRANT SELECT, INSERT, UPDATE ON TABLES TO kela_counter" in readme_sql()


def test_the_counter_user_does_a_counters_work(users, tmp_path, capsys):
    owner, counter, _ = users
    assert run(tmp_path, capsys, owner, "db", "upgrade") == (0, "schema version 0 -> 6\n")
    for argv in [
        ("demo", "--months", "2"),
        ("log", "advice"),
        ("doc", "receive", "--type", "application"),
        ("settings", "set", "office_hours.mon", "08:00-15:00"),
        ("staff", "add", "liisa", "Liisa Laine"),
        ("issue", "2026-08"),
        ("reopen", "2026-08", "--reason", "a correction"),
        ("issue", "2026-08"),
        ("stats", "2026-08"),
        ("export", "2026-08"),
        ("db", "check"),
        ("backup", str(tmp_path / "kela.dump")),
    ]:
        code, said = run(tmp_path, capsys, counter, *argv)
        assert code == 0, (argv, said)
    assert (tmp_path / "kela.dump").stat().st_size > 0
    # A new version's upgrade is the owner's again.
    assert run(tmp_path, capsys, owner, "db", "upgrade") == (0, "schema version 6 -> 6\n")


@pytest.mark.parametrize("argv", [("demo",), ("db", "upgrade"), ("log", "advice")])
def test_a_user_that_may_not_make_the_tables_is_told_so(users, tmp_path, capsys, argv):
    _, counter, _ = users
    code, said = run(tmp_path, capsys, counter, *argv)
    assert code == 2
    assert said == (
        "kela-tui: the database does not allow this to its user (permission denied for "
        "schema public): nothing was saved. The tables are created and upgraded once, as "
        "the user that owns them; everyday use needs SELECT, INSERT and UPDATE on the "
        "tables (README: For IT: several PCs on one PostgreSQL database)\n"
    )
    assert not (tmp_path / "data" / "kela-tui" / "errors.log").exists()
