"""The TOML configuration: defaults written on first run, every value checked,
and a message naming the key and the problem when one is wrong."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation
from pathlib import Path

import platformdirs

from kela_tui import text as free_text
from kela_tui.clock import FIRST_YEAR, LAST_YEAR
from kela_tui.errors import BadInput, KelaError, os_problem
from kela_tui.i18n import LANGUAGES, Msg

APP_NAME = "kela-tui"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROLES = ("virastomestari", "deputy")
SITE_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,31}$")
STAFF_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
# Finland's regions (maakunnat) as the holidays package names its subdivisions.
REGIONS = tuple(f"{n:02d}" for n in range(1, 20))
HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
MAX_COMPENSATION = Decimal("1000000.00")

Interval = tuple[time, time]


@dataclass(frozen=True)
class WeeklyHours:
    """Opening intervals for each weekday, Monday first."""

    days: tuple[tuple[Interval, ...], ...]

    def on(self, weekday: int) -> tuple[Interval, ...]:
        return self.days[weekday]


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str


@dataclass(frozen=True)
class Config:
    site_code: str = "KANNUS"
    site_name: str = "Kannuksen kaupungin yhteispalvelupiste"
    city: str = "Kannus"
    language: str = "fi"
    agreement_start: date = date(2026, 8, 15)
    agreement_end: date | None = None
    monthly_compensation: Decimal = Decimal("300.00")
    prorate: bool = True
    office_hours: WeeklyHours = field(default_factory=lambda: _weekdays("09:00-15:00"))
    holidays_region: str | None = "07"
    closures: frozenset[date] = frozenset()
    kela_hours: WeeklyHours = field(default_factory=lambda: _weekdays("09:00-15:00"))
    staff: tuple[StaffMember, ...] = (
        StaffMember("virastomestari", "Virastomestari", "virastomestari"),
        StaffMember("varahenkilo", "Varahenkilö", "deputy"),
    )
    forward_deadline_days: int = 1
    undo_grace_seconds: int = 10
    booths: int = 1
    session_warn_minutes: int = 45
    path: Path | None = None

    def staff_member(self, staff_id: str) -> StaffMember:
        for member in self.staff:
            if member.id == staff_id:
                return member
        raise BadInput("unknown_staff", staff=staff_id)

    @property
    def default_staff(self) -> StaffMember:
        for member in self.staff:
            if member.role == "virastomestari":
                return member
        return self.staff[0]


def _weekdays(hours: str) -> WeeklyHours:
    interval = _interval(hours, "")
    return WeeklyHours(tuple((interval,) if i < 5 else () for i in range(7)))


DEFAULT_TEXT = """\
# kela-tui configuration. Dates are written 2026-08-15, times 09:00-15:00.
language = "fi"                 # fi, sv or en

[site]
code = "KANNUS"                 # the point's code: capitals, digits, - and _
name = "Kannuksen kaupungin yhteispalvelupiste"
city = "Kannus"

[agreement]
start = 2026-08-15
# end = 2027-12-31              # leave out while the agreement is in force
monthly_compensation = "300.00" # euros
prorate = true                  # a partial month is paid by calendar days

[office_hours]                  # "" is closed; a list gives several intervals
mon = "09:00-15:00"
tue = "09:00-15:00"
wed = "09:00-15:00"
thu = "09:00-15:00"
fri = "09:00-15:00"
sat = ""
sun = ""

[closures]
holidays_region = "07"          # Finnish region for public holidays ("" for none)
extra = []                      # extra closure days, e.g. [2026-12-31]

[kela_remote_hours]
mon = "09:00-15:00"
tue = "09:00-15:00"
wed = "09:00-15:00"
thu = "09:00-15:00"
fri = "09:00-15:00"
sat = ""
sun = ""

[documents]
forward_deadline_working_days = 1

[counter]
undo_grace_seconds = 10

[booth]
count = 1
session_warn_minutes = 45

[[staff]]
id = "virastomestari"
name = "Virastomestari"
role = "virastomestari"

