"""F5 with the real keys: preview, issue, refusals, reopen, print, export."""

import json
import threading
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from textual.widgets import Static

from kela_tui import services
from kela_tui.errors import BadInput
from kela_tui.models import Rendering, Statement
from kela_tui.months import Month, is_closed
from kela_tui.screens.daily_log import DailyLogScreen
from kela_tui.screens.statement import ExportChoice, IssueForm
from kela_tui.widgets.status import StatusLine
from tests.functional.helpers import burst, settled

SIZE = (120, 40)


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


@pytest.fixture
def october(sqlite_ctx, clock, monkeypatch, tmp_path):
    clock.set(datetime(2026, 10, 6, 10, 0))
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    monkeypatch.setattr("shutil.which", lambda name: None)
    monkeypatch.setattr("kela_tui.printing.output_folder", lambda: tmp_path)
    return sqlite_ctx


async def test_preview_issue_and_refusals(make_app, october):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        assert app.screen.month == Month(2026, 9)
        assert "DRAFT" in shown(app, "#preview")
        await pilot.press("i")
        assert isinstance(app.screen, IssueForm)
        await pilot.press("enter")
        assert is_closed(october.site, Month(2026, 9))
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Issued: revision 1" in shown(app, "#status")
        assert Rendering.select().where(Rendering.format == "pdf").count() == 3
        assert "DRAFT" not in shown(app, "#preview")
        await pilot.press("i")
        assert "has been issued and the month is closed" in shown(app, "#status")
        assert Statement.select().count() == 1


async def test_logging_into_the_closed_month_from_the_counter_is_refused(make_app, october, clock):
    from kela_tui import statement
    from kela_tui.i18n import Translator

    statement.issue(october, Month(2026, 9), Translator("en"))
    clock.set(datetime(2026, 10, 1, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("left_square_bracket", "1", "enter")
        assert "September 2026 is closed" in shown(app, "#form-error")


async def test_the_current_month_is_a_draft_never_offered_for_issuing(make_app, october):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "right_square_bracket")
        assert app.screen.month == Month(2026, 10)
        assert "DRAFT" in shown(app, "#preview")
        assert "The statement can be issued from 1 Nov 2026" in shown(app, "#status")
        await pilot.press("i")
        assert not isinstance(app.screen, IssueForm)
        assert "The statement can be issued from 1 Nov 2026" in shown(app, "#status")
        # The screen does not go past the current month.
        await pilot.press("right_square_bracket")
        assert app.screen.month == Month(2026, 10)
        assert Statement.select().count() == 0


async def test_reopen_then_revision_2(make_app, october):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "i", "enter")
        await app.workers.wait_for_complete()
        await pilot.press("r", "enter")
        assert "written reason" in shown(app, "#form-error")
        await pilot.press(*"late entry", "enter")
        assert "September 2026 is open again" in shown(app, "#status")
        assert "revision 2 (corrects revision 1)" in shown(app, "#preview")
        await pilot.press("i", "enter")
        assert Statement.select().count() == 2


async def test_print_without_a_printer_writes_the_pdf(make_app, october, tmp_path):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "p")
        await app.workers.wait_for_complete()
        await pilot.pause()
        pdf = tmp_path / "KANNUS-2026-09.pdf"
        assert str(pdf) in shown(app, "#status")
        assert len(PdfReader(pdf).pages) == 1


async def test_a_print_that_fails_after_leaving_f5_is_told_on_the_open_screen(
    make_app, october, monkeypatch
):
    """Staff press `p` and go back to the counter; the printer never answers:
    F2 is told so, in words, not F5's status line alone."""
    leave = threading.Event()

    def hangs(command, printer=""):
        leave.wait(10)
        raise BadInput("print_no_answer", seconds=60, printer="Kanslia")

    monkeypatch.setattr("shutil.which", lambda name: "/usr/bin/lp" if name == "lp" else None)
    monkeypatch.setattr("kela_tui.printing.run", hangs)
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "p", "f2")
        leave.set()
        await settled(pilot)
        assert isinstance(app.screen, DailyLogScreen)
        notes = [n.message for n in app._notifications]
        assert any("Kanslia did not answer within 60 seconds" in n for n in notes), notes


