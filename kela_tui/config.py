"""The workstation's TOML file: the database it uses (unless the command line
or KELA_TUI_DB names one), which point the workstation acts as, its language,
theme and printer, and how long an entry can be undone. Defaults are written
on first run, every value is checked, and a wrong one gets a message naming
the key and the problem.

The point's own settings (name, agreement, hours, staff…) live in the
database (settings.py). Sections for them in this file seed a new database
once; afterwards they are not read, and the program says so."""

from __future__ import annotations

import os
import re
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from kela_tui.controls import CONTROLS
from kela_tui.errors import BadInput, os_problem
from kela_tui.i18n import LANGUAGES, Msg
from kela_tui.point import (
    DEFAULT_STAFF,
    POINT_KEYS,
    PointSettings,
    Reader,
    StaffMember,
    read_point,
    rendered,
)
from kela_tui.themes import OWN as OWN_THEMES

APP_NAME = "kela-tui"
SITE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
# A database URL the program can open; the rest is checked when it is opened.
DATABASE_URL = re.compile(r"^(sqlite|postgres|postgresql)://[^\s\x00-\x1f\x7f-\x9f]+$", re.I)
# A print queue's name as `lp -d` takes it: no spaces, / or # (CUPS), and no
# leading dash that lp could read as an option.
PRINTER = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.@:+-]{0,126}$")
# Windows names printers as people do ("Kanslia HP", "\\PALVELIN\Kanslia HP"):
# anything printable but a quote, which would end the name given to its print
# verb (see printing.py).
WINDOWS_PRINTER = re.compile(r'^[^\x00-\x1f\x7f-\x9f"]{1,255}$')
# Textual's own themes (textual.theme.BUILTIN_THEMES, which takes a quarter
# of a second to import: a test keeps the two the same), and the program's.
TEXTUAL_THEMES = (
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "textual-dark",
    "textual-light",
    "tokyo-night",
)
THEMES = tuple(sorted(TEXTUAL_THEMES + OWN_THEMES))
# Textual's animation levels (textual.constants.AnimationLevel), most first.
ANIMATIONS = ("full", "basic", "none")


@dataclass(frozen=True)
class Config:
    site_code: str = "KANNUS"
    language: str = "fi"
    undo_grace_seconds: int = 10
    # The database when neither --db nor KELA_TUI_DB names one ("" is the
    # default file in the user's data folder).
    database_url: str = ""
    # A Textual theme ("" is the program's own) and the print queue ("" is
    # the system's default printer).
    theme: str = ""
    printer: str = ""
    # Textual's animations (scrolling, the blinking of a field's cursor, the
    # loading indicator): full, basic or none; TEXTUAL_ANIMATIONS may lower it.
    animations: str = "full"
    # The terminal's cursor shown on the focused row or field, for a screen
    # reader or a braille display to follow.
    terminal_cursor: bool = True
    # The daily backup of a SQLite database (backups.py): whether it is made,
    # and its folder ("" is backups/ beside the database).
    backup_daily: bool = True
    backup_folder: str = ""
    # What the file says of the point, to seed a new database with.
    point: PointSettings = field(default_factory=PointSettings)
    staff: tuple[StaffMember, ...] = DEFAULT_STAFF
    # The point's keys that the file gives (the notice that they are not read).
    point_keys: frozenset[str] = frozenset()
    # What is wrong with the file's point settings: said only if they are
    # needed, to seed a new database (afterwards they are not read).
    point_error: BadInput | None = field(default=None, compare=False)
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
theme = ""                      # a theme's name (ctrl+p, Change theme); "" the default,
                                # "kela-high-contrast" white on black
animations = "full"             # full, basic or none (no scrolling, no blinking)
terminal_cursor = true          # the terminal's cursor on the focused row or field

[database]
url = ""                        # e.g. "postgresql://kela@db.example/kela"; "" the
                                # file in this user's data folder

[site]
code = "KANNUS"                 # the point this workstation acts as

[counter]
undo_grace_seconds = 10         # how long ctrl+z may undo the last entry

[printing]
printer = ""                    # the print queue (lp -d); "" the default printer

[backup]
daily = true                    # copy a SQLite database on the first start of each day
folder = ""                     # where the copies go; "" is backups/ beside the
                                # database, a relative path is from the database's folder
"""


def printer_rule(platform: str | None = None) -> tuple[re.Pattern, str]:
    """The pattern a printer's name matches on `platform`, and its message."""
    if (platform or sys.platform) == "win32":
        return WINDOWS_PRINTER, "printing.printer_windows"
    return PRINTER, "problem.printer"


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
    except OSError as exc:
        raise BadInput("config_unreadable", path=path, problem=os_problem(exc)) from exc
    return parse(read_small(path, "config_unreadable"), path)


