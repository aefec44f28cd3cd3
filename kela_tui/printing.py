"""Printing: `lp` where the system has it; elsewhere an HTML file whose path
is shown, to open in a browser and print from there."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kela_tui.config import APP_NAME
from kela_tui.errors import BadInput


@dataclass(frozen=True)
class Printed:
    printer: bool
    path: Path | None = None


def output_folder() -> Path:
    return Path(platformdirs.user_documents_dir()) / APP_NAME


def print_document(name: str, text: str, html: str, folder: Path | None = None) -> Printed:
    """Send `text` to the printer, or save `html` when there is no `lp`."""
    lp = shutil.which("lp")
    if lp:
        try:
            subprocess.run(
                [lp, "-t", name], input=text.encode("utf-8"), check=True, capture_output=True
            )
        except (OSError, subprocess.CalledProcessError) as exc:
            raise BadInput("print_failed", problem=_problem(exc)) from exc
        return Printed(printer=True)
    folder = folder or output_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.html"
        path.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise BadInput("print_failed", problem=exc) from exc
    return Printed(printer=False, path=path)


def _problem(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        return (exc.stderr or b"").decode("utf-8", "replace").strip() or str(exc)
    return str(exc)
