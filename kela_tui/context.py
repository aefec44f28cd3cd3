"""What every domain action needs: the configuration, the clock, the site and
the staff member acting. The command line and the screens build one each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import Database

from kela_tui import audit
from kela_tui import db as storage
from kela_tui.calendar import Calendar
from kela_tui.clock import Clock, from_utc_naive, to_utc_naive
from kela_tui.config import Config
from kela_tui.errors import BadInput
from kela_tui.models import Site, Staff


@dataclass
class Context:
    config: Config
    clock: Clock
    db: Database
    site: Site
    staff: Staff
    calendar: Calendar = field(init=False)

    def __post_init__(self) -> None:
        self.calendar = Calendar(self.config)

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        return self.clock.now().date()

    def staff_member(self, code: str | None) -> Staff:
        if code is None:
            return self.staff
        found = Staff.get_or_none(site=self.site, code=code)
        if found is None:
            raise BadInput("unknown_staff", staff=code)
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
    storage.ensure_schema(db, mode)
    clock = clock or Clock()
    if mode == storage.READ:
        site = find_site(site_code or config.site_code)
    else:
        site = sync_site(config, db, clock, site_code)
    staff = Staff.get_or_none(site=site, code=config.default_staff.id) or (
        Staff.select().where(Staff.site == site).order_by(Staff.id).first()
    )
    return Context(config, clock, db, site, staff)


def find_site(code: str) -> Site:
    site = Site.get_or_none(code=code)
    if site is None:
        raise BadInput("unknown_site", site=code)
    return site


def sync_site(config: Config, db: Database, clock: Clock, site_code: str | None = None) -> Site:
    """Make the database's site and staff match the configuration, with every
    change in the audit trail; another site named with --site must already be
    in the database."""
    code = site_code or config.site_code
    if code != config.site_code:
        return find_site(code)
    fields = {
        "name": config.site_name,
        "city": config.city,
        "agreement_start": config.agreement_start,
        "agreement_end": config.agreement_end,
        "monthly_compensation": config.monthly_compensation,
        "prorate": config.prorate,
    }
    site = Site.get_or_none(code=code)
    if site is not None and _in_step(site, fields, config):
        return site
    # Under the schema lock: workstations starting at once on a new database
    # would otherwise each create the point.
    with storage.schema_lock(db):
        audit_ctx = _Auditor(site, clock)
        site = Site.get_or_none(code=code)
        if site is None:
            site = Site.create(code=code, **fields)
            audit_ctx.site = site
            audit.record(audit_ctx, site, "create", None)
        elif any(getattr(site, k) != v for k, v in fields.items()):
            before = audit.snapshot(site)
            for name, value in fields.items():
                setattr(site, name, value)
            site.save()
            audit.record(audit_ctx, site, "update", None, before)
        known = {s.code: s for s in Staff.select().where(Staff.site == site)}
        for member in config.staff:
            row = known.pop(member.id, None)
            if row is None:
                row = Staff.create(site=site, code=member.id, name=member.name, role=member.role)
                audit.record(audit_ctx, row, "create", None)
            elif (row.name, row.role, row.active) != (member.name, member.role, True):
                before = audit.snapshot(row)
                row.name, row.role, row.active = member.name, member.role, True
                row.save()
                audit.record(audit_ctx, row, "update", None, before)
        # Staff removed from the file stay in the database for the history.
        for row in known.values():
            if row.active:
                before = audit.snapshot(row)
                row.active = False
                row.save()
                audit.record(audit_ctx, row, "deactivate", None, before)
    return site


def _in_step(site: Site, fields: dict, config: Config) -> bool:
    """Whether the database already holds what the configuration says, so that
    starting writes nothing."""
    if any(getattr(site, k) != v for k, v in fields.items()):
        return False
    rows = {s.code: (s.name, s.role, s.active) for s in Staff.select().where(Staff.site == site)}
    wanted = {m.id: (m.name, m.role, True) for m in config.staff}
    return all(rows.get(code) == value for code, value in wanted.items()) and not any(
        active for code, (_, _, active) in rows.items() if code not in wanted
    )


@dataclass
class _Auditor:
    """What the audit trail needs of a context, before there is one."""

    site: Site | None
    clock: Clock

    def now(self) -> datetime:
        return self.clock.now()
