"""The point's settings as values: what they are, their defaults (Kannus),
and reading them from a TOML-shaped tree with every value checked and a
message naming the key and the problem when one is wrong.

The same tree is the configuration file's point sections (which seed a new
database), a settings file for `kela-tui settings import`, the JSON that the
database keeps of each version (settings.py), and what `settings show`
prints."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from kela_tui import parties as numbers
from kela_tui import text as free_text
from kela_tui.clock import FIRST_YEAR, LAST_YEAR
from kela_tui.errors import BadInput, KelaError
from kela_tui.i18n import Amount, Money, Msg
from kela_tui.parties import Parties

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ROLES = ("virastomestari", "deputy")
STAFF_ID = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,31}$")
# Finland's regions (maakunnat) as the holidays package names its subdivisions.
REGIONS = tuple(f"{n:02d}" for n in range(1, 20))
HOURS = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")
MAX_COMPENSATION = Decimal("1000000.00")
_AMOUNT = re.compile(r"\d{1,7}(\.\d{1,2})?", re.ASCII)

Interval = tuple[time, time]


@dataclass(frozen=True)
class WeeklyHours:
    """Opening intervals for each weekday, Monday first."""

    days: tuple[tuple[Interval, ...], ...]

    def on(self, weekday: int) -> tuple[Interval, ...]:
        return self.days[weekday]

    def tree(self) -> dict[str, str | list[str]]:
        """As the TOML file writes them: "09:00-15:00", a list, or "" for closed."""
        shown = {}
        for name, intervals in zip(WEEKDAYS, self.days, strict=True):
            texts = [f"{a:%H:%M}-{b:%H:%M}" for a, b in intervals]
            shown[name] = texts[0] if len(texts) == 1 else texts or ""
        return shown


def weekdays(hours: str) -> WeeklyHours:
    """The same hours Monday to Friday, closed at the weekend."""
    interval = _interval(hours)
    return WeeklyHours(tuple((interval,) if i < 5 else () for i in range(7)))


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    role: str


DEFAULT_STAFF = (
    StaffMember("virastomestari", "Virastomestari", "virastomestari"),
    StaffMember("varahenkilo", "Varahenkilö", "deputy"),
)


@dataclass(frozen=True)
class PointSettings:
    """Everything about a point that every workstation must agree on."""

    name: str = "Kannuksen kaupungin yhteispalvelupiste"
    city: str = "Kannus"
    agreement_start: date = date(2026, 8, 15)
    agreement_end: date | None = None
    monthly_compensation: Decimal = Decimal("300.00")
    prorate: bool = True
    office_hours: WeeklyHours = field(default_factory=lambda: weekdays("09:00-15:00"))
    holidays_region: str | None = "07"
    closures: frozenset[date] = frozenset()
    kela_hours: WeeklyHours = field(default_factory=lambda: weekdays("09:00-15:00"))
    forward_deadline_days: int = 1
    booths: int = 1
    session_warn_minutes: int = 45
    parties: Parties = field(default_factory=Parties)

    def tree(self) -> dict:
        """The settings as the TOML file's sections hold them."""
        agreement = {
            "start": self.agreement_start.isoformat(),
            "monthly_compensation": str(self.monthly_compensation),
            "prorate": self.prorate,
        }
        if self.agreement_end:
            agreement["end"] = self.agreement_end.isoformat()
        return {
            "site": {"name": self.name, "city": self.city},
            "agreement": agreement,
            "office_hours": self.office_hours.tree(),
            "closures": {
                "holidays_region": self.holidays_region or "",
                "extra": [day.isoformat() for day in sorted(self.closures)],
            },
            "kela_remote_hours": self.kela_hours.tree(),
            "documents": {"forward_deadline_working_days": self.forward_deadline_days},
            "booth": {"count": self.booths, "session_warn_minutes": self.session_warn_minutes},
            "statement": self.parties.tree(),
        }


# The point's keys, section by section, as the TOML file and `settings set`
# name them.
POINT_KEYS = {
    "site": ("name", "city"),
    "agreement": ("start", "end", "monthly_compensation", "prorate"),
    "office_hours": WEEKDAYS,
    "closures": ("holidays_region", "extra"),
    "kela_remote_hours": WEEKDAYS,
    "documents": ("forward_deadline_working_days",),
    "booth": ("count", "session_warn_minutes"),
    "statement": numbers.KEYS,
}


def dotted_keys() -> list[str]:
    return [f"{section}.{key}" for section, keys in POINT_KEYS.items() for key in keys]


