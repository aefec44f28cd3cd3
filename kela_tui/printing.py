"""Printing: `lp` where the system has it; elsewhere a file whose path is
shown (HTML for a slip, PDF for a statement), to open and print from there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import webbrowser
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kela_tui.config import APP_NAME
from kela_tui.errors import BadInput, os_problem


@dataclass(frozen=True)
class Printed:
    printer: bool
    path: Path | None = None
    opened: bool = False


def output_folder() -> Path:
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def has_printer() -> bool:
    return shutil.which("lp") is not None


def send_to_printer(name: str, text: str, printer: str = "") -> Printed:
    """`text` to `lp`, titled `name`, on the queue `printer` ("" the default)."""
    command = ["lp", "-t", name, *(["-d", printer] if printer else [])]
    try:
        subprocess.run(command, input=text.encode("utf-8"), check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError) as exc:
        raise BadInput("print_failed", problem=_problem(exc)) from exc
    return Printed(printer=True)


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
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
    except OSError as exc:
        if path.is_file():
            path.unlink(missing_ok=True)
        raise BadInput("write_failed", path=path, problem=os_problem(exc)) from exc


def print_document(
    name: str, text: str, html: str, folder: Path | None = None, printer: str = ""
) -> Printed:
    """Send `text` to the printer; without `lp`, save `html` and open it in the
    default browser, whose print dialog does the rest."""
    if has_printer():
        return send_to_printer(name, text, printer)
    path = save(name, html, "html", folder)
    return Printed(printer=False, path=path, opened=open_in_browser(path))


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


def _problem(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return (exc.stderr or b"").decode("utf-8", "replace").strip() or str(exc)
    return str(exc)
