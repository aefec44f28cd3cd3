"""Hostile and careless input on the command line and in the domain: control
characters, text too long, values out of range, identity codes in any text,
HTML in names, a wrong path, a damaged file. Each gets a clear message, and
nothing is written."""

import io
import json
import os
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from kela_tui import booth, documents, feedback, receipts, services, settings, statement, text
from kela_tui.cli import main
from kela_tui.config import parse
from kela_tui.context import open_context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg, Translator
from kela_tui.models import Audit, Document, Feedback, Service
from kela_tui.months import Month

EN = Translator("en")
ESC_TITLE = "katso \x1b]2;hacked\x1b\\ liite"


@pytest.fixture
def kela(tmp_path, clock, capsys, db_url, config):
    """The command line against one set-up database: (code, out, err)."""
    open_context(config, db_url, clock).db.close()

    def run(*argv: str) -> tuple[int, str, str]:
        code = main(
            ["--config", str(tmp_path / "config.toml"), "--db", db_url, "--lang", "en", *argv],
            clock=clock,
        )
        out, err = capsys.readouterr()
        return code, out, err

    return run


def written() -> tuple[int, int, int, int]:
    return (
        Service.select().count(),
        Document.select().count(),
        Feedback.select().count(),
        Audit.select().count(),
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("log", "1", "--note", ESC_TITLE), "control character (U+001B)"),
        (("log", "1", "--note", "nul\x00here"), "control character (U+0000)"),
        (("log", "1", "--note", "del\x7f"), "control character (U+007F)"),
        (("log", "1", "--note", "c1\x9b2J"), "control character (U+009B)"),
        (("log", "1", "--note", "two\nlines"), "control character (U+000A)"),
        (("log", "1", "--note", "tab\there"), "control character (U+0009)"),
        (("log", "1", "--note", "x" * 1_000_000), "too long: at most 500 characters"),
        (("doc", "receive", "--type", "other", "--note", "\x1b[2J"), "control character"),
        (("feedback", "hyvä\x1b[31m palvelu"), "control character (U+001B)"),
        (("feedback", "x" * 4001), "too long: at most 4000 characters"),
        (("reopen", "2026-08", "--reason", "late\nentry"), "control character (U+000A)"),
        (("log", "1", "--at", "2026-09-15T10:00\x00"), "expected a date and time"),
        (("stats", "0000-01"), "expected a month from 2000 to 2100"),
        (("issue", "0001-01"), "expected a month from 2000 to 2100"),
        (("export", "9999-12"), "expected a month from 2000 to 2100"),
        (("log", "1", "--at", "9999-12-31T23:59-14:00"), "expected a date and time"),
        (("log", "1", "--at", "0001-01-01T00:00+14:00"), "expected a date and time"),
        (("log", "1", "--at", "2027-03-28T03:30"), "does not exist in Finnish time"),
    ],
)
def test_bad_text_and_values_are_exit_2_and_write_nothing(kela, argv, message):
    kela("db", "check")
    before = written()
    code, _, err = kela(*argv)
    assert (code, message in err) == (2, True), err
    assert "Traceback" not in err and "\x1b" not in err and "\x00" not in err
    assert written() == before


@pytest.mark.parametrize(
    "argv",
    [
        ("log", "1", "--visit-of", "99999999999999999999999"),
        ("log", "1", "--visit-of", "0"),
        ("log", "1", "--visit-of", "-1"),
        ("doc", "receive", "--type", "other", "--visit-of", str(2**63)),
    ],
)
def test_record_numbers_beyond_64_bits_are_usage_errors(kela, argv):
    with pytest.raises(SystemExit) as caught:
        kela(*argv)
    assert caught.value.code == 2


def test_feedback_may_run_over_several_lines(kela):
    code, out, err = kela("feedback", "Hyvä palvelu.\r\nKiitos!\n\tTerveisin asiakas")
    assert code == 0, err
    assert Feedback.get().text == "Hyvä palvelu.\nKiitos!\n\tTerveisin asiakas"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("statement", "2026-10"), "October 2026 has not begun"),
        (("statement", "2026-12", "--format", "pdf"), "December 2026 has not begun"),
        (("stats", "2026-12"), "December 2026 has not begun"),
        (("export", "2027-01"), "January 2027 has not begun"),
        (("issue", "2026-10"), "October 2026 has not begun"),
        (("reopen", "2026-08", "--reason", "hetu 131052–308T"), "identity code"),
    ],
)
def test_refusals_are_exit_3(kela, argv, message):
    kela("db", "check")
    before = written()
    code, out, err = kela(*argv)
    assert (code, out) == (3, "")
    assert message in err
    assert written() == before


