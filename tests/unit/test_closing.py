"""A closed month stays closed: the claim never changes behind its statement.
Booth sessions left open, frozen figures and renderings, the auditor's check,
months that have not begun, real local times, and the audit trail."""

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kela_tui import booth, documents, export, services, statement, statistics
from kela_tui import db as storage
from kela_tui.cli import main
from kela_tui.context import open_context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Translator
from kela_tui.models import (
    Audit,
    BoothSession,
    Document,
    MonthEvent,
    Rendering,
    SchemaVersion,
    Service,
    Site,
    Staff,
    Statement,
)
from kela_tui.months import Month, is_closed
from tests.conftest import fresh_postgres_url

FIXTURES = Path(__file__).parent.parent / "fixtures"

EN = Translator("en")
SEPTEMBER = Month(2026, 9)


def figures(ctx, month=SEPTEMBER) -> dict:
    found = statistics.month_stats(month, [ctx.site], ctx.today()).own_figures()
    del found["documents"]["overdue"]
    return found


# Booth sessions and closed months


def left_open_on_30_september(ctx, clock):
    clock.set(datetime(2026, 9, 30, 14, 0))
    booth.advance(ctx)
    clock.set(datetime(2026, 10, 1, 9, 0))
    assert booth.status(ctx).left_open


def test_a_session_left_open_cannot_change_its_closed_month(ctx, clock):
    left_open_on_30_september(ctx, clock)
    with pytest.raises(Refused, match="1 booth session"):
        statement.issue(ctx, SEPTEMBER, EN)
    # As a month closed by an earlier version, over the open session.
    MonthEvent.create(site=ctx.site, month="2026-09", action="close", at=datetime(2026, 10, 1))
    before = figures(ctx)
    with pytest.raises(Refused) as caught:
        booth.end(ctx, "completed", at=datetime(2026, 9, 30, 14, 45))
    assert caught.value.key == "month_closed" and "Reopen the month" in str(caught.value)
    for action in (lambda: booth.advance(ctx), lambda: booth.tick(ctx, "assess")):
        with pytest.raises(Refused, match="closed"):
            action()
    assert figures(ctx) == before
    assert BoothSession.get().ended_at is None


def test_a_session_left_open_is_ended_with_its_real_end_time(ctx, clock):
    left_open_on_30_september(ctx, clock)
    with pytest.raises(BadInput, match="left open: end it with its real end time"):
        booth.end(ctx, "customer_left")
    with pytest.raises(BadInput, match="ends on the day it started"):
        booth.end(ctx, "customer_left", at=datetime(2026, 10, 1, 8, 0))
    with pytest.raises(BadInput, match="before the session's current phase began"):
        booth.end(ctx, "customer_left", at=datetime(2026, 9, 30, 13, 0))
    ended = booth.end(ctx, "customer_left", at=datetime(2026, 9, 30, 14, 20))
    assert ended.ended_at == datetime(2026, 9, 30, 11, 20)  # UTC
    entry = Audit.get((Audit.entity == "booth_session") & (Audit.action == "end"))
    assert json.loads(entry.after)["ended_at"] == "2026-09-30T11:20:00"


def test_a_session_is_left_open_once_the_office_has_closed(ctx, clock):
    clock.set(datetime(2026, 9, 15, 14, 30))
    booth.advance(ctx)
    assert not booth.status(ctx).left_open
    clock.set(datetime(2026, 9, 15, 15, 30))
    assert booth.status(ctx).left_open
    session = booth.end(ctx, "kela_unavailable", at=datetime(2026, 9, 15, 14, 50))
    assert session.outcome == "kela_unavailable"


# The race between writing and closing


