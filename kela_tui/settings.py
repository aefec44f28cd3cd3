"""The point's settings in the database, versioned by the date they apply from.

A change is a new version valid from a date (today unless another is given),
never inside or before a closed month, and in the audit trail with who, when,
before and after. Every rule and figure uses the version in force on the day
concerned: office hours and closures for the "outside hours" mark and the
forwarding deadline, Kela's hours for the booth's gate and utilisation, the
agreement and the compensation for a month's statement (the version in force
on its last day). The staff are records of their own (models.Staff): added,
renamed, given a role or marked as left, never deleted."""

from __future__ import annotations

import bisect
import json
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from peewee import fn

from kela_tui import audit, text
from kela_tui import db as storage
from kela_tui.clock import in_range
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg
from kela_tui.models import MonthEvent, Site, SiteSettings, Staff
from kela_tui.months import Month, is_closed
from kela_tui.point import (
    DEFAULT_STAFF,
    POINT_KEYS,
    ROLES,
    STAFF_ID,
    PointSettings,
    Reader,
    StaffMember,
    check_agreement_date,
    dotted_keys,
    point_from_tree,
    typed_value,
)


@dataclass(frozen=True)
class Version:
    valid_from: date
    settings: PointSettings


class History:
    """A point's settings versions, oldest first."""

    def __init__(self, versions: list[Version]) -> None:
        if not versions:
            raise BadInput("no_settings")
        self.versions = sorted(versions, key=lambda v: v.valid_from)
        self._starts = [v.valid_from for v in self.versions]

    @classmethod
    def single(cls, settings: PointSettings) -> History:
        """One version, in force on every day (for tests and new points)."""
        return cls([Version(settings.agreement_start, settings)])

    def on(self, day: date) -> PointSettings:
        """The version in force on `day`; before the first, the first."""
        index = bisect.bisect_right(self._starts, day) - 1
        return self.versions[max(index, 0)].settings

    def for_month(self, month: Month) -> PointSettings:
        """The version a month's statement uses: the one in force on its last day."""
        return self.on(month.last)

    @property
    def first(self) -> PointSettings:
        return self.versions[0].settings


def fingerprint(site: Site) -> tuple[int, int]:
    """What changes whenever any version of the point's settings changes:
    rows are never deleted and every change raises a row's revision."""
    count, total = (
        SiteSettings.select(fn.COUNT(SiteSettings.id), fn.SUM(SiteSettings.revision))
        .where(SiteSettings.site == site)
        .tuples()
        .get()
    )
    return int(count or 0), int(total or 0)


def history(site: Site) -> History:
    return History(
        [
            Version(row.valid_from, point_from_tree(json.loads(row.values), stored=True))
            for row in SiteSettings.select().where(SiteSettings.site == site)
        ]
    )


def histories(sites: list[Site]) -> dict[int, History]:
    """The settings of many points, read at once."""
    found: dict[int, list[Version]] = {site.id: [] for site in sites}
    for row in SiteSettings.select().where(SiteSettings.site.in_([s.id for s in sites])):
        found[row.site_id].append(
            Version(row.valid_from, point_from_tree(json.loads(row.values), stored=True))
        )
    return {site_id: History(versions) for site_id, versions in found.items()}


def legacy(site: Site, given: PointSettings | None = None) -> PointSettings:
    """A point's settings as a database of schema 1-3 held them: its name and
    agreement in its row, the rest (hours, closures…) from a workstation's
    configuration file (`given`) or the defaults."""
    base = given or PointSettings()
    return replace(
        base,
        name=site.name,
        city=site.city,
        agreement_start=site.agreement_start,
        agreement_end=site.agreement_end,
        monthly_compensation=Decimal(site.monthly_compensation).quantize(Decimal("0.01")),
        prorate=site.prorate,
    )


def encode(settings: PointSettings) -> str:
    return json.dumps(settings.tree(), ensure_ascii=False, sort_keys=True)