def test_a_message_quoting_typed_text_shows_its_controls(kela):
    code, _, err = kela("doc", "forward", "KANNUS-\x1b[2J-1")
    assert code == 2
    assert "KANNUS-␛[2J-1" in err and "\x1b" not in err


def test_every_free_text_field_takes_the_same_rules(ctx, clock):
    service = services.log_service(ctx, "advice")
    attempts = [
        lambda v: services.log_service(ctx, "advice", note=v),
        lambda v: services.correct_service(ctx, service.id, note=v),
        lambda v: services.void_service(ctx, service.id, v),
        lambda v: documents.receive_documents(ctx, "other", note=v),
        lambda v: feedback.record_feedback(ctx, v),
        lambda v: booth.set_out_of_order(ctx, v),
        lambda v: booth.book(ctx, datetime(2026, 9, 16, 10, 0), 30, v),
        lambda v: statement.reopen(ctx, Month(2026, 9), v),
    ]
    for attempt in attempts:
        before = written()
        with pytest.raises(BadInput, match="control character"):
            attempt("a\x1bb")
        with pytest.raises(Refused, match="identity code"):
            attempt("asiakas 131052\u2013308T")
        with pytest.raises(Refused, match="identity code"):
            attempt("hetu\u200b131052308T")
        assert written() == before


def test_text_is_kept_as_typed_apart_from_surrounding_space(ctx):
    note = "  [b]asiakas[/b] toi [liite] mukana [@click=app.quit] 🙂 שלום  "
    logged = services.log_service(ctx, "advice", note=note)
    assert Service.get_by_id(logged.id).note == note.strip()


def test_visible_makes_every_control_visible():
    assert text.visible("a\x1b]2;x\x07b\x00\x7f\x9b") == "a␛]2;x␇b␀␡\ufffd"
    assert text.one_line("a\nb\tc") == "a ⏎ b c"


def test_translated_messages_show_controls_of_their_values():
    message = EN("error.unknown_receipt", receipt="X\x1b[2J")
    assert message == "there is no document with receipt number X␛[2J at this service point"


HOSTILE = (
    "<script>alert(1)</script> & \"quoted\" 'single' "
    '<a rel=attachment href="file:///etc/passwd">x</a>'
)


CITY = "Kannus <b>&amp;</b> \"'"


def hostile_site(ctx) -> None:
    from kela_tui import settings

    settings.change(ctx, {"site.name": HOSTILE, "site.city": CITY}, date(2026, 8, 15))


def test_the_html_statement_and_slip_escape_every_value(ctx, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    hostile_site(ctx)
    received = documents.receive_documents(
        ctx, "application", 2, at=datetime(2026, 9, 10, 10, 0), note=HOSTILE
    )
    _, html = statement.document(ctx, Month(2026, 9), EN)
    slip = receipts.slip(ctx, received, EN)
    for page in (html, slip.html):
        assert "<script>" not in page and "<a rel=" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34; &#39;single&#39;" in (
            page
        )
        assert "Kannus &lt;b&gt;&amp;amp;&lt;/b&gt; &#34;&#39;" in page
    # The text versions are for terminals and line printers: literal.
    assert HOSTILE in statement.document(ctx, Month(2026, 9), EN)[0]


def test_a_pdf_made_of_hostile_values_embeds_no_file(ctx, clock, tmp_path):
    clock.set(datetime(2026, 10, 6, 10, 0))
    secret = tmp_path / "s.txt"
    secret.write_text("SALAINEN-SISALTO", encoding="utf-8")
    name = f'<a rel=attachment href="{secret.as_uri()}">liite</a><img src="{secret.as_uri()}">'
    assert len(name) <= 200
    settings.change(ctx, {"site.name": name}, date(2026, 8, 15))
    pdf = statement.pdf(ctx, Month(2026, 9), EN)
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert b"SALAINEN" not in pdf and b"EmbeddedFile" not in pdf
    assert "liite" in reader.pages[0].extract_text()
    # Even a template that forgot to escape could not fetch it.
    raw = f'<html><body><a rel="attachment" href="{secret.as_uri()}">x</a></body></html>'
    assert b"EmbeddedFile" not in statement.render_pdf(raw)


