"""Printing: the formatted PDF of a statement or a slip, never its plain text
(`statement --format txt | lp` prints that, for a line printer).

How a PDF reaches paper is chosen by `print_command`, a pure function of the
platform, so that tests can choose it for Windows on Linux:

* Linux and macOS: `lp` takes the PDF, on A4, titled with the document's
  name, on the workstation's printer (`printing.printer`) or the system's
  default. The PDF is given to `lp` from a private temporary folder, removed
  once `lp` has queued it.
* Windows has no `lp`. The PDF is saved in the documents folder (the path is
  shown) and handed to the Windows shell's print verb: the program registered
  for printing PDFs prints it, on the default printer, or with "printto" on
  the configured one. Where no program offers the verb, the PDF is opened with
  the default program, to be printed from there.
* Elsewhere without `lp`: the PDF is saved and opened in the browser, or only
  its path shown where a browser would take over the terminal.

Where the PDF cannot be made (WeasyPrint without Pango), nothing is printed:
the HTML is saved and opened in the browser, and the message says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kela_tui.config import APP_NAME
from kela_tui.errors import BadInput, KelaError, os_problem
from kela_tui.i18n import Msg

# lp waits for the print server to take the job; a server that never answers
# is a failure to report, not a worker left hanging.
LP_TIMEOUT_SECONDS = 60


@dataclass(frozen=True)
class Printed:
    """What became of a document: sent to a printer (`printer`), or saved at
    `path` and `opened` in a program to print from; `problem` says why there
    was no PDF."""

    printer: bool
    path: Path | None = None
    opened: bool = False
    problem: KelaError | None = None


@dataclass(frozen=True)
class Command:
    """How a file is printed: a program to run (`argv`), or on Windows a
    shell verb (`verb`, with `arguments`) for the file `path`."""

    argv: tuple[str, ...] = ()
    verb: str = ""
    path: Path | None = None
    arguments: str = ""


def is_windows(platform: str | None = None) -> bool:
    return (platform or sys.platform) == "win32"


def print_command(
    path: Path, platform: str, printer: str = "", title: str = "", lp: str | None = "lp"
) -> Command | None:
    """How `path` (a PDF) is printed on `platform` (as `sys.platform` names
    it) on the queue `printer` ("" the default): `None` where there is no way
    (no `lp` outside Windows)."""
    if is_windows(platform):
        if printer:
            return Command(verb="printto", path=path, arguments=f'"{printer}"')
        return Command(verb="print", path=path)
    if lp is None:
        return None
    destination = ("-d", printer) if printer else ()
    # "--" ends the options: no file name is ever read as one.
    return Command(
        argv=(lp, "-t", title or path.stem, "-o", "media=A4", *destination, "--", str(path))
    )


def output_folder() -> Path:
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def print_document(
    name: str,
    make_pdf: Callable[[], bytes],
    html: str,
    folder: Path | None = None,
    printer: str = "",
    platform: str | None = None,
) -> Printed:
    """Print the PDF `make_pdf` makes, titled `name`. Without the PDF (no
    Pango) nothing is printed: `html` is saved and opened instead, and the
    result carries the reason."""
    try:
        pdf = make_pdf()
    except BadInput as error:
        if error.key != "pdf_unavailable":
            raise
        path = save(name, html, "html", folder)
        return Printed(printer=False, path=path, opened=open_in_browser(path), problem=error)
    return print_pdf(name, pdf, folder, printer, platform)


def print_pdf(
    name: str,
    pdf: bytes,
    folder: Path | None = None,
    printer: str = "",
    platform: str | None = None,
) -> Printed:
    platform = platform or sys.platform
    if is_windows(platform):
        path = save(name, pdf, "pdf", folder)
        command = print_command(path, platform, printer, name)
        try:
            start(command)
        except OSError:
            # No program offers the verb for PDFs (the default PDF viewer
            # may not): open it, to print from there.
            try:
                start(Command(verb="open", path=path))
            except OSError:
                return Printed(printer=False, path=path)
            return Printed(printer=False, path=path, opened=True)
        return Printed(printer=True, path=path)
    lp = shutil.which("lp")
    if lp is None:
        path = save(name, pdf, "pdf", folder)
        return Printed(printer=False, path=path, opened=open_in_browser(path))
    with tempfile.TemporaryDirectory(prefix=f"{APP_NAME}-") as temporary:
        path = Path(temporary) / f"{name}.pdf"
        write_file(path, pdf)
        run(print_command(path, platform, printer, name, lp), printer)
    return Printed(printer=True)


def run(command: Command, printer: str = "") -> None:
    """Run `lp`; its complaint (no such printer, no server) is the message,
    naming the configured printer when there is one."""
    try:
        subprocess.run(command.argv, check=True, capture_output=True, timeout=LP_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired as exc:
        raise BadInput(
            "print_no_answer",
            seconds=LP_TIMEOUT_SECONDS,
            printer=printer or Msg("printing.default_printer"),
        ) from exc
    except (OSError, subprocess.SubprocessError) as exc:
        if printer:
            raise BadInput("print_failed_on", printer=printer, problem=_problem(exc)) from exc
        raise BadInput("print_failed", problem=_problem(exc)) from exc


def start(command: Command) -> None:
    """Hand a file to the Windows shell (`os.startfile`, which exists only
    there); it returns at once, the program it starts does the rest."""
    startfile = getattr(os, "startfile")  # noqa: B009 - absent outside Windows
    if command.verb == "open":
        startfile(str(command.path))
    elif command.arguments:
        startfile(str(command.path), command.verb, command.arguments)
    else:
        startfile(str(command.path), command.verb)


def save(name: str, content: str | bytes, suffix: str, folder: Path | None = None) -> Path:
    """Write `content` as NAME.SUFFIX in the documents folder; returns the path."""
    folder = folder or output_folder()
    path = folder / f"{name}.{suffix}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput("write_failed", path=folder, problem=os_problem(exc)) from exc
    write_file(path, content)
    return path


def write_file(path: Path, content: str | bytes) -> None:
    """Write `content` (text as UTF-8, as it is) to `path`, readable by its
    owner only when new. A write that fails leaves no half-written file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | BINARY, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError as exc:
        if path.is_file():
            path.unlink(missing_ok=True)
        raise BadInput("write_failed", path=path, problem=os_problem(exc)) from exc