def race(url: str, folder, cycles: int) -> tuple[list[str], list[str]]:
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.closing_race", "write", url, str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    closer = subprocess.run(
        [sys.executable, "-m", "tests.closing_race", "close", url, str(folder), str(cycles)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    (folder / "stop").touch()
    written = []
    for writer in writers:
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        written += out.split()
    assert closer.returncode == 0, closer.stderr
    return written, closer.stdout.splitlines()


def test_writes_never_slip_into_a_month_being_closed(db_url, config, clock, tmp_path):
    open_context(config, db_url, clock).db.close()
    written, report = race(db_url, tmp_path, 50)
    assert report[-1] == "cycles 50"
    assert [line for line in report if line.startswith("changed")] == []
    # Both writers got through while the month was open and were refused while
    # it was closed: the race was real.
    assert written.count("ok") > 0 and written.count("closed") > 0
    open_context(config, db_url, clock, mode="read")
    # In the order the audit trail records, no entry of September lies between
    # a close and the reopening that follows it.
    closed = False
    for entry in Audit.select().order_by(Audit.id):
        if entry.entity == "month_event":
            closed = entry.action == "close"
        elif closed and entry.entity in ("service", "visit") and entry.after:
            assert json.loads(entry.after)["day"] != "2026-09-15", entry.id


# Every rendering of an issued statement is frozen


@pytest.fixture
def issued_september(ctx, clock):
    clock.set(datetime(2026, 9, 30, 10, 0))
    services.log_service(ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    received = documents.receive_documents(ctx, "application", 2, at=datetime(2026, 9, 28, 10, 0))
    documents.forward_documents(ctx, [d.receipt for d in received])
    clock.set(datetime(2026, 10, 6, 10, 0))
    issued = statement.issue(ctx, SEPTEMBER, Translator("fi"))
    assert statement.keep_pdfs(ctx, issued)
    return ctx


def test_issuing_stores_every_language_and_the_pdfs(issued_september):
    issued = Statement.get()
    kept = {(r.lang, r.format) for r in Rendering.select()}
    assert kept == {
        ("sv", "txt"),
        ("sv", "html"),
        ("en", "txt"),
        ("en", "html"),
        ("fi", "pdf"),
        ("sv", "pdf"),
        ("en", "pdf"),
    }
    claim = json.loads(issued.figures)
    assert claim["figures"]["services"] == 2 and claim["compensation"]["amount"] == "300.00"
    assert claim["site"]["name"] == "Kannuksen kaupungin yhteispalvelupiste"
    assert len(json.loads(issued.export_rows)) == 2


def test_reprints_in_every_language_and_format_are_identical(
    issued_september, tmp_path, db_url, capsys
):
    ctx = issued_september
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url]
    for lang in ("fi", "sv", "en"):
        for kind in ("txt", "html", "pdf"):
            prints = []
            for attempt in range(2):
                target = tmp_path / f"{lang}-{attempt}.{kind}"
                command = [*argv, "--lang", lang, "statement", "2026-09", "--format", kind]
                assert main([*command, "-o", str(target)], clock=ctx.clock) == 0
                prints.append(target.read_bytes())
            assert prints[0] == prints[1], (lang, kind)
            if kind == "pdf":
                kept = Rendering.get(lang=lang, format="pdf")
                assert bytes(kept.content) == prints[0]
    capsys.readouterr()


def test_a_rendering_in_another_language_comes_from_the_frozen_claim(issued_september):
    ctx = issued_september
    Service.update(category="other").where(Service.category == "advice").execute()
    text, _ = statement.document(ctx, SEPTEMBER, Translator("sv"))
    assert "Rådgivning i FPA-ärenden" in text
    assert statement.document(ctx, SEPTEMBER, Translator("sv")) == statement.document(
        ctx, SEPTEMBER, Translator("sv")
    )


def test_a_closed_months_figures_everywhere_are_the_frozen_ones(
    issued_september, tmp_path, db_url, capsys
):
    ctx = issued_september
    issued = figures(ctx)
    # Records changed behind the program's back (a bug, or a hand in the database).
    services.Service.update(status="voided").where(Service.category == "advice").execute()
    Document.update(status="voided").execute()
    assert figures(ctx) == issued
    assert len(export.rows(ctx, SEPTEMBER)) == 2
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "--lang", "en"]
    assert main([*argv, "stats", "2026-09", "--format", "json"], clock=ctx.clock) == 0
    assert json.loads(capsys.readouterr().out)["services"] == 2
    # The auditor's check names every difference.
    assert main([*argv, "db", "check"], clock=ctx.clock) == 2
    out = capsys.readouterr().out
    said = "KANNUS September 2026: Services: 2 in the issued statement, the records now give 1"
    assert said in out
    assert "KANNUS September 2026: Documents received: 2 in the issued statement" in out
    assert "counted services differ" in out


def test_db_check_passes_while_closed_months_are_untouched(issued_september, tmp_path, db_url):
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "db", "check"]
    assert main(argv, clock=issued_september.clock) == 0