def test_every_template_but_the_plain_text_ones_is_escaped():
    from kela_tui.templating import environment

    env = environment()
    for name in env.list_templates():
        rendered = env.from_string("{{ v }}").render(v="<b>")
        assert rendered == "&lt;b&gt;"
        assert env.autoescape(name) is (not name.endswith(".txt.j2"))
    assert env.autoescape("a-new-template.j2") is True


@pytest.mark.parametrize(
    ("toml", "key", "problem"),
    [
        ('[site]\nname = "Kannus\\u001b]2;x\\u001b\\\\"', "site.name", "control character"),
        ('[site]\ncity = "Kan\\u0000nus"', "site.city", "control character (U+0000)"),
        ('[site]\nname = "Piste 131052-308T"', "site.name", "identity code"),
        ('[site]\ncity = "Kannus 131052–308T"', "site.city", "identity code"),
        (
            '[[staff]]\nid = "a"\nname = "Maija\\u0000"\nrole = "virastomestari"',
            "staff[0].name",
            "control character (U+0000)",
        ),
        (
            '[[staff]]\nid = "a"\nname = "Maija 010594Y9021"\nrole = "virastomestari"',
            "staff[0].name",
            "identity code",
        ),
        ("[agreement]\nmonthly_compensation = 1e300", "agreement.monthly_compensation", "from 0"),
        (
            '[agreement]\nmonthly_compensation = "1000000.01"',
            "agreement.monthly_compensation",
            "from 0",
        ),
        (
            '[agreement]\nmonthly_compensation = "300.001"',
            "agreement.monthly_compensation",
            "to the cent",
        ),
        ("[agreement]\nstart = 0001-01-01", "agreement.start", "in the years 2000–2100"),
        ("[closures]\nextra = [9999-12-31]", "closures.extra[0]", "in the years 2000"),
        (
            "[office_hours]\n"
            + "".join(f'{d} = ""\n' for d in ("mon", "tue", "wed", "thu", "fri")),
            "office_hours",
            "never open",
        ),
    ],
)
def test_a_configuration_value_out_of_bounds_names_its_key(toml, key, problem):
    # The point's settings are held back until a new database needs them.
    try:
        error = parse(toml, Path("config.toml")).point_error
    except BadInput as caught:
        error = caught
    message = str(error)
    assert f"key {key}:" in message and problem in message
    assert error.exit_code == 2


def test_a_bad_configuration_is_a_message_on_the_command_line(tmp_path, clock, capsys):
    config = tmp_path / "bad.toml"
    config.write_text('[site]\nname = "x\\u001by"\n', encoding="utf-8")
    url = f"sqlite:///{tmp_path}/new.db"
    given = ["--config", str(config), "--db", url, "--lang", "en"]
    # A new database takes its point from the file: the bad value stops it.
    assert main([*given, "db", "upgrade"], clock=clock) == 0
    assert main([*given, "log", "1"], clock=clock) == 2
    err = capsys.readouterr().err
    assert "key site.name: The value contains a control character (U+001B)" in err


# Reading never creates


@pytest.mark.parametrize(
    "argv",
    [
        ("stats", "2026-09"),
        ("statement", "2026-09"),
        ("export", "2026-09"),
        ("issue", "2026-09"),
        ("reopen", "2026-09", "--reason", "x"),
        ("backup", "b.db"),
        ("db", "check"),
        ("log", "1"),
        ("doc", "receive", "--type", "application"),
        ("doc", "forward", "KANNUS-2026-00001"),
        ("feedback", "kiitos"),
        (),  # the program itself, started with an explicit --db
    ],
)
def test_a_mistyped_path_is_an_error_and_creates_nothing(tmp_path, clock, capsys, argv):
    missing = tmp_path / "nonexist" / "dir" / "x.db"
    url = f"sqlite:///{missing}"
    code = main(
        ["--config", str(tmp_path / "c.toml"), "--db", url, "--lang", "en", *argv], clock=clock
    )
    err = capsys.readouterr().err
    assert code == 2
    assert f"there is no database at {missing}" in err
    assert f"kela-tui --db {url} db upgrade" in err
    assert not (tmp_path / "nonexist").exists()