[[staff]]
id = "varahenkilo"
name = "Varahenkilö"
role = "deputy"
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
    reader = _Reader(data, shown)
    config = Config(
        language=reader.choice("language", LANGUAGES, "fi"),
        site_code=reader.text("site.code", "KANNUS", SITE_CODE, "problem.site_code"),
        site_name=reader.name("site.name", Config.site_name),
        city=reader.name("site.city", Config.city, free_text.CITY),
        agreement_start=reader.date("agreement.start", Config.agreement_start),
        agreement_end=reader.date("agreement.end", None),
        monthly_compensation=reader.money("agreement.monthly_compensation"),
        prorate=reader.boolean("agreement.prorate", True),
        office_hours=reader.hours("office_hours"),
        holidays_region=reader.region("closures.holidays_region"),
        closures=frozenset(reader.dates("closures.extra")),
        kela_hours=reader.hours("kela_remote_hours"),
        staff=reader.staff(),
        forward_deadline_days=reader.integer("documents.forward_deadline_working_days", 1, 0, 30),
        undo_grace_seconds=reader.integer("counter.undo_grace_seconds", 10, 0, 600),
        booths=reader.integer("booth.count", 1, 1, 20),
        session_warn_minutes=reader.integer("booth.session_warn_minutes", 45, 1, 600),
        path=path,
    )
    if config.agreement_end and config.agreement_end < config.agreement_start:
        reader.fail("agreement.end", "problem.end_before_start")
    reader.reject_unknown()
    if not any(config.office_hours.days):
        reader.fail("office_hours", "problem.never_open")
    return config


