"""Printing: the formatted PDF on A4, by `lp` on Linux and macOS and by the
print verb on Windows, never the plain text; and the program's paths on
Windows. The command is chosen by a pure function of the platform, so Windows
is tested here with the platform switched: `sys.platform`, which is what the
program looks at, and `os.startfile`, which only Windows has. (`os.name`
stays: pathlib would make Windows paths of it, which Linux cannot open.)"""

from __future__ import annotations

import io
import ntpath
import os
import subprocess
import sys
import types
from pathlib import Path, PurePosixPath, PureWindowsPath

import platformdirs
import platformdirs.windows
import pytest
from pypdf import PdfReader

from kela_tui import config, db, documents, errorlog, printing, receipts
from kela_tui.errors import BadInput
from kela_tui.i18n import Translator
from kela_tui.printing import Command, print_command
from tests.print_server import set_in_dejavu_sans

# A PDF's bytes as they must reach the printer: "\n" and "\r\n" as they are.
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
HTML = "<!DOCTYPE html><p>html</p>"
NAME = "KANNUS-2026-09"


def no_pdf() -> bytes:
    raise BadInput("pdf_unavailable", problem="cannot load library 'libpango-1.0-0'")


def no_lp(*args, **kwargs):
    pytest.fail(f"ran a program: {args}")


@pytest.fixture
def windows(monkeypatch):
    """The platform switched to Windows; `os.startfile`'s calls recorded."""
    calls = []
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(os, "startfile", lambda *args: calls.append(args), raising=False)
    # Even an lp on the PATH is never used on Windows.
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr(printing.subprocess, "run", no_lp)
    return calls


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    """An `lp` on the PATH that keeps its arguments and a copy of the file it
    was given."""
    folder = tmp_path / "bin"
    folder.mkdir()
    lp = folder / "lp"
    lp.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > {folder}/args\n'
        'for last in "$@"; do :; done\n'
        f'cp "$last" {folder}/printed.pdf\n',
        encoding="utf-8",
    )
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}:/usr/bin:/bin")
    return folder


# The command chosen, a pure function of the platform


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_linux_and_macos_give_lp_the_pdf_on_a4(platform):
    path = Path("/tmp/kela-tui-x/KANNUS-2026-09.pdf")
    chosen = print_command(path, platform, "Kanslia_HP", NAME, lp="/usr/bin/lp")
    assert chosen == Command(
        argv=(
            "/usr/bin/lp",
            *("-t", NAME, "-o", "media=A4", "-d", "Kanslia_HP", "--", str(path)),
        )
    )
    # Without a printer in the configuration: the system's default.
    default = print_command(path, platform, "", NAME, lp="/usr/bin/lp")
    assert default.argv == ("/usr/bin/lp", "-t", NAME, "-o", "media=A4", "--", str(path))
    assert not default.verb
    # No lp: no command; the PDF is saved and opened instead.
    assert print_command(path, platform, "", NAME, lp=None) is None


def test_windows_never_uses_lp_but_the_print_verb():
    path = Path(r"C:\Users\kela\Documents\kela-tui\KANNUS-2026-09.pdf")
    chosen = print_command(path, "win32", "", NAME, lp="/usr/bin/lp")
    assert chosen == Command(verb="print", path=path) and not chosen.argv
    # The configured printer: the "printto" verb names it.
    named = print_command(path, "win32", "Kanslia_HP", NAME, lp="/usr/bin/lp")
    assert named == Command(verb="printto", path=path, arguments='"Kanslia_HP"')


# What is printed: the formatted A4 PDF


def test_the_slip_is_printed_as_an_a4_pdf_in_a_proportional_font(ctx):
    """A4 as the office's printer holds it (an A6 page would make a printer
    stop and ask for A6 paper), set in DejaVu Sans, not a typewriter's page."""
    docs = documents.receive_documents(ctx, "attachment", 2)
    reader = PdfReader(io.BytesIO(receipts.slip(ctx, docs, Translator("fi")).pdf()))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "KANNUS-2026-00002" in text and "434/2003" in text
    assert set_in_dejavu_sans(reader)