def test_the_environment_variable_is_an_explicit_path_too(tmp_path, clock, capsys, monkeypatch):
    monkeypatch.setenv("KELA_TUI_DB", f"sqlite:///{tmp_path}/missing.db")
    assert main(["--config", str(tmp_path / "c.toml"), "stats", "2026-09"], clock=clock) == 2
    assert not (tmp_path / "missing.db").exists()


def test_demo_and_upgrade_create_a_database(tmp_path, clock, capsys):
    argv = ["--config", str(tmp_path / "c.toml"), "--lang", "en"]
    upgraded = tmp_path / "new" / "upgraded.db"
    assert main([*argv, "--db", f"sqlite:///{upgraded}", "db", "upgrade"], clock=clock) == 0
    assert upgraded.exists() and oct(upgraded.stat().st_mode & 0o777) == "0o600"
    demo = tmp_path / "demo.db"
    clock.set(datetime(2026, 9, 2, 16, 0))
    assert main([*argv, "--db", f"sqlite:///{demo}", "demo"], clock=clock) == 0
    assert demo.exists()


def test_the_first_start_on_the_default_path_creates_it(tmp_path, monkeypatch, config, clock):
    from kela_tui import db as storage

    monkeypatch.delenv("KELA_TUI_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert storage.is_default(None)
    ctx = open_context(config, None, clock, mode=storage.CREATE)
    assert (tmp_path / "data" / "kela-tui" / "kela-tui.db").exists()
    ctx.db.close()


def test_a_reader_refuses_an_empty_database(tmp_path, clock, capsys):
    empty = tmp_path / "empty.db"
    empty.touch()
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{empty}", "--lang", "en"]
    assert main([*argv, "stats", "2026-09"], clock=clock) == 2
    assert "the database is empty" in capsys.readouterr().err
    assert empty.stat().st_size == 0


@pytest.mark.parametrize(
    "content",
    [
        os.urandom(8192),
        b"SQLite format 3\x00" + os.urandom(4000),
        "tämä on tekstitiedosto\n".encode() * 100,
    ],
    ids=["random-bytes", "torn-header", "text-file"],
)
@pytest.mark.parametrize("command", [("db", "check"), ("stats", "2026-09"), ("log", "1"), ()])
def test_a_file_that_is_not_a_database_is_said_so(tmp_path, clock, capsys, content, command):
    path = tmp_path / "broken.db"
    path.write_bytes(content)
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{path}", "--lang", "en"]
    assert main([*argv, *command], clock=clock) == 2
    err = capsys.readouterr().err
    assert "damaged or is not a kela-tui database" in err
    assert "Traceback" not in err
    assert path.read_bytes() == content


def test_a_truncated_copy_is_found_by_db_check(sqlite_ctx, sqlite_url, tmp_path, clock, capsys):
    for minute in range(200):
        services.log_service(sqlite_ctx, "advice", note="x" * 400, at=datetime(2026, 9, 14, 9, 0))
        del minute
    sqlite_ctx.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    sqlite_ctx.db.close()
    original = Path(sqlite_url.removeprefix("sqlite:///")).read_bytes()
    copy = tmp_path / "truncated.db"
    copy.write_bytes(original[: len(original) // 2])
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{copy}", "--lang", "en"]
    assert main([*argv, "db", "check"], clock=clock) == 2
    out, err = capsys.readouterr()
    assert "damaged" in out + err
    assert "Traceback" not in out + err


def test_a_full_disk_is_said_and_nothing_is_saved(sqlite_ctx):
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 14, 9, 0))
    pages = sqlite_ctx.db.execute_sql("PRAGMA page_count").fetchone()[0]
    sqlite_ctx.db.execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(BadInput) as caught:
        for _ in range(500):
            before = written()
            services.log_service(sqlite_ctx, "advice", note="x" * 500)
    assert caught.value.key == "db_full"
    assert "the disk is full: nothing was saved" in str(caught.value)
    assert written() == before


# Passwords


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql://kela:secret@db/kela", "postgresql://kela:***@db/kela"),
        ("postgresql://kela:se@cr@t@db:5432/kela", "postgresql://kela:***@db:5432/kela"),
        ("postgresql://kela:p%40ss@db/kela", "postgresql://kela:***@db/kela"),
        (
            "postgresql://kela@db/kela?password=secret&sslmode=require",
            "postgresql://kela@db/kela?password=***&sslmode=require",
        ),
        ("postgresql://db/kela", "postgresql://db/kela"),
    ],
)
def test_every_form_of_password_is_masked(url, shown):
    from kela_tui.db import mask_url, without_password

    assert mask_url(url) == shown
    assert "secret" not in without_password(url) and "se@cr" not in without_password(url)