def test_a_reopened_month_counts_its_records_again(issued_september):
    ctx = issued_september
    statement.reopen(ctx, SEPTEMBER, "late entry")
    services.log_service(ctx, "online", at=datetime(2026, 9, 11, 10, 0))
    assert figures(ctx)["services"] == 3
    assert statement.prepare(ctx, SEPTEMBER).draft


# Months that have not begun


@pytest.mark.parametrize("month", ["2026-11", "2026-12", "2030-01"])
def test_no_statement_or_figures_for_a_month_that_has_not_begun(ctx, clock, month):
    clock.set(datetime(2026, 10, 28, 12, 0))
    for action in (
        lambda: statement.prepare(ctx, Month.parse(month)),
        lambda: statement.issue(ctx, Month.parse(month), EN),
    ):
        with pytest.raises(Refused, match="has not begun"):
            action()


def test_the_current_month_is_a_draft(ctx, clock):
    clock.set(datetime(2026, 10, 28, 12, 0))
    data = statement.prepare(ctx, Month(2026, 10))
    assert data.draft
    assert "DRAFT" in statement.render_text(data, EN)


# Several workstations starting at once


def six_at_once(url: str, folder, *command: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "kela_tui", "--config", str(folder / "c.toml"), "--db", url]
            + list(command),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for process in processes:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err


LOG = ("log", "1", "--at", "2026-09-15T10:00")


def test_six_upgrades_at_once_of_an_empty_sqlite_file(tmp_path):
    (tmp_path / "kela.db").touch()
    url = f"sqlite:///{tmp_path / 'kela.db'}"
    six_at_once(url, tmp_path, "db", "upgrade")
    six_at_once(url, tmp_path, *LOG)
    check_one_schema(url, tmp_path, versions=[storage.SCHEMA_VERSION], services=6)


def test_six_workstations_start_at_once_on_an_old_sqlite_database(tmp_path):
    path = tmp_path / "v1.sqlite"
    shutil.copy(FIXTURES / "schema-v1.sqlite", path)
    url = f"sqlite:///{path}"
    six_at_once(url, tmp_path, *LOG)
    check_one_schema(
        url, tmp_path, versions=list(range(1, storage.SCHEMA_VERSION + 1)), services=None
    )


def test_six_workstations_start_at_once_on_an_empty_postgres_database(postgres, tmp_path):
    url = fresh_postgres_url(postgres)
    six_at_once(url, tmp_path, *LOG)
    check_one_schema(url, tmp_path, versions=[storage.SCHEMA_VERSION], services=6)


def check_one_schema(url, folder, versions, services) -> None:
    db = storage.connect(url, storage.READ)
    assert [v.version for v in SchemaVersion.select().order_by(SchemaVersion.id)] == versions
    assert Staff.select().where(Staff.site == Site.get(code="KANNUS")).count() >= 2
    if services is not None:
        assert Service.select().count() == services
    db.close()
    assert main(["--config", str(folder / "c.toml"), "--db", url, "db", "check"]) == 0


# Local times are real times


def test_a_time_that_does_not_exist_is_refused(ctx, clock):
    clock.set(datetime(2027, 4, 1, 12, 0))
    with pytest.raises(BadInput, match="does not exist in Finnish time"):
        services.log_service(ctx, "advice", at=datetime(2027, 3, 28, 3, 30))
    assert Service.select().count() == 0


def test_day_and_hour_agree_with_the_export_and_the_heat_map_across_both_changes(
    ctx, clock, tmp_path, db_url, capsys
):
    from datetime import timedelta, timezone

    clock.set(datetime(2027, 4, 1, 12, 0))
    moments = [
        datetime(2026, 10, 25, 2, 30),  # before the repeated hour
        datetime(2026, 10, 25, 3, 30),  # the repeated hour: its first occurrence
        datetime(2026, 10, 25, 3, 30, tzinfo=timezone(timedelta(hours=2))),  # its second
        datetime(2026, 10, 25, 4, 30),
        datetime(2027, 3, 28, 2, 30),  # before the skipped hour
        datetime(2027, 3, 28, 4, 30),  # after it
    ]
    for at in moments:
        services.log_service(ctx, "advice", at=at)
    rows = {s.id: s for s in Service.select()}
    assert len({s.at for s in rows.values()}) == 6
    for month in (Month(2026, 10), Month(2027, 3)):
        stats = statistics.month_stats(month, [ctx.site], ctx.today())
        exported = export.rows(ctx, month)
        for row in exported:
            stored = rows[row["service"]]
            hour = int(row["time"][:2])
            assert (row["date"], hour, row["weekday"]) == (
                stored.day.isoformat(),
                stored.hour,
                stored.weekday + 1,
            )
        for weekday in range(7):
            for hour in range(24):
                expected = sum(
                    1
                    for row in exported
                    if row["weekday"] == weekday + 1 and int(row["time"][:2]) == hour
                )
                assert stats.by_weekday_hour[weekday][hour] == expected
    october = [r["time"] for r in export.rows(ctx, Month(2026, 10))]
    assert october == ["02:30", "03:30", "03:30", "04:30"]
    assert [r["time"] for r in export.rows(ctx, Month(2027, 3))] == ["02:30", "04:30"]


