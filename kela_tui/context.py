"""What every domain action needs: the configuration, the clock, the site and
the staff member acting. The command line and the screens build one each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import Database

from kela_tui import db as storage
from kela_tui.calendar import Calendar
from kela_tui.clock import Clock, to_local, to_utc_naive
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

    def stamp(self, at: datetime, staff: Staff) -> dict:
        """The site, time fields and staff of a record made at `at`."""
        local = to_local(at)
        return {
            "site": self.site,
            "at": to_utc_naive(local),
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
) -> Context:
    db = storage.connect(storage.resolve_url(url))
    storage.ensure_schema(db)
    site = sync_site(config, db, site_code)
    staff = (
        Staff.get(site=site, code=config.default_staff.id)
        if (site.code == config.site_code)
        else Staff.select().where(Staff.site == site).order_by(Staff.id).first()
    )
    return Context(config, clock or Clock(), db, site, staff)


def sync_site(config: Config, db: Database, site_code: str | None = None) -> Site:
    """Make the database's site and staff match the configuration; another
    site named with --site must already be in the database."""
    code = site_code or config.site_code
    if code != config.site_code:
        site = Site.get_or_none(code=code)
        if site is None:
            raise BadInput("unknown_site", site=code)
        return site
    fields = {
        "name": config.site_name,
        "city": config.city,
        "agreement_start": config.agreement_start,
        "agreement_end": config.agreement_end,
        "monthly_compensation": config.monthly_compensation,
        "prorate": config.prorate,
    }
    with storage.writing(db):
        site = Site.get_or_none(code=code)
        if site is None:
            site = Site.create(code=code, **fields)
        elif any(getattr(site, k) != v for k, v in fields.items()):
            Site.update(**fields).where(Site.id == site.id).execute()
            site = Site.get_by_id(site.id)
        known = {s.code: s for s in Staff.select().where(Staff.site == site)}
        for member in config.staff:
            row = known.pop(member.id, None)
            if row is None:
                Staff.create(site=site, code=member.id, name=member.name, role=member.role)
            elif (row.name, row.role, row.active) != (member.name, member.role, True):
                Staff.update(name=member.name, role=member.role, active=True).where(
                    Staff.id == row.id
                ).execute()
        # Staff removed from the file stay in the database for the history.
        for row in known.values():
            if row.active:
                Staff.update(active=False).where(Staff.id == row.id).execute()
    return site