def test_an_unreachable_server_never_shows_the_password(tmp_path, clock, capsys):
    url = "postgresql://kela:se@cr@t@127.0.0.1:1/kela?password=toinen"
    assert main(["--config", str(tmp_path / "c.toml"), "--db", url, "stats", "2026-09"]) == 2
    err = capsys.readouterr().err
    assert "se@cr@t" not in err and "toinen" not in err and "***" in err


def test_backup_hands_the_password_to_pg_dump_in_its_environment(monkeypatch, tmp_path):
    import subprocess

    from kela_tui import db as storage

    seen = {}

    def fake_run(args, **kwargs):
        seen["args"], seen["env"] = args, kwargs["env"]
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr(storage, "find_postgres_program", lambda name: "/usr/bin/pg_dump")
    url = "postgresql://kela:p%40ss%20word@db.example:5432/kela?sslmode=require"
    storage._pg_dump(url, tmp_path / "x.dump")
    assert all("p%40ss" not in a and "p@ss" not in a for a in seen["args"])
    assert "postgresql://kela@db.example:5432/kela?sslmode=require" in seen["args"]
    assert seen["env"]["PGPASSWORD"] == "p@ss word"


def test_a_lost_postgres_connection_is_said_and_the_next_action_reconnects(
    postgres, config, clock
):
    import psycopg2

    from tests.conftest import fresh_postgres_url

    url = fresh_postgres_url(postgres)
    ctx = open_context(config, url, clock)
    services.log_service(ctx, "advice", at=datetime(2026, 9, 14, 9, 0))
    pid = ctx.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    killer = psycopg2.connect(postgres.url())
    killer.autocommit = True
    killer.cursor().execute("SELECT pg_terminate_backend(%s)", (pid,))
    killer.close()
    with pytest.raises(BadInput) as caught:
        services.log_service(ctx, "online", at=datetime(2026, 9, 14, 9, 5))
    assert caught.value.key == "db_connection_lost"
    assert "nothing was saved" in str(caught.value)
    services.log_service(ctx, "online", at=datetime(2026, 9, 14, 9, 6))
    assert [s.category for s in Service.select().order_by(Service.id)] == ["advice", "online"]


# The PDF needs Pango


def test_without_pango_a_pdf_is_exit_2_with_what_to_install(kela, monkeypatch, tmp_path, clock):
    import sys

    clock.set(datetime(2026, 10, 6, 10, 0))
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    code, out, err = kela("statement", "2026-09", "--format", "pdf", "-o", str(tmp_path / "s.pdf"))
    assert code == 2
    assert "the Pango library that WeasyPrint needs is missing" in err
    assert "apt install libpango-1.0-0" in err and "GTK" in err
    assert not (tmp_path / "s.pdf").exists()
    # Issuing works without it; its PDF is made identically later.
    code, out, err = kela("issue", "2026-09")
    assert code == 0 and "could not be made here" in err


