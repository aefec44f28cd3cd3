"""The workstation's TOML file: the database it uses is given on the command
line or in KELA_TUI_DB; the file says which point the workstation acts as,
its language and how long an entry can be undone. Defaults are written on
first run, every value is checked, and a wrong one gets a message naming the
key and the problem.

The point's own settings (name, agreement, hours, staff…) live in the
database (settings.py). Sections for them in this file seed a new database
once; afterwards they are not read, and the program says so."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from kela_tui.errors import BadInput, os_problem
from kela_tui.i18n import LANGUAGES, Msg
from kela_tui.point import (
    DEFAULT_STAFF,
    POINT_KEYS,
    PointSettings,
    Reader,
    StaffMember,
    read_point,
)

APP_NAME = "kela-tui"
SITE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Config:
    site_code: str = "KANNUS"
    language: str = "fi"
    undo_grace_seconds: int = 10
    # What the file says of the point, to seed a new database with.
    point: PointSettings = field(default_factory=PointSettings)
    staff: tuple[StaffMember, ...] = DEFAULT_STAFF
    # The point's keys that the file gives (the notice that they are not read).
    point_keys: frozenset[str] = frozenset()
    path: Path | None = None

    @property
    def default_staff(self) -> str:
        """The id of the staff member on duty when the program starts."""
        for member in self.staff:
            if member.role == "virastomestari":
                return member.id
        return self.staff[0].id


DEFAULT_TEXT = """\
# kela-tui, this workstation's settings. The point's own settings (its name,
# the agreement, opening hours, Kela's hours, staff…) are kept in the database
# and changed in the program (F6) or with `kela-tui settings`.
language = "fi"                 # fi, sv or en

[site]
code = "KANNUS"                 # the point this workstation acts as

[counter]
undo_grace_seconds = 10         # how long ctrl+z may undo the last entry
"""


def default_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def resolve_path(given: str | None) -> Path:
    chosen = given or os.environ.get("KELA_TUI_CONFIG")
    return Path(chosen) if chosen else default_path()


# A configuration file is a few kilobytes: anything far larger is not one.
MAX_FILE_BYTES = 1_000_000


def load(given: str | None = None) -> Config:
    """Read the configuration, writing the defaults first if there is none.
    The default file's folder is made if needed; a file named with --config
    or KELA_TUI_CONFIG is written only into a folder that exists, so that a
    mistyped path makes no folders."""
    chosen = given or os.environ.get("KELA_TUI_CONFIG")
    path = resolve_path(given)
    try:
        if not path.exists():
            if chosen and not path.parent.is_dir():
                raise BadInput("config_missing", path=path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(DEFAULT_TEXT, encoding="utf-8")
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            raise BadInput("config_unreadable", path=path, problem=Msg("problem.not_a_file"))
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput("config_unreadable", path=path, problem=os_problem(exc)) from exc
    except UnicodeDecodeError as exc:
        raise BadInput("config_unreadable", path=path, problem=Msg("problem.not_utf8")) from exc
    return parse(text, path)


def parse(text: str, path: Path | None = None) -> Config:
    shown = path or "config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput("config_syntax", path=shown, problem=exc) from exc
    known = {section: set(keys) for section, keys in POINT_KEYS.items()}
    known["site"] = known["site"] | {"code"}
    known |= {"language": None, "counter": {"undo_grace_seconds"}, "staff": None}
    reader = Reader(data, shown, "config_value", known)
    reader.reject_unknown()
    return Config(
        language=reader.choice("language", LANGUAGES, "fi"),
        site_code=reader.free(
            "site.code", reader.text("site.code", "KANNUS", SITE_CODE, "problem.site_code")
        ),
        undo_grace_seconds=reader.integer("counter.undo_grace_seconds", 10, 0, 600),
        point=read_point(reader),
        staff=reader.staff(),
        point_keys=frozenset(
            f"{section}.{key}"
            for section, keys in POINT_KEYS.items()
            for key in keys
            if key in data.get(section, {})
        )
        | ({"staff"} if "staff" in data else set()),
        path=path,
    )