def seed(actor, site: Site, settings: PointSettings, staff=None) -> SiteSettings:
    """The first version of a new point, valid from its agreement's start;
    `actor` is what the audit trail needs (a context or the like)."""
    row = SiteSettings.create(
        site=site, valid_from=settings.agreement_start, values=encode(settings)
    )
    audit.record(actor, row, "create", staff)
    return row


# Changing settings


def parse_value(key: str, given: str) -> object:
    """VALUE of `kela-tui settings set KEY VALUE`, read as F6 reads a field."""
    if key not in dotted_keys():
        raise BadInput("unknown_setting", key=key, choices=", ".join(dotted_keys()))
    return typed_value(key, given)


@dataclass(frozen=True)
class Changed:
    """What a change made: the settings from its day, and the later versions
    that keep a value of their own for some of the keys (the change stops at
    them for those keys)."""

    settings: PointSettings
    kept: tuple[tuple[date, tuple[str, ...]], ...] = ()
    # The day it applies from, and whether anything was written: setting a
    # value the settings already hold changes nothing and says so.
    day: date | None = None
    wrote: bool = True


def change(
    ctx, updates: dict[str, object], valid_from: date | None = None, *, staff=None
) -> Changed:
    """Set the point's settings `updates` (dotted keys as in the TOML file)
    from `valid_from` on (today by default). The version in force that day
    with the updates is a new version from that day. A later version takes
    an update too while it still has the value the key had before (it only
    repeated it); one that set a value of its own keeps it, and so do the
    versions after it. Refused inside or before a closed month."""
    from kela_tui.services import acting

    who = acting(ctx, staff)
    valid_from = valid_from or default_from(ctx, updates)
    _check(updates, valid_from)
    with storage.schema_lock(ctx.db):
        check_open_from(ctx.site, valid_from)
        current = history(ctx.site)
        before = current.on(valid_from)
        chosen = _apply(before, updates)
        rows = {
            row.valid_from: row
            for row in SiteSettings.select().where(SiteSettings.site == ctx.site)
        }
        if AGREEMENT_DATES & set(updates):
            check_agreement_records(ctx.site, chosen)
        # A version the same as the one already in force would change nothing.
        wrote = False
        if valid_from in rows or chosen != before:
            wrote = _store(ctx, rows.get(valid_from), valid_from, chosen, who)
        carried, old, kept = dict(updates), _values(before), []
        for version in current.versions:
            if version.valid_from <= valid_from:
                continue
            own = _values(version.settings)
            stopped = tuple(key for key in carried if own[key] != old[key])
            if stopped:
                kept.append((version.valid_from, stopped))
            carried = {key: value for key, value in carried.items() if key not in stopped}
            if carried:
                if AGREEMENT_DATES & set(carried):
                    check_agreement_records(ctx.site, _apply(version.settings, carried))
                wrote |= _store(
                    ctx,
                    rows[version.valid_from],
                    version.valid_from,
                    _apply(version.settings, carried),
                    who,
                )
        _mirror_name(ctx, who)
    ctx.reload_settings()
    return Changed(chosen, tuple(kept), valid_from, wrote)


def statement_only(updates) -> bool:
    """Whether every key is one of the statement's parties."""
    return bool(updates) and all(key.startswith("statement.") for key in updates)


def default_from(ctx, updates) -> date:
    """The day a change applies from when none is given: today, but the
    statement's parties from the first month not yet claimed, so that every
    statement still to be issued carries them."""
    return first_unclaimed_day(ctx) if statement_only(updates) else ctx.today()


def first_unclaimed_day(ctx) -> date:
    """The first day of the agreement after its last closed month (the
    agreement's start when none is closed): a statement key set from then
    reaches every month not yet issued. Never later than today's month."""
    start = ctx.settings.on(ctx.today()).agreement_start
    closed = [
        Month.parse(name)
        for (name,) in MonthEvent.select(MonthEvent.month)
        .where(MonthEvent.site == ctx.site)
        .distinct()
        .tuples()
        if is_closed(ctx.site, Month.parse(name))
    ]
    day = max(closed).next().first if closed else start
    return min(max(day, start), max(ctx.today(), start))