def test_an_issued_statement_without_stored_pdfs_prints_the_same_pdf_twice(
    kela, tmp_path, monkeypatch, clock
):
    import sys

    clock.set(datetime(2026, 10, 6, 10, 0))
    with monkeypatch.context() as patch:
        patch.setitem(sys.modules, "weasyprint", None)
        assert kela("issue", "2026-09")[0] == 0
    clock.set(datetime(2026, 10, 20, 9, 0))
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert kela("statement", "2026-09", "--format", "pdf", "-o", str(first))[0] == 0
    assert kela("statement", "2026-09", "--format", "pdf", "-o", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()


def test_stored_text_with_controls_prints_them_visibly(kela, db_url):
    kela("log", "1", "--note", "tavallinen")
    # As an older version may have stored it.
    Service.update(note="vanha \x1b]2;x\x07").execute()
    row = Service.get()
    assert text.one_line(row.note) == "vanha ␛]2;x␇"
    code, out, err = kela("export", "2026-09", "--format", "json")
    assert code == 0 and "\x1b" not in out
    assert json.loads(out)[0]["category"] == "advice"


def test_guard_is_applied_to_text_not_to_codes(ctx):
    text.clean("KANNUS-2026-00001, 040 123 4567, 164,52 €", Msg("field.note"), most=100)
    with pytest.raises(Refused):
        text.clean("13.10.52-308T", Msg("field.note"), most=100)


# What a stranger found next


@pytest.mark.parametrize(
    ("argv", "key"),
    [
        (("reopen", "2026-08", "--reason", "\u200b"), "reopening a month needs a written reason"),
        (("feedback", "\u2800"), "the feedback is empty"),
        (("feedback", " \u3164\u200d "), "the feedback is empty"),
        (("log", "1", "--note", "abc\u202edcba"), "control character (U+202E)"),
        (("log", "1", "--note", "\u2066x\u2069"), "control character (U+2066)"),
    ],
)
def test_invisible_and_reordering_text_is_refused(kela, argv, key):
    kela("db", "check")
    before = written()
    code, _, err = kela(*argv)
    assert code == 2 and key in err
    assert written() == before


def test_right_to_left_marks_are_text(kela):
    code, _, err = kela("log", "1", "--note", "שלום \u200f123")
    assert code == 0, err


@pytest.mark.parametrize("arg", ["p\udce4iv\udce4", "a\udc9b2Jb"])
def test_bytes_that_are_not_utf8_are_exit_2(kela, arg):
    code, _, err = kela("feedback", arg)
    assert code == 2
    assert "not text" in err and "\udce4" not in err


def test_a_writer_does_not_take_over_another_programs_file(tmp_path, clock, capsys):
    import sqlite3

    path = tmp_path / "foreign.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE t (x)")
    other.commit()
    other.close()
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{path}", "--lang", "en"]
    for command in (("log", "1"), ("db", "upgrade"), ("stats", "2026-09")):
        assert main([*argv, *command], clock=clock) == 2
        assert "tables of another program" in capsys.readouterr().err
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]


def test_a_writer_refuses_an_empty_sqlite_file(tmp_path, clock, capsys):
    path = tmp_path / "empty.db"
    path.touch()
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{path}", "--lang", "en"]
    assert main([*argv, "feedback", "hyvä"], clock=clock) == 2
    assert "the database is empty" in capsys.readouterr().err
    assert path.stat().st_size == 0


def test_a_schema_table_of_another_shape_is_not_a_kela_database(tmp_path, clock, capsys):
    import sqlite3

    path = tmp_path / "odd.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE schema_version (version TEXT)")
    other.execute("INSERT INTO schema_version VALUES ('999')")
    other.commit()
    other.close()
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"sqlite:///{path}", "--lang", "en"]
    assert main([*argv, "db", "upgrade"], clock=clock) == 2
    assert "tables of another program" in capsys.readouterr().err


def test_a_url_scheme_in_capitals_is_the_same_database(tmp_path, clock, capsys):
    path = tmp_path / "caps.db"
    argv = ["--config", str(tmp_path / "c.toml"), "--db", f"SQLITE:///{path}", "--lang", "en"]
    assert main([*argv, "db", "upgrade"], clock=clock) == 0
    assert path.exists()


@pytest.mark.parametrize(
    ("url", "secret"),
    [
        ("postgresql://kela:ab#hunter2@127.0.0.1:1/kela", "hunter2"),
        ("postgresql://kela:ab?hunter2@127.0.0.1:1/kela", "hunter2"),
        ("postgresql://kela:ab/hunter2@127.0.0.1:1/kela", "hunter2"),
        ("dbname=kela host=127.0.0.1 password=hunter2", "hunter2"),
        ("POSTGRESQL://kela:hunter2@127.0.0.1:1/kela", "hunter2"),
    ],
)
def test_passwords_with_any_character_are_never_shown(tmp_path, clock, capsys, url, secret):
    assert main(["--config", str(tmp_path / "c.toml"), "--db", url, "stats", "2026-09"]) == 2
    err = capsys.readouterr().err
    assert secret not in err and "***" in err


