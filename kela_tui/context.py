"""What every domain action needs: the workstation's configuration, the
clock, the point and its settings, and the staff member acting. The command
line and the screens build one each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import Database

from kela_tui import audit
from kela_tui import db as storage
from kela_tui import settings as point_settings
from kela_tui.calendar import Calendar
from kela_tui.clock import Clock, from_utc_naive, to_utc_naive
from kela_tui.config import Config
from kela_tui.errors import BadInput, Refused
from kela_tui.models import Site, Staff
from kela_tui.point import PointSettings


@dataclass
class Context:
    config: Config
    clock: Clock
    db: Database
    site: Site
    staff: Staff
    settings: point_settings.History = field(init=False)
    calendar: Calendar = field(init=False)
    # Said once when the program or a command starts (point settings in the
    # workstation's file that are no longer read).
    notices: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.reload_settings()

    def reload_settings(self) -> None:
        self._fingerprint = point_settings.fingerprint(self.site)
        self.settings = point_settings.history(self.site)
        self.calendar = Calendar(self.settings)

    def refresh(self) -> bool:
        """Take up what another workstation changed in the point's settings
        since they were read: one small query, and a reload only when they
        changed. Every write calls it inside its transaction, so a rule is
        checked against the settings as they are. True when they changed."""
        with storage.reading(self.db):
            if point_settings.fingerprint(self.site) == self._fingerprint:
                return False
            self.reload_settings()
        return True

    @property
    def point(self) -> PointSettings:
        """The point's settings in force today."""
        return self.settings.on(self.today())

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().date()

    def staff_member(self, code: str | None) -> Staff:
        """The staff member `code` (the one on duty for None), as the database
        has them now: one who has left can no longer act."""
        with storage.reading(self.db):
            if code is None:
                found = Staff.get_or_none(Staff.id == self.staff.id)
            else:
                found = Staff.get_or_none(site=self.site, code=code)
        if found is None:
            raise BadInput("unknown_staff", staff=code)
        if not found.active:
            raise Refused("staff_left", staff=found.name)
        if code is None:
            self.staff = found
        return found

    def active_staff(self) -> list[Staff]:
        return list(Staff.select().where(Staff.site == self.site, Staff.active).order_by(Staff.id))

    def all_sites(self) -> list[Site]:
        """Every point in the database, this one first."""
        others = Site.select().where(Site.id != self.site.id).order_by(Site.code)
        return [self.site, *others]

    def writing(self):
        return storage.writing(self.db)

    def lock_month(self, month, exclusive: bool = False) -> None:
        """Inside a write transaction: order this write against closing `month`."""
        storage.lock_month(self.db, self.site.id, month.year, month.month, exclusive)

    def stamp(self, at: datetime, staff: Staff) -> dict:
        """The site, time fields and staff of a record made at `at`. The local
        day and hour are derived from the stored UTC time, so they always
        agree with it (a clock time that does not exist cannot slip in)."""
        utc = to_utc_naive(at)
        local = from_utc_naive(utc)
        return {
            "site": self.site,
            "at": utc,
            "day": local.date(),
            "hour": local.hour,
            "weekday": local.weekday(),
            "staff": staff,
            "created_at": to_utc_naive(self.now()),
        }


def open_context(
    config: Config,
    url: str | None = None,
    clock: Clock | None = None,
    site_code: str | None = None,
    *,
    mode: str = storage.WRITE,
) -> Context:
    """Open the database for the program or a command. `mode` is READ (an
    existing, current database; nothing is written), WRITE (an existing
    database, whose schema is created or upgraded if needed) or CREATE (as
    WRITE, and a missing SQLite file is made)."""
    db = storage.connect(storage.resolve_url(url), mode)
    storage.ensure_schema(db, mode, config)
    clock = clock or Clock()
    code = site_code or config.site_code
    if mode == storage.READ or code != config.site_code:
        site = find_site(code)
    else:
        site = ensure_site(config, db, clock)
    staff = Staff.get_or_none(site=site, code=config.default_staff, active=True) or first_on_duty(
        site
    )
    ctx = Context(config, clock, db, site, staff)
    if code == config.site_code:
        ctx.notices += unread_point_keys(config, ctx)
    return ctx