def read_point(reader: Reader) -> PointSettings:
    """The point's settings from `reader`'s tree; what is missing is the default."""
    default = PointSettings()
    settings = PointSettings(
        name=reader.name("site.name", default.name),
        city=reader.name("site.city", default.city, free_text.CITY),
        agreement_start=reader.date("agreement.start", default.agreement_start),
        agreement_end=reader.date("agreement.end", None),
        monthly_compensation=reader.money("agreement.monthly_compensation"),
        prorate=reader.boolean("agreement.prorate", True),
        office_hours=reader.hours("office_hours"),
        holidays_region=reader.region("closures.holidays_region"),
        closures=frozenset(reader.dates("closures.extra")),
        kela_hours=reader.hours("kela_remote_hours"),
        forward_deadline_days=reader.integer("documents.forward_deadline_working_days", 1, 0, 30),
        booths=reader.integer("booth.count", 1, 1, 20),
        session_warn_minutes=reader.integer("booth.session_warn_minutes", 45, 1, 600),
        parties=read_parties(reader),
    )
    if settings.agreement_end and settings.agreement_end < settings.agreement_start:
        reader.fail("agreement.end", "problem.end_before_start")
    if not any(settings.office_hours.days):
        reader.fail("office_hours", "problem.never_open")
    return settings


# The parties' free text is about the city's contact person, not a customer.
PARTY_CODE = "party_identity_code"


def read_parties(reader: Reader) -> Parties:
    """The statement's parties; each may be left empty (the default). A
    version already stored is read with the limits it was written under."""

    def most(key: str, limit: int, before: int = free_text.NAME) -> int:
        return before if reader.stored and key not in reader.fresh else limit

    return Parties(
        city_business_id=reader.number(
            "statement.city_business_id", numbers.business_id, "parties.problem_business_id"
        ),
        kela_business_id=reader.number(
            "statement.kela_business_id", numbers.business_id, "parties.problem_business_id"
        ),
        agreement_reference=reader.optional_free(
            "statement.agreement_reference",
            most("statement.agreement_reference", numbers.REFERENCE),
            PARTY_CODE,
        ),
        agreement_date=reader.date("statement.agreement_date", None),
        contact_name=reader.optional_free(
            "statement.contact_name", most("statement.contact_name", numbers.NAME), PARTY_CODE
        ),
        contact_phone=reader.number(
            "statement.contact_phone",
            numbers.phone,
            "parties.problem_phone",
            free=True,
            most=numbers.PHONE,
        ),
        contact_email=reader.number(
            "statement.contact_email",
            numbers.email,
            "parties.problem_email",
            free=True,
            most=most("statement.contact_email", numbers.EMAIL, numbers.EMAIL_BEFORE),
        ),
        bank_account=reader.number(
            "statement.bank_account", numbers.bank_account, "parties.problem_bank_account"
        ),
        payment_reference=reader.number(
            "statement.payment_reference",
            numbers.payment_reference,
            "parties.problem_payment_reference",
        ),
    )


def check_agreement_date(settings: PointSettings, error="setting_value", where="") -> None:
    """The agreement is decided before it begins: an agreement date after
    its start is refused where settings are written (a version already
    stored is read as it is)."""
    decided = settings.parties.agreement_date
    if decided and decided > settings.agreement_start:
        problem = Msg(
            "parties_set.problem_agreement_date",
            value=rendered(decided),
            start=settings.agreement_start,
        )
        raise BadInput(error, path=where, key="statement.agreement_date", problem=problem)


def point_from_tree(
    tree: dict,
    error: str = "setting_value",
    where: object = "",
    *,
    stored: bool = False,
    fresh: frozenset[str] = frozenset(),
) -> PointSettings:
    """Point settings from a tree holding only the point's sections, every
    key known and every value checked. `stored`: a version the database
    already holds, read with the limits of the time it was written, but for
    the keys `fresh` (set now)."""
    reader = Reader(
        tree, where, error, {section: set(keys) for section, keys in POINT_KEYS.items()}
    )
    reader.stored, reader.fresh = stored, fresh
    reader.reject_unknown()
    return read_point(reader)