def test_a_write_that_fails_leaves_no_file(kela, tmp_path, clock, monkeypatch):
    import errno as errnos

    from kela_tui import printing

    clock.set(datetime(2026, 10, 6, 10, 0))
    real_fdopen = os.fdopen

    def full_disk(*args, **kwargs):
        file = real_fdopen(*args, **kwargs)
        file.write = lambda data: (_ for _ in ()).throw(OSError(errnos.ENOSPC, "No space"))
        return file

    monkeypatch.setattr(printing.os, "fdopen", full_disk)
    for kind in ("html", "pdf"):
        target = tmp_path / f"s.{kind}"
        code, _, err = kela("statement", "2026-09", "--format", kind, "-o", str(target))
        assert code == 2 and "the disk is full" in err
        assert not target.exists()


def test_output_files_are_readable_by_their_owner_only(kela, tmp_path, clock):
    clock.set(datetime(2026, 10, 6, 10, 0))
    target = tmp_path / "s.csv"
    assert kela("export", "2026-09", "-o", str(target))[0] == 0
    assert oct(target.stat().st_mode & 0o777) == "0o600"


def test_standard_output_that_cannot_be_written_is_exit_2(kela, clock, monkeypatch):
    import errno as errnos

    clock.set(datetime(2026, 10, 6, 10, 0))

    def full(*args):
        raise OSError(errnos.ENOSPC, "No space left on device")

    monkeypatch.setattr(sys.stdout, "write", full)
    code, _, err = kela("statement", "2026-09")
    assert code == 2 and "cannot write the output: the disk is full" in err


def test_saving_into_a_folder_with_a_file_in_its_way_is_said_in_words(tmp_path):
    from kela_tui import printing

    (tmp_path / "kela-tui").write_text("x", encoding="utf-8")
    with pytest.raises(BadInput) as caught:
        printing.save("x", "y", "csv", tmp_path / "kela-tui")
    assert str(caught.value).startswith(f"cannot write {tmp_path / 'kela-tui'}: ")
    assert "Errno" not in str(caught.value)


def test_a_disk_io_error_on_a_full_disk_is_said_to_be_a_full_disk(sqlite_ctx, monkeypatch):
    import shutil as shutils
    from collections import namedtuple

    from peewee import OperationalError

    from kela_tui import db as storage

    usage = namedtuple("usage", "total used free")
    error = OperationalError("disk I/O error")
    monkeypatch.setattr(shutils, "disk_usage", lambda path: usage(10, 10, 0))
    assert storage.explain(error).key == "db_full"
    monkeypatch.setattr(shutils, "disk_usage", lambda path: usage(10**12, 10, 10**11))
    assert storage.explain(error).key == "db_io"


def test_a_terminal_not_in_utf8_cannot_end_the_program(sqlite_ctx):
    from textual.drivers import linux_driver

    from kela_tui.app import KelaApp

    KelaApp(sqlite_ctx, EN).get_driver_class()
    decode = linux_driver.getincrementaldecoder("utf-8")().decode
    assert decode(b"p\xe4iv\xe4", final=True) == "p\ufffdiv\ufffd"


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[[staff]]\nid = "a"\nname = "\\u200b"\nrole = "virastomestari"', "staff[0].name"),
        ('[site]\nname = "\\u3164"', "site.name"),
        ('[site]\ncode = "131052-308T"', "site.code"),
    ],
)
def test_a_blank_name_or_a_code_in_the_point_code_is_refused(toml, key):
    try:
        error = parse(toml, Path("config.toml")).point_error
    except BadInput as caught:
        error = caught
    assert f"key {key}:" in str(error)


def test_a_line_separator_is_refused_in_a_one_line_field(kela):
    code, _, err = kela("log", "1", "--note", "rivi\u2028toinen")
    assert code == 2 and "U+2028" in err