# Windows opens a descriptor in text mode unless told otherwise, and would
# write every "\n" of a PDF as "\r\n"; elsewhere there is no such flag.
BINARY = getattr(os, "O_BINARY", 0)


def open_in_browser(path: Path) -> bool:
    """Open a saved file in a graphical browser, where there is one. On Linux
    without a display, a console browser would take over the terminal the
    program runs in, so the path is only shown."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    try:
        return webbrowser.open(path.resolve().as_uri())
    except webbrowser.Error:
        return False


def said(printed: Printed, t, what: str) -> tuple[str, str]:
    """The message for `printed` and its kind: `what` is "slip" or
    "statement", whose messages say what was saved or opened."""
    if printed.problem is not None:
        key = "printing.no_pdf_opened" if printed.opened else "printing.no_pdf_saved"
        return f"{t(key, path=printed.path)} {t.error(printed.problem)}", "warning"
    if printed.printer and printed.path is not None:
        return t("printing.handed", path=printed.path), "ok"
    if printed.printer:
        return t(f"printing.sent_{what}"), "ok"
    if is_windows():
        key = "printing.opened_program" if printed.opened else "printing.saved_windows"
        return t(key, path=printed.path), "ok"
    return t(f"{what}.opened" if printed.opened else f"{what}.saved", path=printed.path), "ok"


def _problem(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return (exc.stderr or b"").decode("utf-8", "replace").strip() or str(exc)
    return str(exc)