# Linux and macOS: lp gets the PDF


@pytest.mark.parametrize("platform", ["linux", "darwin"])
def test_lp_prints_the_pdf_and_leaves_no_file_behind(fake_lp, tmp_path, monkeypatch, platform):
    monkeypatch.setattr(sys, "platform", platform)
    documents = tmp_path / "documents"
    printed = printing.print_document(
        NAME, lambda: PDF, HTML, documents, printer="Kanslia_HP", platform=platform
    )
    assert printed == printing.Printed(printer=True)
    args = (fake_lp / "args").read_text(encoding="utf-8").splitlines()
    assert args[:7] == ["-t", NAME, "-o", "media=A4", "-d", "Kanslia_HP", "--"]
    assert PurePosixPath(args[7]).name == f"{NAME}.pdf"
    # The PDF itself, byte for byte, not the text; its temporary copy is gone,
    # and nothing was left in the documents folder.
    assert (fake_lp / "printed.pdf").read_bytes() == PDF
    assert not Path(args[7]).exists() and not Path(args[7]).parent.exists()
    assert not documents.exists()
    message, kind = printing.said(printed, Translator("en"), "statement")
    assert (message, kind) == ("The statement was sent to the printer.", "ok")


def test_a_failing_printer_is_a_clear_message(tmp_path, monkeypatch):
    lp = tmp_path / "lp"
    lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(printing.tempfile, "tempdir", str(tmp_path))
    with pytest.raises(BadInput, match="printer or class does not exist") as raised:
        printing.print_document(NAME, lambda: PDF, HTML, tmp_path, platform="linux")
    assert raised.value.key == "print_failed"
    # The temporary copy is removed all the same.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lp"]


def test_a_print_server_that_never_answers_is_a_clear_message(tmp_path, monkeypatch):
    def hangs(command, **kwargs):
        raise subprocess.TimeoutExpired(command, kwargs["timeout"])

    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr(printing.subprocess, "run", hangs)
    with pytest.raises(BadInput) as raised:
        printing.print_document(NAME, lambda: PDF, HTML, tmp_path, platform="linux")
    # A sentence in the user's language naming the setting, not Python's
    # "Command '(...)' timed out".
    said = Translator("fi").error(raised.value)
    assert (
        said.startswith("oletustulostin ei vastannut 60 sekunnissa") and "printing.printer" in said
    )
    assert "Command" not in said
    with pytest.raises(BadInput) as raised:
        printing.print_document(
            NAME, lambda: PDF, HTML, tmp_path, printer="Kanslia", platform="linux"
        )
    assert Translator("en").error(raised.value).startswith("Kanslia did not answer within 60")


def test_a_printer_that_fails_is_named_with_its_setting(tmp_path, monkeypatch):
    lp = tmp_path / "lp"
    lp.write_text("#!/bin/sh\necho 'lp: The printer or class does not exist.' >&2\nexit 1\n")
    lp.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(printing.tempfile, "tempdir", str(tmp_path))
    with pytest.raises(BadInput) as raised:
        printing.print_document(
            NAME, lambda: PDF, HTML, tmp_path, printer="Kanslia", platform="linux"
        )
    assert Translator("en").error(raised.value) == (
        "printing on Kanslia failed (printing.printer): lp: The printer or class does not exist."
    )