async def test_export_writes_the_csv(make_app, october, tmp_path):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "x")
        assert isinstance(app.screen, ExportChoice)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "1 service exported" in shown(app, "#status")
        assert (tmp_path / "KANNUS-2026-09-palvelut.csv").read_text(encoding="utf-8-sig").count(
            "\n"
        ) == 2


@pytest.mark.parametrize("keys", [["down", "enter"], ["x"]], ids=["arrows", "hotkey"])
async def test_export_writes_the_spreadsheet(make_app, october, tmp_path, keys):
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "x", *keys)
        await app.workers.wait_for_complete()
        await pilot.pause()
        target = tmp_path / "KANNUS-2026-09-palvelut.xlsx"
        assert f"1 service exported to {target}" in shown(app, "#status")
        assert not app.screen.query_one(StatusLine).loading
        book = load_workbook(target)
        assert book.sheetnames == ["Summary", "Services"]
        assert book["Services"].max_row == 2
        assert book["Services"]["F2"].value == "advice"
        # The format chosen is offered first the next time.
        await pilot.press("x")
        assert app.screen.choice("format") == "xlsx"


async def test_export_typed_in_one_burst(make_app, october, tmp_path):
    app = make_app("sv")
    async with app.run_test(size=SIZE) as pilot:
        # The dialog's keys land in it, however fast they are typed.
        await burst(pilot, "f5", "x", "down", "enter", "x", "escape", "x", "c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert sorted(p.name for p in tmp_path.glob("*-palvelut.*")) == [
            "KANNUS-2026-09-palvelut.csv",
            "KANNUS-2026-09-palvelut.xlsx",
        ]
        assert load_workbook(tmp_path / "KANNUS-2026-09-palvelut.xlsx").sheetnames == [
            "Sammandrag",
            "Tjänster",
        ]


async def test_export_to_a_folder_that_cannot_be_made_says_so(
    make_app, october, tmp_path, monkeypatch
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr("kela_tui.printing.output_folder", lambda: blocker / "kela-tui")
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "x", "x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert f"cannot write {blocker / 'kela-tui'}" in shown(app, "#status")
        assert not app.screen.query_one(StatusLine).loading


async def test_export_cancelled_writes_nothing(make_app, october, tmp_path):
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "x")
        assert isinstance(app.screen, ExportChoice)
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        assert not isinstance(app.screen, ExportChoice)
        assert list(tmp_path.glob("*-palvelut.*")) == []
        # The CSV's key in the dialog chooses it at once, in any language.
        await pilot.press("x", "c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "1 palvelu vietiin tiedostoon" in shown(app, "#status")
        assert [p.name for p in tmp_path.glob("*-palvelut.*")] == ["KANNUS-2026-09-palvelut.csv"]


async def test_export_of_a_closed_month_writes_its_frozen_rows(make_app, october, tmp_path):
    from kela_tui import statement
    from kela_tui.i18n import Translator

    issued = statement.issue(october, Month(2026, 9), Translator("en"))
    frozen = json.loads(issued.export_rows)
    frozen[0]["staff"] = "frozen.staff"
    Statement.update(export_rows=json.dumps(frozen)).where(Statement.id == issued.id).execute()
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "x", "x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = list(load_workbook(tmp_path / "KANNUS-2026-09-palvelut.xlsx")["Services"].values)
        assert [(r[5], r[8]) for r in rows[1:]] == [("advice", "frozen.staff")]


@pytest.mark.parametrize("size", [SIZE, (80, 24)], ids=["120x40", "80x24"])
def test_snapshot_export_choice(make_app, october, snap_compare, monkeypatch, size):
    # The folder the dialog names, the same on every run.
    monkeypatch.setattr(
        "kela_tui.printing.output_folder", lambda: Path("/home/kela/Documents/kela-tui")
    )
    assert snap_compare(make_app(), terminal_size=size, press=["f5", "x"])


def test_snapshot_draft(make_app, october, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["f5"])


def test_snapshot_issued(make_app, october, snap_compare):
    async def issue(pilot):
        await pilot.press("f5", "i", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=issue)


def test_snapshot_issue_form(make_app, october, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE, press=["f5", "i"])