def read_small(path: Path, error: str) -> str:
    """A settings file's text: an ordinary file of at most a megabyte, in
    UTF-8. Anything else (a folder, /dev/zero, a disk image) is refused with
    `error` naming the path and the problem, before it is read."""
    try:
        if not path.exists():
            raise BadInput(error, path=path, problem=Msg("problem.os_missing"))
        if not path.is_file() or path.stat().st_size > MAX_FILE_BYTES:
            raise BadInput(error, path=path, problem=Msg("problem.not_a_file"))
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise BadInput(error, path=path, problem=os_problem(exc)) from exc
    if len(data) > MAX_FILE_BYTES:
        raise BadInput(error, path=path, problem=Msg("problem.not_a_file"))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadInput(error, path=path, problem=Msg("problem.not_utf8")) from exc


def parse(text: str, path: Path | None = None) -> Config:
    shown = path or "config"
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput("config_syntax", path=shown, problem=exc) from exc
    known = {section: set(keys) for section, keys in POINT_KEYS.items()}
    known["site"] = known["site"] | {"code"}
    known |= {
        "language": None,
        "theme": None,
        "animations": None,
        "terminal_cursor": None,
        "database": {"url"},
        "printing": {"printer"},
        "counter": {"undo_grace_seconds"},
        "backup": {"daily", "folder"},
        "staff": None,
    }
    reader = Reader(data, shown, "config_value", known)
    reader.reject_unknown()
    return Config(
        language=reader.choice("language", LANGUAGES, "fi"),
        site_code=reader.free(
            "site.code", reader.text("site.code", "KANNUS", SITE_CODE, "problem.site_code")
        ),
        undo_grace_seconds=reader.integer("counter.undo_grace_seconds", 10, 0, 600),
        database_url=reader.optional("database.url", DATABASE_URL, "problem.database_url"),
        theme=_theme(reader),
        animations=reader.choice("animations", ANIMATIONS, "full"),
        terminal_cursor=reader.boolean("terminal_cursor", True),
        printer=reader.optional("printing.printer", *printer_rule()),
        backup_daily=reader.boolean("backup.daily", True),
        backup_folder=_backup_folder(reader),
        **_point_part(reader),
        point_keys=frozenset(
            f"{section}.{key}"
            for section, keys in POINT_KEYS.items()
            for key in keys
            if key in data.get(section, {})
        )
        | ({"staff"} if "staff" in data else set()),
        path=path,
    )


# The top-level theme's value, its comment left as it is.
_THEME_LINE = re.compile(r"""^(theme\s*=\s*)("(?:[^"\\\n]|\\.)*"|'[^'\n]*')""", re.MULTILINE)


def save_theme(path: Path, theme: str) -> None:
    """Keep `theme` in the file at `path`: its top-level `theme` line is
    replaced (or one is added before the first section); everything else in
    the file stays as it was. The new file is checked before it replaces the
    old one, and is written whole or not at all."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problem = os_problem(exc) if isinstance(exc, OSError) else Msg("problem.not_utf8")
        raise BadInput("config_unreadable", path=path, problem=problem) from exc
    line = f'theme = "{theme}"'
    section = re.search(r"^\s*\[", text, re.MULTILINE)
    head, tail = (text[: section.start()], text[section.start() :]) if section else (text, "")
    if _THEME_LINE.search(head):
        head = _THEME_LINE.sub(lambda match: f'{match[1]}"{theme}"', head, count=1)
    else:
        head = f"{head.rstrip()}\n{line}\n\n" if head.strip() else f"{line}\n\n"
    text = head + tail
    if parse(text, path).theme != theme:
        raise BadInput(
            "config_value",
            path=path,
            key="theme",
            problem=Msg("problem.theme", value=rendered(theme)),
        )
    temporary = path.with_name(f".{path.name}.new")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise BadInput("write_failed", path=path, problem=os_problem(exc)) from exc


def _theme(reader: Reader) -> str:
    value = reader.get("theme", "")
    if value != "" and value not in THEMES:
        reader.fail("theme", "problem.choice", value=value, choices=", ".join(THEMES))
    return value


# A folder's path as a file can hold it: no control characters, and short
# enough for any file system.
MAX_FOLDER_LENGTH = 1000


def _backup_folder(reader: Reader) -> str:
    value = reader.get("backup.folder", "")
    if (
        not isinstance(value, str)
        or CONTROLS.search(value)
        or len(value) > MAX_FOLDER_LENGTH
        or (value and not value.strip())
    ):
        reader.fail("backup.folder", "backup.bad_folder", value=value)
    return value.strip()


def _point_part(reader: Reader) -> dict:
    """The file's point settings, or the defaults and what is wrong with them:
    a bad value there stops only the first start on a new database, which is
    the one time they are read."""
    try:
        return {"point": read_point(reader), "staff": reader.staff()}
    except BadInput as error:
        return {"point_error": error}


def check_theme(config: Config) -> None:
    """Refuse a theme Textual does not have, naming the ones it has. Checked
    when the screens start: the themes are not loaded for a command."""
    if not config.theme:
        return
    from textual.theme import BUILTIN_THEMES

    if config.theme not in BUILTIN_THEMES and config.theme not in OWN_THEMES:
        raise BadInput(
            "config_value",
            path=config.path or "config",
            key="theme",
            problem=Msg(
                "problem.choice",
                value=rendered(config.theme),
                choices=", ".join(sorted((*BUILTIN_THEMES, *OWN_THEMES))),
            ),
        )