def test_without_pango_nothing_is_printed_and_the_html_is_saved(tmp_path, monkeypatch):
    """Not the plain text in the PDF's place: the HTML, and why."""
    monkeypatch.setattr(printing.shutil, "which", lambda name: "/usr/bin/lp")
    monkeypatch.setattr(printing.subprocess, "run", no_lp)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    printed = printing.print_document(NAME, no_pdf, HTML, tmp_path, platform="linux")
    assert not printed.printer and not printed.opened
    assert printed.path.read_text(encoding="utf-8") == HTML
    message, kind = printing.said(printed, Translator("en"), "statement")
    assert kind == "warning"
    assert message.startswith(
        f"Not printed: the PDF could not be made, so the HTML version was saved as {printed.path}."
    )
    assert "Pango library that WeasyPrint needs is missing" in message


def test_without_lp_the_pdf_is_saved(tmp_path, monkeypatch):
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setattr("webbrowser.open", lambda uri: pytest.fail("opened a browser"))
    printed = printing.print_document("kuitti-1", lambda: PDF, HTML, tmp_path)
    assert not printed.printer and not printed.opened
    assert printed.path == tmp_path / "kuitti-1.pdf" and printed.path.read_bytes() == PDF
    message, _ = printing.said(printed, Translator("en"), "slip")
    assert message.startswith(f"No printer here: the receipt was saved as {printed.path}")