def first_on_duty(site: Site) -> Staff | None:
    """Who is on duty when the configured one is not there: the first
    virastomestari still working, or anyone still working."""
    working = Staff.select().where((Staff.site == site) & Staff.active)
    return (
        working.where(Staff.role == "virastomestari").order_by(Staff.id).first()
        or working.order_by(Staff.id).first()
        or Staff.select().where(Staff.site == site).order_by(Staff.id).first()
    )


def find_site(code: str) -> Site:
    site = Site.get_or_none(code=code)
    if site is None:
        raise BadInput("unknown_site", site=code)
    return site


def ensure_site(config: Config, db: Database, clock: Clock) -> Site:
    """The point this workstation acts as. A new database gets it from the
    configuration file, once: its settings valid from the agreement's start,
    and its staff; afterwards the database holds them. A database that holds
    other points gets no new one this way: a mistyped code must not make a
    point (`kela-tui --site CODE settings import FILE` adds one)."""
    site = Site.get_or_none(code=config.site_code)
    if site is not None:
        return site
    # Under the schema lock: workstations starting at once on a new database
    # would otherwise each create the point.
    with storage.schema_lock(db):
        site = Site.get_or_none(code=config.site_code)
        if site is not None:
            return site
        others = [s.code for s in Site.select(Site.code).order_by(Site.code)]
        if others:
            raise BadInput("site_not_in_database", site=config.site_code, sites=", ".join(others))
        if config.point_error is not None:
            raise config.point_error
        return create_site(clock, config.site_code, config.point, config.staff)


def create_site(clock: Clock, code: str, point: PointSettings, staff, by=None) -> Site:
    """A new point with its first settings version (valid from its agreement's
    start) and its staff (each with an `id`, a `name` and a `role`), in the
    audit trail as done `by` a staff member, if any. The caller holds the
    schema lock or a write transaction."""
    site = Site.create(
        code=code,
        name=point.name,
        city=point.city,
        agreement_start=point.agreement_start,
        agreement_end=point.agreement_end,
        monthly_compensation=point.monthly_compensation,
        prorate=point.prorate,
    )
    actor = _Auditor(site, clock)
    audit.record(actor, site, "create", by)
    point_settings.seed(actor, site, point, by)
    for member in staff:
        row = Staff.create(site=site, code=member.id, name=member.name, role=member.role)
        audit.record(actor, row, "create", by)
    return site


def unread_point_keys(config: Config, ctx: Context) -> list:
    """The notice that the file's point settings are not read, when it gives
    some that differ from the database's (the ones that agree are harmless)."""
    from kela_tui.i18n import Msg

    if not config.point_keys:
        return []
    if config.point_error is not None:
        # Not read, and wrong too: every key it gives is named.
        keys = ", ".join(sorted(config.point_keys))
        return [Msg("notice.point_keys_unread", path=config.path, keys=keys)]
    current = ctx.point.tree()
    given = config.point.tree()
    differ = sorted(
        key
        for key in config.point_keys
        if key != "staff"
        and current[key.split(".")[0]].get(key.split(".")[1])
        != given[key.split(".")[0]].get(key.split(".")[1])
    )
    if "staff" in config.point_keys:
        stored = {(s.code, s.name, s.role) for s in Staff.select().where(Staff.site == ctx.site)}
        if any((m.id, m.name, m.role) not in stored for m in config.staff):
            differ.append("staff")
    if not differ:
        return []
    return [Msg("notice.point_keys_unread", path=config.path, keys=", ".join(differ))]


@dataclass
class _Auditor:
    """What the audit trail needs of a context, before there is one."""

    site: Site | None
    clock: Clock

    def now(self) -> datetime:
        return self.clock.now()