def _values(settings: PointSettings) -> dict[str, object]:
    return {
        f"{section}.{name}": value
        for section, values in settings.tree().items()
        for name, value in values.items()
    }


def preview(ctx, updates: dict[str, object], valid_from: date) -> PointSettings:
    """What `change` would make of the settings from `valid_from`, checked
    the same way, without writing anything (to ask before changing)."""
    _check(updates, valid_from)
    check_open_from(ctx.site, valid_from)
    chosen = _apply(ctx.settings.on(valid_from), updates)
    if AGREEMENT_DATES & set(updates):
        check_agreement_records(ctx.site, chosen)
    return chosen


AGREEMENT_DATES = {"agreement.start", "agreement.end"}


def check_agreement_records(site: Site, settings: PointSettings) -> None:
    """An agreement that starts after the point's first entry or a closed
    month, or ends before its last entry or a closed month, would leave
    them outside it: refused, naming the day."""
    from kela_tui.models import Service

    first, last = (
        Service.select(fn.MIN(Service.day), fn.MAX(Service.day))
        .where((Service.site == site) & (Service.status == "active"))
        .tuples()
        .get()
    )
    closed = [
        Month.parse(name)
        for (name,) in MonthEvent.select(MonthEvent.month)
        .where(MonthEvent.site == site)
        .distinct()
        .tuples()
        if is_closed(site, Month.parse(name))
    ]
    firsts = [day for day in (first, *(m.first for m in closed)) if day is not None]
    lasts = [day for day in (last, *(m.last for m in closed)) if day is not None]
    if firsts and settings.agreement_start > min(firsts):
        raise Refused(
            "agreement_start_after_records", start=settings.agreement_start, day=min(firsts)
        )
    if lasts and settings.agreement_end and settings.agreement_end < max(lasts):
        raise Refused("agreement_end_before_records", end=settings.agreement_end, day=max(lasts))


def _check(updates: dict[str, object], valid_from: date) -> None:
    if not in_range(valid_from):
        raise BadInput("bad_date", value=valid_from.isoformat())
    for key in updates:
        if key not in dotted_keys():
            raise BadInput("unknown_setting", key=key, choices=", ".join(dotted_keys()))


def _apply(settings: PointSettings, updates: dict[str, object]) -> PointSettings:
    tree = settings.tree()
    for key, value in updates.items():
        section, name = key.split(".")
        tree[section][name] = value
    # The parties' length limits are newer than some versions: a value set
    # before them is kept until that key is set again.
    made = point_from_tree(tree, stored=True, fresh=frozenset(updates))
    check_agreement_date(made)
    return made


def _store(ctx, row: SiteSettings | None, valid_from: date, settings, who) -> bool:
    """Write a version; whether anything was written."""
    values = encode(settings)
    if row is None:
        row = SiteSettings.create(site=ctx.site, valid_from=valid_from, values=values)
        audit.record(ctx, row, "create", who)
    elif row.values != values:
        before = audit.snapshot(row)
        row.values = values
        row.revision += 1
        row.save()
        audit.record(ctx, row, "update", who, before)
    else:
        return False
    return True


def _mirror_name(ctx, who) -> None:
    """Keep the point's row named as the version in force today."""
    today = history(ctx.site).on(ctx.today())
    site = Site.get_by_id(ctx.site.id)
    if (site.name, site.city) != (today.name, today.city):
        before = audit.snapshot(site)
        site.name, site.city = today.name, today.city
        site.save()
        audit.record(ctx, site, "update", who, before)
    ctx.site = site