def test_without_lp_the_pdf_opens_in_a_graphical_browser(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(printing.shutil, "which", lambda name: None)
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr("webbrowser.open", lambda uri: opened.append(uri) or True)
    printed = printing.print_document("kuitti-2", lambda: PDF, HTML, tmp_path)
    assert printed.opened and opened == [(tmp_path / "kuitti-2.pdf").as_uri()]


# Windows: the print verb, never lp


def test_windows_hands_the_pdf_to_the_print_verb(windows, tmp_path):
    printed = printing.print_document(NAME, lambda: PDF, HTML, tmp_path)
    path = tmp_path / f"{NAME}.pdf"
    assert windows == [(str(path), "print")]
    # Saved where its path is shown, byte for byte.
    assert printed == printing.Printed(printer=True, path=path)
    assert path.read_bytes() == PDF
    message, kind = printing.said(printed, Translator("fi"), "statement")
    assert (message, kind) == (
        f"PDF annettiin Windowsille tulostettavaksi (tiedosto {path}).",
        "ok",
    )


def test_windows_prints_on_the_configured_printer(windows, tmp_path):
    printing.print_document("kuitti-1", lambda: PDF, HTML, tmp_path, printer="Kanslia_HP")
    assert windows == [(str(tmp_path / "kuitti-1.pdf"), "printto", '"Kanslia_HP"')]


def test_windows_without_a_print_verb_opens_the_pdf(windows, tmp_path, monkeypatch):
    """A default PDF viewer that offers no print verb: the PDF is opened in
    it, to print from there."""

    def startfile(path, verb="open", *arguments):
        if verb != "open":
            raise OSError(22, "No application is associated with the specified file")
        windows.append((path,))

    monkeypatch.setattr(os, "startfile", startfile, raising=False)
    printed = printing.print_document("kuitti-1", lambda: PDF, HTML, tmp_path)
    path = tmp_path / "kuitti-1.pdf"
    assert windows == [(str(path),)]
    assert printed == printing.Printed(printer=False, path=path, opened=True)
    message, _ = printing.said(printed, Translator("en"), "slip")
    assert message == f"The PDF was opened in its default program: print it from there ({path})."


def test_windows_with_nothing_to_open_the_pdf_shows_its_path(windows, tmp_path, monkeypatch):
    def startfile(*args):
        raise OSError(1155, "No application is associated with the specified file")

    monkeypatch.setattr(os, "startfile", startfile, raising=False)
    printed = printing.print_document("kuitti-1", lambda: PDF, HTML, tmp_path)
    message, kind = printing.said(printed, Translator("sv"), "slip")
    path = tmp_path / "kuitti-1.pdf"
    assert (message, kind) == (
        f"PDF-filen sparades som {path}: öppna den och skriv ut därifrån.",
        "ok",
    )


def test_windows_without_pango_opens_the_html_in_the_browser(windows, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda uri: opened.append(uri) or True)
    printed = printing.print_document(NAME, no_pdf, HTML, tmp_path)
    assert windows == [] and opened == [(tmp_path / f"{NAME}.html").as_uri()]
    message, kind = printing.said(printed, Translator("en"), "statement")
    assert kind == "warning" and message.startswith("Not printed: the PDF could not be made")
    assert "on Windows: install the GTK runtime" in message


def test_files_are_written_in_binary_mode_on_windows(tmp_path, monkeypatch):
    """Windows opens a descriptor in text mode unless O_BINARY is given, and
    would turn a PDF's "\\n" into "\\r\\n"."""
    flags = []
    real_open = os.open

    def recording_open(path, flag, mode=0o777):
        flags.append(flag)
        return real_open(path, flag & ~0x8000, mode)

    monkeypatch.setattr(printing, "BINARY", 0x8000)  # Windows' O_BINARY
    monkeypatch.setattr(printing.os, "open", recording_open)
    printing.write_file(tmp_path / "x.pdf", PDF)
    assert flags and all(flag & 0x8000 for flag in flags)
    assert (tmp_path / "x.pdf").read_bytes() == PDF


# Windows: where the program keeps its files


def test_on_windows_every_path_comes_from_platformdirs(monkeypatch):
    """The configuration, the database, the error log and the documents
    folder where Windows keeps a user's own files, as platformdirs names them
    (the paths the README gives)."""
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(
        platformdirs.windows, "get_win_folder", platformdirs.windows.get_win_folder_from_env_vars
    )
    monkeypatch.setattr(
        platformdirs.windows, "os", types.SimpleNamespace(**{**vars(os), "path": ntpath})
    )
    monkeypatch.setenv("LOCALAPPDATA", r"C:\Users\kela\AppData\Local")
    monkeypatch.setenv("APPDATA", r"C:\Users\kela\AppData\Roaming")
    monkeypatch.setenv("USERPROFILE", r"C:\Users\kela")
    monkeypatch.setattr(sys, "platform", "win32")
    home = PureWindowsPath(r"C:\Users\kela\AppData\Local\kela-tui")
    assert PureWindowsPath(str(config.default_path())) == home / "config.toml"
    assert PureWindowsPath(db.sqlite_path(db.default_url())) == home / "kela-tui.db"
    assert PureWindowsPath(str(errorlog.path())) == home / "errors.log"
    assert PureWindowsPath(str(printing.output_folder())) == PureWindowsPath(
        r"C:\Users\kela\Documents\kela-tui"
    )


@pytest.mark.parametrize(
    "name", ["Kanslia HP", r"\\PALVELIN\Kanslia HP", "HP LaserJet M404 (kerros 2)", "Kanslia_HP"]
)
def test_on_windows_a_printer_is_named_as_windows_names_it(monkeypatch, name):
    """Windows' printers have spaces and a server's backslashes in their
    names; the name goes to the print verb in quotes."""
    monkeypatch.setattr(sys, "platform", "win32")
    assert config.parse(f"[printing]\nprinter = '{name}'\n").printer == name
    # Not so where lp takes a queue's name.
    monkeypatch.setattr(sys, "platform", "linux")
    if " " in name:
        with pytest.raises(BadInput, match="print queue"):
            config.parse(f"[printing]\nprinter = '{name}'\n")


@pytest.mark.parametrize("text", ["printer = 'Kanslia \"HP\"'", 'printer = "Kanslia\\u0007HP"'])
def test_on_windows_a_printer_name_that_would_break_its_quotes_is_refused(monkeypatch, text):
    monkeypatch.setattr(sys, "platform", "win32")
    with pytest.raises(BadInput) as raised:
        config.parse(f"[printing]\n{text}\n", Path("config.toml"))
    message = str(raised.value)
    assert "key printing.printer:" in message and "as Windows shows it" in message
    assert raised.value.exit_code == 2