class Reader:
    """Looks values up by dotted key and explains what is wrong with them.
    `error` is the message that names the key: the configuration file's, or
    a setting's."""

    def __init__(self, data: dict, path: object, error: str, known: dict) -> None:
        self.data = data
        self.path = path
        self.error = error
        self.known = known
        self.stored = False
        self.fresh: frozenset[str] = frozenset()

    def fail(self, key: str, problem: str, **params: object) -> None:
        if "value" in params:
            params["value"] = rendered(params["value"])
        if problem == "problem.money":
            # The bound as the language writes it; the example as it is
            # typed: in a field or `settings set` as the language writes a
            # number, in the TOML file only as 300.00.
            params["high"] = Money(MAX_COMPENSATION)
            example = Decimal("300.00")
            params["example"] = str(example) if self.error == "config_value" else Amount(example)
        raise BadInput(self.error, path=self.path, key=key, problem=Msg(problem, **params))

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

    def optional(self, key, pattern, problem):
        """A text that may be left empty ("" or missing), else matches `pattern`."""
        value = self.get(key, "")
        if not isinstance(value, str):
            self.fail(key, problem, value=value)
        value = value.strip()
        if value and not pattern.match(value):
            self.fail(key, problem, value=value)
        return value

    def name(self, key, default, most=free_text.NAME):
        return self.free(key, self.text(key, default), most)

    def free(self, key, value, most=free_text.NAME, identity="identity_code"):
        """A name shown to people and printed on statements: free text, with
        the same rules as any text typed into the program."""
        try:
            cleaned = free_text.clean(
                value, Msg("field.config_value"), most=most, identity_key=identity
            )
        except KelaError as error:
            self.fail(key, "problem.free_text", reason=Msg(f"error.{error.key}", **error.params))
        if cleaned is None:
            self.fail(key, "problem.text", value=value)
        return cleaned

    def optional_free(self, key, most=free_text.NAME, identity="identity_code"):
        """Free text that may be left empty."""
        value = self.get(key, "")
        if not isinstance(value, str):
            self.fail(key, "problem.text", value=value)
        return "" if free_text.blank(value) else self.free(key, value, most, identity)

    def number(self, key, read, problem, free=False, most=free_text.NAME):
        """A number checked by `read` (a business ID, an account…), or ""
        when left empty; `problem` says what is expected. `free`: one a
        person may write an identity code into by mistake (a phone number,
        an address), checked as free text too; the others' check digits
        leave no room for one."""
        value = self.get(key, "")
        if not isinstance(value, str):
            self.fail(key, problem, value=value, reason=Msg("parties.reason_format"))
        if free_text.blank(value):
            return ""
        if free:
            value = self.free(key, value, most, PARTY_CODE)
        try:
            return read(value)
        except numbers.NumberProblem as wrong:
            self.fail(key, problem, value=value, reason=Msg(wrong.reason))

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
        return None if value in (None, "") else self._as_date(key, value)

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
        if isinstance(value, str) and not _AMOUNT.fullmatch(value):
            # Euros and cents in ASCII digits: not 1e3, 0x10, -0 or ٣٠٠.
            self.fail(key, "problem.money", value=value)
        try:
            amount = Decimal(str(value)).copy_abs() if value == 0 else Decimal(str(value))
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
            return weekdays("09:00-15:00")
        if not isinstance(table, dict):
            self.fail(key, "problem.not_table")
        days = []
        for name in WEEKDAYS:
            value = table.get(name, "")
            if isinstance(value, str) and "," in value:
                value = [part.strip() for part in value.split(",")]
            entries = value if isinstance(value, list) else [value]
            intervals = []
            for entry in entries:
                if entry == "":
                    continue
                if not isinstance(entry, str):
                    self.fail(f"{key}.{name}", "problem.hours", value=entry)
                try:
                    intervals.append(_interval(entry))
                except ValueError:
                    self.fail(f"{key}.{name}", "problem.hours", value=entry)
            intervals.sort()
            for (_, end), (start, _) in zip(intervals, intervals[1:], strict=False):
                if start < end:
                    self.fail(f"{key}.{name}", "problem.hours_overlap", value=value)
            days.append(tuple(intervals))
        return WeeklyHours(tuple(days))

    def staff(self, required: bool = True) -> tuple[StaffMember, ...] | None:
        value = self.get("staff", None)
        if value is None:
            return DEFAULT_STAFF if required else None
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
            staff_id = entry.get("id")
            if not isinstance(staff_id, str) or not STAFF_ID.match(staff_id):
                self.fail(f"{key}.id", "problem.staff_id", value=staff_id)
            # An id is shown, exported and audited: no identity code in it.
            self.free(f"{key}.id", staff_id)
            if staff_id in seen:
                self.fail(f"{key}.id", "problem.duplicate", value=staff_id)
            seen.add(staff_id)
            name = entry.get("name")
            if not isinstance(name, str) or not name.strip():
                self.fail(f"{key}.name", "problem.text", value=name)
            name = self.free(f"{key}.name", name)
            role = entry.get("role")
            if role not in ROLES:
                self.fail(f"{key}.role", "problem.choice", value=role, choices=", ".join(ROLES))
            members.append(StaffMember(staff_id, name, role))
        return tuple(members)

    def reject_unknown(self):
        for section, value in self.data.items():
            if section not in self.known:
                self.fail(section, "problem.unknown_key")
            allowed = self.known[section]
            if allowed is not None and isinstance(value, dict):
                for key in value:
                    if key not in allowed:
                        self.fail(f"{section}.{key}", "problem.unknown_key")