def check_open_from(site: Site, valid_from: date) -> None:
    """A setting from `valid_from` would change every month from then on: none
    of them may be closed."""
    months = {
        name
        for (name,) in MonthEvent.select(MonthEvent.month)
        .where((MonthEvent.site == site) & (MonthEvent.month >= str(Month.of(valid_from))))
        .tuples()
    }
    closed = sorted(name for name in months if is_closed(site, Month.parse(name)))
    if closed:
        raise Refused("settings_closed_month", month=Month.parse(closed[-1]), day=valid_from)


def affected_months(ctx, valid_from: date) -> tuple[Month, Month]:
    """The months whose statement a change from `valid_from` alters, from its
    month to the current one (months after it are not yet claimed)."""
    return Month.of(valid_from), max(Month.of(valid_from), Month.of(ctx.today()))


def import_file(ctx, content: str, where: object, valid_from: date | None = None, *, staff=None):
    """A whole settings file (the TOML sections of the point, and [[staff]]),
    checked whole before anything is written; then the settings from
    `valid_from` and the staff as the file lists them (those it leaves out are
    marked as left)."""
    updates, members, _ = read_file(content, where)
    changed = Changed(ctx.settings.on(valid_from or ctx.today()))
    with storage.schema_lock(ctx.db):
        if updates:
            changed = change(ctx, updates, valid_from, staff=staff)
        if members is not None:
            set_staff(ctx, members, staff=staff)
    return changed


def read_file(content: str, where: object):
    """A settings file checked whole: its settings as dotted keys, its staff
    (None when it lists none) and the settings it makes with the defaults for
    what it leaves out."""
    try:
        tree = tomllib.loads(content)
    except tomllib.TOMLDecodeError as exc:
        raise BadInput("config_syntax", path=where, problem=exc) from exc
    known = {section: set(keys) for section, keys in POINT_KEYS.items()} | {"staff": None}
    reader = Reader(tree, where, "config_value", known)
    reader.reject_unknown()
    members = reader.staff(required=False)
    point = {section: value for section, value in tree.items() if section != "staff"}
    whole = point_from_tree(_complete(point), "config_value", where)
    if "start" in point.get("agreement", {}):
        check_agreement_date(whole, "config_value", where)
    updates = {
        f"{section}.{key}": value
        for section, values in point.items()
        for key, value in values.items()
    }
    return updates, members, whole


# What a new point's file must say: the rest may be the defaults.
NEW_POINT_KEYS = ("site.name", "site.city", "agreement.start")


def new_point(db, clock, code: str, content: str, where: object) -> Site:
    """Add the point `code` to the database from a settings file: its first
    version valid from the file's agreement start, and the file's staff (or
    two placeholders to rename)."""
    from kela_tui.config import SITE_CODE
    from kela_tui.context import create_site

    if not SITE_CODE.match(code):
        raise BadInput("bad_site_code", value=code)
    text.clean(code, Msg("field.site_code"), most=32)
    updates, members, whole = read_file(content, where)
    missing = [key for key in NEW_POINT_KEYS if key not in updates]
    if missing:
        raise BadInput("new_point_keys", path=where, site=code, keys=", ".join(missing))
    with storage.schema_lock(db):
        if Site.get_or_none(code=code) is not None:
            raise BadInput("site_exists", site=code)
        return create_site(clock, code, whole, members or DEFAULT_STAFF)


def _complete(point: dict) -> dict:
    """A partial settings tree filled in with defaults, to check it whole."""
    tree = PointSettings().tree()
    for section, values in point.items():
        tree[section].update(values)
    return tree


# The staff


def staff_list(site: Site) -> list[Staff]:
    return list(Staff.select().where(Staff.site == site).order_by(Staff.id))


def _member(ctx, code: str) -> Staff:
    found = Staff.get_or_none(site=ctx.site, code=code)
    if found is None:
        raise BadInput("unknown_staff", staff=code)
    return found


