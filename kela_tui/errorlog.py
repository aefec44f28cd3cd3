"""The error log: where an error the program did not foresee is written, so
that staff see one line naming the file instead of a traceback.

Tracebacks are written without local variables: they would hold personal
data and the configuration."""

from __future__ import annotations

import os
import traceback
from datetime import datetime
from pathlib import Path

import platformdirs

from kela_tui import __version__
from kela_tui.config import APP_NAME

FILE_NAME = "errors.log"


def path() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / FILE_NAME


def write(error: BaseException) -> Path | str:
    """Append `error` with its traceback to the log; returns the log's path, or
    a word saying it could not be written (then the traceback is lost, but the
    program goes on)."""
    target = path()
    entry = (
        f"--- {datetime.now().isoformat(timespec='seconds')} kela-tui {__version__}\n"
        + "".join(traceback.format_exception(error))
    )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Readable by its owner only where the mode bits are kept (on
        # Windows the user's own folder keeps it so); binary, so that
        # Windows adds no second "\r" to the "\r\n" Python writes there.
        flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0)
        descriptor = os.open(target, flags, 0o600)
        with os.fdopen(descriptor, "a", encoding="utf-8") as file:
            file.write(entry)
    except OSError as exc:
        return f"({exc.strerror or exc})"
    return target