def test_on_the_command_line_an_offset_chooses_the_second_occurrence(
    ctx, clock, tmp_path, db_url, capsys
):
    clock.set(datetime(2027, 4, 1, 12, 0))
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url]
    assert main([*argv, "log", "1", "--at", "2026-10-25T03:30"], clock=clock) == 0
    assert main([*argv, "log", "1", "--at", "2026-10-25T03:30+02:00"], clock=clock) == 0
    first, second = Service.select().order_by(Service.id)
    assert (first.at, second.at) == (datetime(2026, 10, 25, 0, 30), datetime(2026, 10, 25, 1, 30))
    assert first.hour == second.hour == 3


# Every change is audited


def test_correcting_a_documents_service_is_audited_for_the_document(ctx):
    (document,) = documents.receive_documents(ctx, "application", note="alkuperäinen")
    new = services.correct_service(ctx, document.service_id, note="korjattu")
    entry = (
        Audit.select()
        .where((Audit.entity == "document") & (Audit.entity_id == document.id))
        .order_by(Audit.id.desc())
        .first()
    )
    assert entry.action == "correct"
    after = json.loads(entry.after)
    assert (after["service"], after["note"]) == (new.id, "korjattu")
    assert json.loads(entry.before)["note"] == "alkuperäinen"
    assert Document.get_by_id(document.id).note == "korjattu"


def test_staff_marked_as_left_is_audited(ctx):
    from kela_tui import settings

    settings.update_staff(ctx, "varahenkilo", active=False)
    entry = Audit.get((Audit.entity == "staff") & (Audit.action == "leave"))
    assert entry.who == "virastomestari"
    assert json.loads(entry.before)["active"] is True
    assert json.loads(entry.after)["active"] is False
    assert not Staff.get(code="varahenkilo").active


def test_issuing_and_closing_are_audited(issued_september):
    actions = {(a.entity, a.action) for a in Audit.select()}
    assert {("statement", "issue"), ("month_event", "close"), ("rendering", "create")} <= actions
    assert is_closed(issued_september.site, SEPTEMBER)


# What a stranger found next


def test_a_month_with_unfinished_work_cannot_be_issued(ctx, clock):
    clock.set(datetime(2026, 9, 30, 14, 0))
    (document,) = documents.receive_documents(ctx, "application")
    from kela_tui import feedback as feedbacks

    given = feedbacks.record_feedback(ctx, "kiitos")
    booth.advance(ctx)
    clock.set(datetime(2026, 10, 1, 9, 0))
    with pytest.raises(Refused) as caught:
        statement.issue(ctx, SEPTEMBER, EN)
    assert caught.value.key == "month_unfinished"
    assert "1 document waiting to be forwarded to Kela and 1 booth session open." in str(
        caught.value
    )
    assert not is_closed(ctx.site, SEPTEMBER)
    documents.forward_documents(ctx, [document.receipt])
    # With the documents forwarded, only the session is named: no "0 documents".
    with pytest.raises(Refused) as caught:
        statement.issue(ctx, SEPTEMBER, EN)
    said = {lang: Translator(lang).error(caught.value) for lang in ("fi", "sv", "en")}
    assert "työt ovat vielä kesken: auki 1 etäpalveluistunto. Hoida" in said["fi"]
    assert "oavslutat arbete: 1 distanssession är öppen. Slutför" in said["sv"]
    assert "unfinished work: 1 booth session open. Finish" in said["en"]
    assert all(" 0 " not in text and text.endswith(".") for text in said.values())
    booth.end(ctx, "customer_left", at=datetime(2026, 9, 30, 14, 30))
    statement.issue(ctx, SEPTEMBER, EN)
    assert is_closed(ctx.site, SEPTEMBER)
    # Feedback is no figure of the claim: it goes to Kela whatever the month.
    feedbacks.forward_feedback(ctx, [given.id])