def add_staff(ctx, code: str, name: str, role: str = "deputy", *, staff=None) -> Staff:
    from kela_tui.services import acting

    who = acting(ctx, staff)
    if not STAFF_ID.match(code or ""):
        raise BadInput("bad_staff_id", value=code)
    # An id is shown, exported and audited: no identity code in it.
    text.clean(code, Msg("field.staff_id"), most=32)
    if role not in ROLES:
        raise BadInput("bad_role", value=role, choices=", ".join(ROLES))
    name = text.clean(name, Msg("field.staff_name"), most=text.NAME, required=True)
    with storage.writing(ctx.db):
        if Staff.get_or_none(site=ctx.site, code=code) is not None:
            raise BadInput("staff_exists", staff=code)
        member = Staff.create(site=ctx.site, code=code, name=name, role=role)
        audit.record(ctx, member, "create", who)
    return member


def update_staff(ctx, code: str, *, name=None, role=None, active=None, staff=None) -> Staff:
    """Rename a staff member, give them a role, or mark them as left (or back)."""
    from kela_tui.services import acting

    who = acting(ctx, staff)
    if name is not None:
        name = text.clean(name, Msg("field.staff_name"), most=text.NAME, required=True)
    if role is not None and role not in ROLES:
        raise BadInput("bad_role", value=role, choices=", ".join(ROLES))
    with storage.writing(ctx.db):
        member = _member(ctx, code)
        before = audit.snapshot(member)
        if active is False and member.active:
            others = Staff.select().where(
                (Staff.site == ctx.site) & Staff.active & (Staff.id != member.id)
            )
            if not others.exists():
                raise Refused("last_staff", staff=member.name)
        member.name = member.name if name is None else name
        member.role = member.role if role is None else role
        member.active = member.active if active is None else active
        member.save()
        action = "leave" if active is False else "update"
        audit.record(ctx, member, action, who, before)
    if ctx.staff.id == member.id:
        ctx.staff = member
    return member


def set_staff(ctx, members: tuple[StaffMember, ...], *, staff=None) -> None:
    """The staff as a settings file lists them: added, renamed, given their
    role; those it leaves out are marked as left, never deleted."""
    listed = {m.id for m in members}
    for member in members:
        found = Staff.get_or_none(site=ctx.site, code=member.id)
        if found is None:
            add_staff(ctx, member.id, member.name, member.role, staff=staff)
        elif (found.name, found.role, found.active) != (member.name, member.role, True):
            update_staff(
                ctx, member.id, name=member.name, role=member.role, active=True, staff=staff
            )
    for found in staff_list(ctx.site):
        if found.code not in listed and found.active:
            update_staff(ctx, found.code, active=False, staff=staff)


# Shown and written


def as_json(ctx, day: date, shown: PointSettings, staff: list[Staff]) -> dict:
    """The settings in force on `day`, the staff, and the versions' dates."""
    return {
        "site": ctx.site.code,
        "on": day.isoformat(),
        "settings": shown.tree(),
        "staff": [
            {"id": s.code, "name": s.name, "role": s.role, "active": s.active} for s in staff
        ],
        "versions": [v.valid_from.isoformat() for v in ctx.settings.versions],
    }


def as_toml(shown: PointSettings, staff: list[Staff]) -> str:
    """The settings as a file that `kela-tui settings import` takes back: the
    point's sections and its staff still working."""
    lines = ["# kela-tui: the point's settings (kela-tui settings import FILE)", ""]
    for section, values in shown.tree().items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {_toml(key, value)}" for key, value in values.items()]
        lines.append("")
    for member in staff:
        if member.active:
            lines += [
                "[[staff]]",
                f"id = {_toml('id', member.code)}",
                f"name = {_toml('name', member.name)}",
                f"role = {_toml('role', member.role)}",
                "",
            ]
    return "\n".join(lines)


def _toml(key: str, value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(key, item) for item in value) + "]"
    if key in ("start", "end", "extra") or (key == "agreement_date" and value):
        return str(value)  # a TOML date
    return json.dumps(value, ensure_ascii=False)