class _Reader:
    """Looks values up by dotted key and explains what is wrong with them."""

    KNOWN = {
        "language": None,
        "site": {"code", "name", "city"},
        "agreement": {"start", "end", "monthly_compensation", "prorate"},
        "office_hours": set(WEEKDAYS),
        "closures": {"holidays_region", "extra"},
        "kela_remote_hours": set(WEEKDAYS),
        "documents": {"forward_deadline_working_days"},
        "counter": {"undo_grace_seconds"},
        "booth": {"count", "session_warn_minutes"},
        "staff": None,
    }

    def __init__(self, data: dict, path: object) -> None:
        self.data = data
        self.path = path

    def fail(self, key: str, problem: str, **params: object) -> None:
        raise BadInput("config_value", path=self.path, key=key, problem=Msg(problem, **params))

    def get(self, key: str, default: object) -> object:
        node: object = self.data
        for part in key.split("."):
            if not isinstance(node, dict):
                self.fail(key, "problem.not_table")
            if part not in node:
                return default
            node = node[part]
        return node

    def text(self, key, default, pattern=None, problem="problem.text"):
        value = self.get(key, default)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "problem.text", value=value)
        if pattern and not pattern.match(value):
            self.fail(key, problem, value=value)
        return value.strip()

    def name(self, key, default, most=free_text.NAME):
        return self.free(key, self.text(key, default), most)

    def free(self, key, value, most=free_text.NAME):
        """A name shown to people and printed on statements: free text, with
        the same rules as any text typed into the program."""
        try:
            return free_text.clean(value, Msg("field.config_value"), most=most)
        except KelaError as error:
            self.fail(key, "problem.free_text", reason=Msg(f"error.{error.key}", **error.params))

    def choice(self, key, choices, default):
        value = self.get(key, default)
        if value not in choices:
            self.fail(key, "problem.choice", value=value, choices=", ".join(choices))
        return value

    def boolean(self, key, default):
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, "problem.boolean", value=value)
        return value

    def integer(self, key, default, low, high):
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "problem.integer", value=value, low=low, high=high)
        if not low <= value <= high:
            self.fail(key, "problem.integer", value=value, low=low, high=high)
        return value

    def date(self, key, default):
        value = self.get(key, default)
        return None if value is None else self._as_date(key, value)

    def _as_date(self, key, value):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                self.fail(key, "problem.date", value=value)
        if not isinstance(value, date) or hasattr(value, "hour"):
            self.fail(key, "problem.date", value=value)
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self.fail(key, "problem.date_range", value=value, first=FIRST_YEAR, last=LAST_YEAR)
        return value

    def dates(self, key):
        value = self.get(key, [])
        if not isinstance(value, list):
            self.fail(key, "problem.date_list", value=value)
        return [self._as_date(f"{key}[{i}]", item) for i, item in enumerate(value)]

    def money(self, key):
        value = self.get(key, "300.00")
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(key, "problem.money", value=value)
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.fail(key, "problem.money", value=value)
        # Checked before any arithmetic: 1e300 would overflow a quantize.
        if not amount.is_finite() or not 0 <= amount <= MAX_COMPENSATION:
            self.fail(key, "problem.money", value=value)
        if amount != amount.quantize(Decimal("0.01")):
            self.fail(key, "problem.money", value=value)
        return amount.quantize(Decimal("0.01"))

    def region(self, key):
        value = self.get(key, "07")
        if value in ("", None):
            return None
        if not isinstance(value, str) or value not in REGIONS:
            self.fail(key, "problem.region", value=value)
        return value

    def hours(self, key):
        table = self.get(key, None)
        if table is None:
            return _weekdays("09:00-15:00")
        if not isinstance(table, dict):
            self.fail(key, "problem.not_table")
        days = []
        for name in WEEKDAYS:
            value = table.get(name, "")
            entries = value if isinstance(value, list) else [value]
            intervals = []
            for entry in entries:
                if entry == "":
                    continue
                if not isinstance(entry, str):
                    self.fail(f"{key}.{name}", "problem.hours", value=entry)
                intervals.append(_interval(entry, f"{key}.{name}", self))
            intervals.sort()
            for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
                if start < end:
                    self.fail(f"{key}.{name}", "problem.hours_overlap", value=value)
            days.append(tuple(intervals))
        return WeeklyHours(tuple(days))

    def staff(self):
        value = self.get("staff", None)
        if value is None:
            return Config.staff
        if not isinstance(value, list) or not value:
            self.fail("staff", "problem.staff_list")
        members, seen = [], set()
        for i, entry in enumerate(value):
            key = f"staff[{i}]"
            if not isinstance(entry, dict):
                self.fail(key, "problem.not_table")
            unknown = set(entry) - {"id", "name", "role"}
            if unknown:
                self.fail(f"{key}.{sorted(unknown)[0]}", "problem.unknown_key")
            sub_key = key
            staff_id = entry.get("id")
            if not isinstance(staff_id, str) or not STAFF_ID.match(staff_id):
                self.fail(f"{sub_key}.id", "problem.staff_id", value=staff_id)
            if staff_id in seen:
                self.fail(f"{sub_key}.id", "problem.duplicate", value=staff_id)
            seen.add(staff_id)
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                self.fail(f"{sub_key}.name", "problem.text", value=name)
            name = self.free(f"{sub_key}.name", name)
            role = entry.get("role")
            if role not in ROLES:
                self.fail(
                    f"{sub_key}.role",
                    "problem.choice",
                    value=role,
                    choices=", ".join(ROLES),
                )
            members.append(StaffMember(staff_id, name.strip(), role))
        return tuple(members)

    def reject_unknown(self):
        for section, value in self.data.items():
            if section not in self.KNOWN:
                self.fail(section, "problem.unknown_key")
            allowed = self.KNOWN[section]
            if allowed is not None and isinstance(value, dict):
                for key in value:
                    if key not in allowed:
                        self.fail(f"{section}.{key}", "problem.unknown_key")


def _interval(text: str, key: str, reader: _Reader | None = None) -> Interval:
    match = HOURS.match(text.strip())
    try:
        if not match:
            raise ValueError(text)
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        start, end = time(h1, m1), time(h2, m2)
        if end <= start:
            raise ValueError(text)
    except ValueError:
        if reader is None:
            raise
        reader.fail(key, "problem.hours", value=text)
    return start, end