# How much of a wrong value a message quotes.
SHOWN_CHARACTERS = 80
SHOWN_ITEMS = 10


def rendered(value: object) -> object:
    """A wrong value as a message quotes it: as the file would write it
    ("text", 2026-08-15, ["a", "b"]), cut short when long, and "nothing"
    for a value that is missing; never Python's own notation."""
    import json

    if value is None:
        return Msg("problem.nothing")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        cut = value[:SHOWN_CHARACTERS] + ("…" if len(value) > SHOWN_CHARACTERS else "")
        return json.dumps(cut, ensure_ascii=False)
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [str(rendered(item)) for item in value[:SHOWN_ITEMS]]
        return "[" + ", ".join(items + (["…"] if len(value) > SHOWN_ITEMS else [])) + "]"
    if isinstance(value, dict):
        return "{…}"
    return rendered(str(value))


# A yes or no as people type it, in the program's languages.
YES = frozenset({"yes", "true", "kyllä", "k", "ja", "y"})
NO = frozenset({"no", "false", "ei", "e", "nej", "n"})
_WHOLE = re.compile(r"\d{1,9}", re.ASCII)
_GROUPED = re.compile(r"\d{1,3}( \d{3})+", re.ASCII)
_MONEY_NOISE = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, "€": None})


def typed_value(key: str, given: str) -> object:
    """A setting's value as a person types it, in an F6 field or as VALUE of
    `kela-tui settings set`, as the settings tree holds it. The same reading
    in both places; what does not read as the setting's kind is kept as
    typed, for the check to refuse with what is expected."""
    value = given.strip()
    section, name = key.split(".")
    if section == "statement":
        if name == "agreement_date":
            return _typed_day(value) if value else ""
        return numbers.typed(name, value)
    if name in ("start", "end"):
        return _typed_day(value) if value else ""
    if name == "extra":
        items = value.strip("[]").replace(";", ",").split(",")
        return [_typed_day(item.strip().strip("\"'")) for item in items if item.strip()]
    if name == "monthly_compensation":
        return _typed_amount(value)
    if name == "prorate":
        lowered = value.lower()
        return True if lowered in YES else False if lowered in NO else value
    if section in ("office_hours", "kela_remote_hours"):
        parts = value.strip("[]").split(",")
        intervals = [p.strip().strip("\"'").replace(".", ":") for p in parts if p.strip()]
        return intervals[0] if len(intervals) == 1 else intervals or ""
    if name in ("forward_deadline_working_days", "count", "session_warn_minutes"):
        return int(value) if _WHOLE.fullmatch(value) else value
    return value


def _typed_amount(value: str) -> str:
    """Euros as typed: 300,00 or 300.00, the thousands apart by a space, a
    no-break space or (written with the other mark for the cents) a comma or
    a full stop: 1 000,00, 1.000,00, 1,000.00. Kept as typed otherwise
    (1,5,0 or 1e3), for the check to refuse."""
    value = value.translate(_MONEY_NOISE)
    if "," in value and "." in value:
        cents = max(value.rfind(","), value.rfind("."))
        grouping = "." if value[cents] == "," else ","
        head = value[:cents]
        if _GROUPED.fullmatch(head.replace(grouping, " ")):
            value = head.replace(grouping, "") + "." + value[cents + 1 :]
    return value.replace(",", ".")


def _typed_day(value: str) -> str:
    from kela_tui.clock import parse_day

    try:
        return parse_day(value).isoformat()
    except KelaError:
        return value


def _interval(text: str) -> Interval:
    match = HOURS.match(text.strip())
    if not match:
        raise ValueError(text)
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = time(h1, m1), time(h2, m2)
    if end <= start:
        raise ValueError(text)
    return start, end