def test_a_session_across_the_autumn_night_lasts_its_real_time(ctx, clock):

    clock.set(datetime(2026, 10, 25, 2, 30))  # summer time, UTC+3
    booth.advance(ctx)
    clock.set(datetime(2026, 10, 25, 1, 40, tzinfo=UTC))  # 03:40 winter time
    assert booth.status(ctx).elapsed(clock.now()).total_seconds() == 130 * 60
    # Kela is closed in the night: never connected, the whole session counts.
    session = booth.end(ctx, "technical_failure", at=clock.now())
    assert Service.get_by_id(session.service_id).duration_seconds == 130 * 60


def test_the_repeated_hour_is_not_a_way_into_the_future(ctx, clock):
    from datetime import timedelta, timezone

    clock.set(datetime(2026, 10, 25, 0, 10, tzinfo=UTC))  # 03:10 summer time
    ahead = datetime(2026, 10, 25, 3, 5, tzinfo=timezone(timedelta(hours=2)))  # 01:05 UTC
    with pytest.raises(Refused, match="in the future"):
        services.log_service(ctx, "advice", at=ahead)


def test_two_demos_at_once_fill_the_database_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "kela_tui", "--config", str(tmp_path / "c.toml"), "--db", url]
            + ["demo", "--months", "1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    codes = sorted(p.wait(timeout=300) for p in processes)
    assert codes == [0, 2, 2]
    storage.connect(url, storage.READ)
    assert Site.select().count() == 1
    # Every service audited once: one by one (the last days) or in the entry
    # of a month the demo wrote in bulk.
    one_by_one = Audit.select().where((Audit.entity == "service") & (Audit.action == "create"))
    in_bulk = [
        json.loads(entry.after)["rows"].get("service", [0])[0]
        for entry in Audit.select().where(Audit.action == "demo")
    ]
    assert Service.select().count() == one_by_one.count() + sum(in_bulk)


@pytest.fixture
def upgraded_from_schema_2(ctx, clock):
    """September issued by a version that kept no claim: its statement has
    text and HTML only, as a schema-2 database upgraded to schema 3 has."""
    clock.set(datetime(2026, 9, 30, 10, 0))
    services.log_service(ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    clock.set(datetime(2026, 10, 6, 10, 0))
    issued = statement.issue(ctx, SEPTEMBER, Translator("fi"))
    Rendering.delete().execute()
    # As that version wrote it: by the first booth rule.
    old_text = statement.render_text(
        statement.legacy_data(ctx.site, SEPTEMBER, issued), Translator("fi")
    )
    Statement.update(figures=None, export_rows=None, text=old_text).where(
        Statement.id == issued.id
    ).execute()
    return ctx


def test_an_upgraded_month_whose_records_held_keeps_its_claim(
    upgraded_from_schema_2, tmp_path, db_url
):
    ctx = upgraded_from_schema_2
    statement.freeze_closed_months()
    claim = json.loads(Statement.get().figures)
    assert claim["matches_issued"] is True and claim["figures"]["services"] == 1
    assert "Rådgivning i FPA-ärenden" in statement.document(ctx, SEPTEMBER, Translator("sv"))[0]
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "db", "check"]
    assert main(argv, clock=ctx.clock) == 0


def test_an_upgraded_month_whose_records_changed_is_named_by_db_check(
    upgraded_from_schema_2, tmp_path, db_url, capsys
):
    ctx = upgraded_from_schema_2
    # The old version let a booth session end into the closed month.
    services.Service.create(**{**Service.select().dicts().get(), "id": None, "category": "remote"})
    statement.freeze_closed_months()
    assert json.loads(Statement.get().figures)["matches_issued"] is False
    issued_text = Statement.get().text
    assert statement.document(ctx, SEPTEMBER, Translator("fi"))[0] == issued_text
    with pytest.raises(BadInput, match="issued in one language only"):
        statement.document(ctx, SEPTEMBER, Translator("sv"))
    argv = ["--config", str(tmp_path / "c.toml"), "--db", db_url, "--lang", "en", "db", "check"]
    assert main(argv, clock=ctx.clock) == 2
    assert "KANNUS September 2026: the records changed after its statement was issued" in (
        capsys.readouterr().out
    )
