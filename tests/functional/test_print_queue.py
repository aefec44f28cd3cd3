"""A real print queue: CUPS's daemon, started here with its own configuration
in a temporary folder (tests/print_server.py), and the cups-pdf printer,
which writes what it is sent as a PDF. The program prints to it as the
counter does (F5 `p`, the slip's `p`) with the queue named in the
workstation's configuration, and the PDF that comes out is the formatted
document people sign: A4, set in DejaVu Sans, with the statement's title and
its compensation, not a typewriter page of its plain text. A plain text sent
to the same queue comes out in a monospace font, so the check tells the two
apart."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import datetime

import pytest
from pypdf import PdfReader
from textual.widgets import Static

from kela_tui import services, statement
from kela_tui.i18n import Translator
from kela_tui.months import Month
from tests.functional.helpers import settled
from tests.print_server import QUEUE, CupsServer, fonts, set_in_dejavu_sans

SIZE = (120, 40)


@pytest.fixture(scope="module")
def print_server():
    server = CupsServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture
def config(config):
    """The workstation prints on the test's queue."""
    return replace(config, printer=QUEUE)


@pytest.fixture
def queue(print_server, monkeypatch):
    for name, value in print_server.env().items():
        monkeypatch.setenv(name, value)
    assert shutil.which("lp"), "CUPS's lp is not installed: run scripts/ensure-system-packages"
    return print_server


def words(reader: PdfReader) -> str:
    """The PDF's text with every run of white space one space."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def a4(reader: PdfReader) -> bool:
    box = reader.pages[0].mediabox
    return abs(float(box.width) - 595) <= 2 and abs(float(box.height) - 842) <= 2


async def test_the_statement_comes_out_of_the_printer_as_its_formatted_a4_pdf(
    make_app, sqlite_ctx, clock, queue
):
    clock.set(datetime(2026, 10, 6, 10, 0))
    services.log_service(sqlite_ctx, "advice", at=datetime(2026, 9, 10, 10, 0))
    app = make_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5", "p")
        await settled(pilot)
        assert "The statement was sent to the printer." in str(
            app.screen.query_one("#status").content
        )
    printed = PdfReader(queue.wait_for_pdf("KANNUS-2026-09"))
    assert a4(printed)
    assert set_in_dejavu_sans(printed), fonts(printed)
    text = words(printed)
    assert "Joint service monthly statement and compensation claim" in text
    assert "Compensation claimed €300.00" in text
    # The figures as the formatted statement sets them, one page.
    data = statement.prepare(sqlite_ctx, Month(2026, 9))
    assert str(data.compensation.amount) == "300.00"
    assert len(printed.pages) == 1


async def test_the_slip_comes_out_of_the_printer_as_its_formatted_a4_pdf(
    make_app, sqlite_ctx, queue
):
    app = make_app("fi")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "enter", "p")
        await settled(pilot)
        result = str(app.screen.query_one("#print-result", Static).content)
        assert result == "Kuitti lähetettiin tulostimelle."
    printed = PdfReader(queue.wait_for_pdf("kuitti-KANNUS-2026-00001"))
    assert a4(printed)
    assert set_in_dejavu_sans(printed), fonts(printed)
    text = words(printed)
    assert "Kuitti jätetyistä asiakirjoista" in text
    assert "KANNUS-2026-00001 Hakemus" in text
    assert "katsotaan saapuneeksi Kelaan samana päivänä" in text


def test_plain_text_goes_to_the_printer_only_when_asked_and_looks_it(sqlite_ctx, clock, queue):
    """`statement --format txt | lp`, for a line printer: the check above
    would tell this page from the formatted one."""
    clock.set(datetime(2026, 10, 6, 10, 0))
    text, _html = statement.document(sqlite_ctx, Month(2026, 9), Translator("en"))
    subprocess.run(
        ["lp", "-d", QUEUE, "-t", "plain-KANNUS-2026-09"],
        input=text.encode("utf-8"),
        check=True,
        capture_output=True,
    )
    printed = PdfReader(io.BytesIO(queue.wait_for_pdf("plain-KANNUS-2026-09").read_bytes()))
    assert not set_in_dejavu_sans(printed), fonts(printed)
