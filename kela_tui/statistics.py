"""The one place that computes a month's numbers, with SQL aggregates, for one
site or many. The dashboard, `kela-tui stats` and the statement read them here.

Voided entries never count; a corrected entry counts once, as corrected (the
old version has status "corrected", the new one is active)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from peewee import Case, Select, Value, fn

from kela_tui import compensation, settings
from kela_tui.calendar import Calendar
from kela_tui.catalogue import CODES, EXCLUDED_DOCUMENTS, FEEDBACK_KINDS, OUTCOMES
from kela_tui.i18n import Translator
from kela_tui.models import (
    BoothPhase,
    BoothSession,
    Document,
    Feedback,
    MonthEvent,
    Referral,
    Service,
    Site,
    Staff,
    Statement,
)
from kela_tui.months import Month

# How booth sessions and minutes are counted. Rule 2: completed sessions only,
# their minutes from connecting to Kela to the end (every ended session is a
# service in the log, whatever its outcome). Rule 1, for months issued before
# it: every service the booth logged (then only completed sessions logged
# one), minutes from the session's start. A month issued by rule 1 is checked
# by rule 1: its records were made by that rule and still give its figures.
BOOTH_COUNTING = 2


@dataclass
class Headline:
    """The numbers another month is compared with, over its days `first` to
    `last`: the whole month (within the agreement), or the same days as a
    running month's. `open_days` counts each point's open days in them (its
    calendar); `per_open_day` says the two months are compared by figures
    per open day, their days not being alike (a month the agreement began
    or ended in, or same days with more open days in one than the other).

    `sites` counts the points compared, of `of_sites` shown; where some
    point is left out (its agreement does not cover both months' days),
    `against` holds the shown month's figures over the points compared."""

    month: Month
    visits: int
    services: int
    by_category: dict[str, int]
    first: date | None = None
    last: date | None = None
    documents: int = 0
    booth_sessions: int = 0
    feedback: int = 0
    referrals: int = 0
    open_days: int = 0
    per_open_day: bool = False
    sites: int = 0
    of_sites: int = 0
    against: Headline | None = None

    def __post_init__(self) -> None:
        self.first = self.first or self.month.first
        self.last = self.last or self.month.last

    @property
    def partial(self) -> bool:
        """Fewer days than the whole month."""
        return (self.first, self.last) != (self.month.first, self.month.last)

    def figure(self, key: str) -> int:
        """A figure by its name ("visits") or a category's code."""
        return self.by_category[key] if key in self.by_category else getattr(self, key)

    def to_json(self) -> dict:
        return {
            "month": str(self.month),
            "visits": self.visits,
            "services": self.services,
            "by_category": dict(self.by_category),
            "from": self.first.isoformat(),
            "to": self.last.isoformat(),
            "documents": self.documents,
            "booth_sessions": self.booth_sessions,
            "feedback": self.feedback,
            "referrals": self.referrals,
            "open_days": self.open_days,
            "partial": self.partial,
            "per_open_day": self.per_open_day,
            "sites_compared": self.sites,
        }


@dataclass(frozen=True)
class MoneyToDate:
    """Compensation in euros: the month's, the calendar year's up to and
    including the month, and the agreement's from its first month."""

    month: Decimal
    year_to_date: Decimal
    agreement_to_date: Decimal


@dataclass
class MonthStats:
    month: Month
    sites: list[str]
    scope: str
    visits: int = 0
    services: int = 0
    by_category: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CODES, 0))
    per_day: dict[date, int] = field(default_factory=dict)
    # Monday first; 24 hours a day, Finnish time.
    by_weekday_hour: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    by_staff: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=lambda: dict.fromkeys(DOCUMENT_FIELDS, 0))
    feedback: int = 0
    feedback_by_kind: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(FEEDBACK_KINDS, 0)
    )
    referrals: int = 0
    referrals_by_kind: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(EXCLUDED_DOCUMENTS, 0)
    )
    booth: dict = field(default_factory=lambda: {"sessions": 0, "minutes": 0})
    compensation: Decimal = Decimal("0.00")
    compensations: list[compensation.Compensation] = field(default_factory=list)
    previous: Headline | None = None
    year_ago: Headline | None = None
    # The rule the booth's sessions and minutes were counted by.
    booth_counting: int = BOOTH_COUNTING
    # The days the month is compared over (to today in a running month,
    # within the agreement) and the points' open days in them; the
    # compensation to date. Set by `month_stats`.
    first: date | None = None
    last: date | None = None
    open_days: int = 0
    money: MoneyToDate | None = None

    def headline(self) -> Headline:
        return Headline(
            self.month,
            self.visits,
            self.services,
            dict(self.by_category),
            self.first,
            self.last,
            documents=self.documents["received"],
            booth_sessions=self.booth["sessions"],
            feedback=self.feedback,
            referrals=self.referrals,
            open_days=self.open_days,
        )

    def own_figures(self) -> dict:
        """The month's own figures, without the months it is compared with
        nor the compensation before it: what an issued statement freezes."""
        figures = self.to_json()
        for key in COMPARISON_KEYS:
            del figures[key]
        return figures

    def absorb(self, figures: dict, detail: compensation.Compensation) -> None:
        """Add one point's frozen figures (`own_figures` of its issued
        statement) to these."""
        self.visits += figures["visits"]
        self.services += figures["services"]
        _add(self.by_category, figures["by_category"])
        _add(self.documents, figures["documents"])
        self.feedback += figures["feedback"]
        _add(self.feedback_by_kind, figures["feedback_by_kind"])
        self.referrals += figures["referrals"]
        _add(self.referrals_by_kind, figures["referrals_by_kind"])
        _add(self.by_staff, figures["by_staff"])
        for day, n in figures["per_day"].items():
            key = date.fromisoformat(day)
            self.per_day[key] = self.per_day.get(key, 0) + n
        for weekday, hours in enumerate(figures["by_weekday_hour"]):
            for hour, n in enumerate(hours):
                self.by_weekday_hour[weekday][hour] += n
        booth = figures["booth"]
        self.booth["sessions"] += booth["sessions"]
        self.booth["minutes"] += booth["minutes"]
        _add(self.booth.setdefault("outcomes", dict.fromkeys(OUTCOMES, 0)), booth["outcomes"])
        if "kela_minutes" in booth and "kela_minutes" in self.booth:
            self.booth["kela_minutes"] += booth["kela_minutes"]
        self.compensations.append(detail)

    def to_json(self) -> dict:
        return {
            "month": str(self.month),
            "site": self.scope,
            "sites": self.sites,
            "visits": self.visits,
            "services": self.services,
            "by_category": dict(self.by_category),
            "documents": dict(self.documents),
            "feedback": self.feedback,
            "referrals": self.referrals,
            "booth": dict(self.booth),
            "compensation": str(self.compensation),
            "per_day": {day.isoformat(): n for day, n in self.per_day.items()},
            "by_weekday_hour": self.by_weekday_hour,
            "by_staff": dict(self.by_staff),
            "feedback_by_kind": dict(self.feedback_by_kind),
            "referrals_by_kind": dict(self.referrals_by_kind),
            "previous_month": self.previous.to_json() if self.previous else None,
            "year_ago": self.year_ago.to_json() if self.year_ago else None,
            "from": (self.first or self.month.first).isoformat(),
            "to": (self.last or self.month.last).isoformat(),
            "open_days": self.open_days,
            "partial": self.headline().partial,
            "compensation_year_to_date": _euros(self.money and self.money.year_to_date),
            "compensation_agreement_to_date": _euros(self.money and self.money.agreement_to_date),
        }


# What `to_json` adds to a month's own figures: its comparisons and context.
COMPARISON_KEYS = (
    "previous_month",
    "year_ago",
    "from",
    "to",
    "open_days",
    "partial",
    "compensation_year_to_date",
    "compensation_agreement_to_date",
)


def _euros(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


DOCUMENT_FIELDS = ("received", "forwarded", "on_time", "overdue")


def _add(into: dict, more: dict) -> None:
    for key, n in more.items():
        into[key] = into.get(key, 0) + n


def closed_by_month(months: list[Month], site_ids: list[int]) -> dict[Month, set[int]]:
    """For each of `months`, the sites among `site_ids` whose month is
    closed now (its latest closing event a close), in one reading."""
    latest: dict[tuple[str, int], str] = {}
    for name, site_id, action in (
        MonthEvent.select(MonthEvent.month, MonthEvent.site, MonthEvent.action)
        .where(MonthEvent.site.in_(site_ids) & MonthEvent.month.in_([str(m) for m in months]))
        .order_by(MonthEvent.id)
        .tuples()
    ):
        latest[(name, site_id)] = action
    return {
        month: {
            site_id
            for (name, site_id), action in latest.items()
            if name == str(month) and action == "close"
        }
        for month in months
    }


def frozen(month: Month, site_ids: list[int]) -> dict[int, dict]:
    """What the issued statements of the closed sites froze: for each site
    whose month is closed, its claim (`Statement.figures`, see statement.py)."""
    return frozen_months([month], site_ids)[month]


def frozen_months(
    months: list[Month], site_ids: list[int], closed: dict[Month, set[int]] | None = None
) -> dict[Month, dict[int, dict]]:
    """`frozen` for each of `months`, in two readings at most; `closed` are
    the closed sites by month when already read."""
    closed = closed if closed is not None else closed_by_month(months, site_ids)
    claims: dict[Month, dict[int, dict]] = {month: {} for month in months}
    asked = set(site_ids)
    shut = {
        (str(month), site_id): month
        for month in months
        for site_id in closed.get(month, set()) & asked
    }
    if not shut:
        return claims
    for site_id, name, figures in (
        Statement.select(Statement.site, Statement.month, Statement.figures)
        .where(
            Statement.site.in_(list({site_id for _, site_id in shut}))
            & Statement.month.in_(list({name for name, _ in shut}))
        )
        .order_by(Statement.revision)
        .tuples()
    ):
        month = shut.get((name, site_id))
        if month is not None and figures:
            claims[month][site_id] = json.loads(figures)
    return claims


def frozen_compensation(month: Month, detail: dict) -> compensation.Compensation:
    return compensation.Compensation(
        month=month,
        monthly=Decimal(detail["monthly"]),
        days_in_force=detail["days_in_force"],
        days_in_month=detail["days_in_month"],
        prorated=detail["prorated"],
        amount=Decimal(detail["amount"]),
    )


def counted_services(month: Month, site_ids: list[int]):
    """The condition of a service that counts in `month`: active, in the sites."""
    return counted_between(site_ids, month.first, month.last)


def counted_between(site_ids: list[int], first: date, last: date):
    """The condition of a service that counts on the days `first` to `last`."""
    return (
        Service.site.in_(site_ids)
        & (Service.status == "active")
        & Service.day.between(first, last)
    )


def headline(
    month: Month,
    site_ids: list[int],
    days: tuple[date, date] | None = None,
    closed: dict[Month, set[int]] | None = None,
) -> Headline:
    """The month's headline figures: over the whole month, frozen where the
    month is closed; over some of its `days`, counted from the records (a
    closed month's records are those its statement counted; its booth
    sessions by today's rule). `closed` are the closed points by month when
    already read."""
    if days is not None:
        return _live_headline(month, site_ids, *days)
    claims = frozen_months([month], site_ids, closed)[month]
    live = [i for i in site_ids if i not in claims]
    top = _live_headline(month, live) if live else Headline(month, 0, 0, dict.fromkeys(CODES, 0))
    for claim in claims.values():
        figures = claim["figures"]
        top.visits += figures["visits"]
        top.services += figures["services"]
        _add(top.by_category, figures["by_category"])
        top.documents += figures["documents"]["received"]
        top.booth_sessions += figures["booth"]["sessions"]
        top.feedback += figures["feedback"]
        top.referrals += figures["referrals"]
    return top


def _live_headline(
    month: Month, site_ids: list[int], first: date | None = None, last: date | None = None
) -> Headline:
    """The headline of the days `first` to `last` (the whole month without),
    counted from the records in three queries."""
    first, last = first or month.first, last or month.last
    counted = counted_between(site_ids, first, last)
    by_category = dict.fromkeys(CODES, 0)
    visits = 0
    # The services by category, and the visits in a last row of their own.
    for code, n in (
        Service.select(Service.category, fn.COUNT(Service.id))
        .where(counted)
        .group_by(Service.category)
        .union_all(Service.select(Value(""), fn.COUNT(Service.visit.distinct())).where(counted))
        .tuples()
    ):
        if code:
            by_category[code] = n
        else:
            visits = n
    documents, feedback, referrals = (
        Select(
            columns=(
                Document.select(fn.COUNT(Document.id)).where(
                    Document.site.in_(site_ids)
                    & (Document.status == "active")
                    & Document.day.between(first, last)
                ),
                # As `live_months` counts it: through the services of its
                # category.
                Feedback.select(fn.COUNT(Feedback.id))
                .join(Service)
                .where(counted & (Service.category == "feedback")),
                Referral.select(fn.COUNT(Referral.id)).where(
                    Referral.site.in_(site_ids)
                    & (Referral.status == "active")
                    & Referral.day.between(first, last)
                ),
            )
        )
        .bind(Service._meta.database)
        .tuples()
        .get()
    )
    return Headline(
        month,
        visits,
        sum(by_category.values()),
        by_category,
        first,
        last,
        documents=documents,
        booth_sessions=len(_completed_sessions(site_ids, first, last)),
        feedback=feedback,
        referrals=referrals,
    )


def compared_days(
    month: Month, sites: list[Site], books: dict, upto: int | None
) -> tuple[date, date, bool] | None:
    """The days of `month` a comparison covers: its first `upto` days (the
    whole month without), within the points' agreements; and whether every
    point's agreement covers all of them. None when no agreement is in force
    on any of them."""
    first = month.first
    last = month.first.replace(day=min(upto, month.days)) if upto else month.last
    starts, ends, covered = [], [], True
    for site in sites:
        terms = books[site.id].for_month(month)
        start, end = terms.agreement_start, terms.agreement_end or date.max
        starts.append(start)
        ends.append(end)
        covered = covered and start <= first and last <= end
    first, last = max(first, min(starts)), min(last, max(ends))
    if first > last:
        return None
    return first, last, covered


def open_days(calendars: dict, sites: list[Site], books: dict, first: date, last: date) -> int:
    """The points' open days from `first` to `last` within each one's
    agreement, by its calendar: a point open on a day counts one."""
    total = 0
    for site in sites:
        terms = books[site.id].on(last)
        day = max(first, terms.agreement_start)
        end = min(last, terms.agreement_end or last)
        while day <= end:
            total += not calendars[site.id].is_closed_day(day)
            day += timedelta(days=1)
    return total


def month_stats(
    month: Month,
    sites: list[Site],
    today: date,
    scope: str | None = None,
) -> MonthStats:
    """The month's numbers over `sites`; `scope` names them ("all" or a code).
    A site whose month is closed gives the figures its issued statement froze;
    the others are counted from the records, each by its own settings (its
    compensation, and Kela's hours for the booth's utilisation).

    A running month (today in it) is compared with the same days of the
    previous month and of the month a year earlier (1.–27.11. with
    1.–27.10.: the days clamped to the shorter month), a finished one with
    the whole months. Like is compared with like (see `_compared`): of
    several points, those whose agreements cover both months' days; where
    the days are not alike (one point's agreement began or ended in either
    month, or the same days have different numbers of open days), the two
    are compared per open day."""
    books = settings.histories(sites)
    year_ago = Month(month.year - 1, month.month)
    # Which points' months are closed, the compared months' too, read once.
    closed = closed_by_month([month, month.previous(), year_ago], [s.id for s in sites])
    stats = _own_months([month], sites, today, books, scope, closed)[0]
    stats.money = money(month, sites, books)

    upto = today.day if Month.of(today) == month else None
    calendars = {site.id: Calendar(books[site.id]) for site in sites}
    shown = compared_days(month, sites, books, upto)
    if shown is None:
        # No agreement in force in the month: nothing to compare.
        return stats
    stats.first, stats.last, _ = shown
    stats.open_days = open_days(calendars, sites, books, stats.first, stats.last)
    for name, other in (("previous", month.previous()), ("year_ago", year_ago)):
        top = _compared(
            month, other, sites, books, calendars, upto, (shown, stats.open_days), closed
        )
        if top is not None:
            setattr(stats, name, top)
    return stats


def _covers(site: Site, books: dict, month: Month, upto: int | None) -> bool:
    """Whether the point's agreement covers all the compared days of `month`."""
    days = compared_days(month, [site], books, upto)
    return days is not None and days[2]


def _compared(
    month: Month,
    other: Month,
    sites: list[Site],
    books: dict,
    calendars: dict,
    upto: int | None,
    shown: tuple[tuple[date, date, bool], int],
    closed: dict[Month, set[int]] | None = None,
) -> Headline | None:
    """The headline of `other` that `month` is compared with, like with like.

    Several points: only those whose agreements cover the compared days of
    both months are compared (a point that joined in either month would
    weigh an open day of a small new point as much as one of a big old
    one); their figures are compared as counts on the same days. Only when
    no point covers both are they all compared per open day. One point
    whose agreement began or ended in either month: per open day.

    A running month's same days with different numbers of open days (1.12.
    a Tuesday, 1.11. a Sunday) are compared per open day too."""
    days = compared_days(other, sites, books, upto)
    if days is None:
        return None
    (first_now, last_now, covered), open_now = shown
    first, last, other_covered = days
    compared, against = sites, None
    if len(sites) > 1 and not (covered and other_covered):
        like = [
            s for s in sites if _covers(s, books, month, upto) and _covers(s, books, other, upto)
        ]
        if like:
            compared = like
            first, last, other_covered = compared_days(other, like, books, upto)
            first_now, last_now, covered = compared_days(month, like, books, upto)
            ids = [s.id for s in like]
            against = headline(month, ids, None if upto is None else (first_now, last_now), closed)
            against.first, against.last = first_now, last_now
            open_now = open_days(calendars, like, books, first_now, last_now)
            against.open_days = open_now
    whole = upto is None or upto >= other.days
    top = headline(other, [s.id for s in compared], None if whole else (first, last), closed)
    top.first, top.last = first, last
    top.open_days = open_days(calendars, compared, books, first, last)
    top.per_open_day = not (covered and other_covered) or (
        upto is not None and open_now != top.open_days
    )
    top.sites, top.of_sites, top.against = len(compared), len(sites), against
    if top.per_open_day and not (top.open_days and open_now):
        # Not one open day to compare with (15.8.2026 was a Saturday).
        return None
    return top


def money(month: Month, sites: list[Site], books: dict | None = None) -> MoneyToDate:
    """The points' compensation: the month's, the calendar year's to the
    month and the agreement's to the month. A closed month's is what its
    issued statement froze, an open one's by the settings (`month_compensation`)."""
    books = books or settings.histories(sites)
    first = min(Month.of(books[site.id].first.agreement_start) for site in sites)
    months = []
    at = first
    while at <= month:
        months.append(at)
        at = at.next()
    issued = _issued_amounts(first, month, [site.id for site in sites])
    per_month = {
        at: sum(
            (
                issued[(site.id, str(at))]
                if (site.id, str(at)) in issued
                else month_compensation(books[site.id], at).amount
                for site in sites
            ),
            Decimal("0.00"),
        )
        for at in months
    }
    return MoneyToDate(
        month=per_month.get(month, Decimal("0.00")),
        year_to_date=sum(
            (n for at, n in per_month.items() if at.year == month.year), Decimal("0.00")
        ),
        agreement_to_date=sum(per_month.values(), Decimal("0.00")),
    )


def _issued_amounts(first: Month, last: Month, site_ids: list[int]) -> dict:
    """The compensation each closed month from `first` to `last` froze, by
    (site id, month): from its latest issued statement."""
    between = (str(first), str(last))
    latest: dict[tuple[int, str], str] = {}
    for site_id, name, action in (
        MonthEvent.select(MonthEvent.site, MonthEvent.month, MonthEvent.action)
        .where(MonthEvent.site.in_(site_ids) & MonthEvent.month.between(*between))
        .order_by(MonthEvent.id)
        .tuples()
    ):
        latest[(site_id, name)] = action
    closed = {key for key, action in latest.items() if action == "close"}
    if not closed:
        return {}
    amounts: dict[tuple[int, str], Decimal] = {}
    for site_id, name, figures in (
        Statement.select(Statement.site, Statement.month, Statement.figures)
        .where(
            Statement.site.in_(list({site_id for site_id, _ in closed}))
            & Statement.month.between(*between)
        )
        .order_by(Statement.revision)
        .tuples()
    ):
        if (site_id, name) in closed and figures:
            amounts[(site_id, name)] = Decimal(json.loads(figures)["compensation"]["amount"])
    return amounts


def live_stats(
    month: Month,
    sites: list[Site],
    today: date,
    books: dict | None = None,
    booth_counting: int = BOOTH_COUNTING,
) -> MonthStats:
    """The month's numbers counted from the records, without comparisons;
    `books` are the sites' settings when already read. `booth_counting` is
    the rule of the booth's figures: an earlier one only to check a month
    issued by it."""
    return live_months([month], sites, today, books, booth_counting)[0]


def live_months(
    months: list[Month],
    sites: list[Site],
    today: date,
    books: dict | None = None,
    booth_counting: int = BOOTH_COUNTING,
) -> list[MonthStats]:
    """Each of `months` counted from the records as `live_stats` counts one,
    read at once: each kind of figure in one query over the months' days,
    grouped by day, and each day's figures added to its month. A year is
    twelve months but not twelve times the queries."""
    books = books or settings.histories(sites)
    site_ids = [s.id for s in sites]
    codes = [s.code for s in sites]
    first, last = min(m.first for m in months), max(m.last for m in months)
    counted = counted_between(site_ids, first, last)
    wanted: dict[tuple[int, int], MonthStats] = {}
    for month in months:
        stats = MonthStats(month, list(codes), codes[0])
        stats.booth_counting = booth_counting
        stats.per_day = {month.first + timedelta(days=n): 0 for n in range(month.days)}
        stats.booth = {"sessions": 0, "minutes": 0, "outcomes": dict.fromkeys(OUTCOMES, 0)}
        wanted[(month.year, month.month)] = stats

    def rows(query):
        """The query's rows whose first column, a day, is in a wanted month,
        with that month's figures first."""
        for day, *rest in query.tuples():
            stats = day and wanted.get((day.year, day.month))
            if stats:
                yield stats, day, *rest

    # Several months are read by day, each day's rows added to its month;
    # one month's rows are its own, grouped without the day (their first
    # day names the month), which is quicker over many points.
    spread = len(months) > 1

    def day_of(column):
        return column if spread else fn.MIN(column)

    def grouped(column, *more):
        return (column, *more) if spread else more

    for stats, _, code, n in rows(
        Service.select(day_of(Service.day), Service.category, fn.COUNT(Service.id))
        .where(counted)
        .group_by(*grouped(Service.day, Service.category))
    ):
        stats.by_category[code] += n
    # A visit is on one day (a service moved to another day gets a new
    # visit): the month's visits are its days' visits added up.
    for stats, _, n in rows(
        Service.select(day_of(Service.day), fn.COUNT(Service.visit.distinct()))
        .where(counted)
        .group_by(*grouped(Service.day))
    ):
        stats.visits += n
    # The days and the hours in one reading: a day's weekday is its own.
    for stats, day, hour, n in rows(
        Service.select(Service.day, Service.hour, fn.COUNT(Service.id))
        .where(counted)
        .group_by(Service.day, Service.hour)
    ):
        stats.per_day[day] += n
        stats.by_weekday_hour[day.weekday()][hour] += n
    # The staff by name (a name at two points is one person in the figures),
    # the names read apart from the counting.
    by_staff: dict[int, dict[int, int]] = {}
    for stats, _, staff, n in rows(
        Service.select(day_of(Service.day), Service.staff, fn.COUNT(Service.id))
        .where(counted)
        .group_by(*grouped(Service.day, Service.staff))
    ):
        counts = by_staff.setdefault(id(stats), {})
        counts[staff] = counts.get(staff, 0) + n
    ids = {staff for counts in by_staff.values() for staff in counts}
    names = dict(Staff.select(Staff.id, Staff.name).where(Staff.id.in_(list(ids))).tuples())
    for stats in wanted.values():
        named: dict[str, int] = {}
        for staff, n in by_staff.get(id(stats), {}).items():
            named[names[staff]] = named.get(names[staff], 0) + n
        stats.by_staff = dict(sorted(named.items(), key=lambda item: (-item[1], item[0])))

    if booth_counting == 1:
        sessions = _booth_by_services(counted)
    else:
        sessions = _completed_sessions(site_ids, first, last)
    seconds: dict[int, int] = {}
    for day, spent in sessions:
        stats = wanted.get((day.year, day.month))
        if stats is not None:
            stats.booth["sessions"] += 1
            seconds[id(stats)] = seconds.get(id(stats), 0) + spent
    for stats, _, outcome, n in rows(
        BoothSession.select(
            day_of(BoothSession.day), BoothSession.outcome, fn.COUNT(BoothSession.id)
        )
        .where(
            BoothSession.site.in_(site_ids)
            & BoothSession.ended_at.is_null(False)
            & BoothSession.day.between(first, last)
        )
        .group_by(*grouped(BoothSession.day, BoothSession.outcome))
    ):
        stats.booth["outcomes"][outcome] += n

    received = (
        Document.site.in_(site_ids)
        & (Document.status == "active")
        & Document.day.between(first, last)
    )
    forwarded = Document.forwarded_at.is_null(False)
    on_time = forwarded & (Document.forwarded_day <= Document.deadline)
    overdue = Document.forwarded_at.is_null() & (Document.deadline < today)
    for stats, _, *figures in rows(
        Document.select(
            day_of(Document.day),
            fn.COUNT(Document.id),
            fn.SUM(Case(None, ((forwarded, 1),), 0)),
            fn.SUM(Case(None, ((on_time, 1),), 0)),
            fn.SUM(Case(None, ((overdue, 1),), 0)),
        )
        .where(received)
        .group_by(*grouped(Document.day))
    ):
        for name, value in zip(DOCUMENT_FIELDS, figures, strict=True):
            stats.documents[name] += int(value or 0)
    # Feedback is only ever given through a service of its own category,
    # which no correction changes: the month's few, not all it had.
    for stats, _, kind, n in rows(
        Feedback.select(day_of(Service.day), Feedback.kind, fn.COUNT(Feedback.id))
        .join(Service)
        .where(counted & (Service.category == "feedback"))
        .group_by(*grouped(Service.day, Feedback.kind))
    ):
        stats.feedback_by_kind[kind] += n
    for stats, _, kind, n in rows(
        Referral.select(day_of(Referral.day), Referral.kind, fn.COUNT(Referral.id))
        .where(
            Referral.site.in_(site_ids)
            & (Referral.status == "active")
            & Referral.day.between(first, last)
        )
        .group_by(*grouped(Referral.day, Referral.kind))
    ):
        stats.referrals_by_kind[kind] += n

    for stats in wanted.values():
        month = stats.month
        stats.services = sum(stats.by_category.values())
        stats.feedback = sum(stats.feedback_by_kind.values())
        stats.referrals = sum(stats.referrals_by_kind.values())
        minutes = _minutes(seconds.get(id(stats), 0))
        open_minutes = sum(kela_minutes(books[site.id], month, today) for site in sites)
        stats.booth.update(
            minutes=minutes,
            kela_minutes=open_minutes,
            utilisation=utilisation(minutes, open_minutes),
        )
        stats.compensations = [month_compensation(books[site.id], month) for site in sites]
        stats.compensation = sum((c.amount for c in stats.compensations), Decimal("0.00"))
    return list(wanted.values())


def month_compensation(history: settings.History, month: Month) -> compensation.Compensation:
    """A point's compensation for `month`, by the settings its statement uses."""
    terms = history.for_month(month)
    return compensation.compute(
        month,
        terms.monthly_compensation,
        terms.agreement_start,
        terms.agreement_end,
        terms.prorate,
    )


def _completed_sessions(site_ids: list[int], first: date, last: date) -> list[tuple[date, int]]:
    """Completed sessions whose service counts on the days `first` to `last`
    (not voided; a corrected one as corrected): for each, its service's day
    and its seconds from connecting to Kela to the end."""
    # When it first began connecting, looked up by the session (not a join
    # that PostgreSQL would answer by reading every session's phases).
    connecting = BoothPhase.select(fn.MIN(BoothPhase.started_at)).where(
        (BoothPhase.session == BoothSession.id) & (BoothPhase.state == "connecting")
    )
    counted = counted_between(site_ids, first, last)
    completed = BoothSession.site.in_(site_ids) & (BoothSession.outcome == "completed")
    columns = (BoothSession.id, BoothSession.ended_at, connecting, Service.day)
    # A session follows its service's corrections and is held on the day its
    # service is logged: read by its day. One whose service a correction
    # moved to another day is found from the corrections counted, which are
    # few; so is one corrected before sessions followed (it still names the
    # service the correction replaced).
    on_its_day = (
        BoothSession.select(*columns)
        .join(Service, on=(BoothSession.service == Service.id))
        .where(completed & BoothSession.day.between(first, last) & counted)
    )
    # (The session names the correction, or the service it replaced.)
    corrected = (
        Service.select(*columns)
        .join(
            BoothSession,
            on=(BoothSession.service == Service.id) | (BoothSession.service == Service.replaces),
        )
        .where(counted & Service.replaces.is_null(False) & completed)
    )
    spans: dict[int, tuple[date, int]] = {}
    for session, ended, since, day in on_its_day.union_all(corrected).tuples():
        connected = BoothPhase.started_at.python_value(since)
        seconds = int((ended - connected).total_seconds()) if connected else 0
        spans[session] = (day, max(0, seconds))
    return list(spans.values())


def _booth_by_services(counted) -> list[tuple[date, int]]:
    """Rule 1: every service the booth logged, with its day and duration."""
    return list(
        Service.select(Service.day, fn.COALESCE(Service.duration_seconds, 0))
        .where(counted & (Service.origin == "booth"))
        .tuples()
    )


def utilisation(minutes: int, open_minutes: int) -> str:
    """Booth minutes over Kela's remote-service minutes, e.g. "0.031"."""
    if not open_minutes:
        return "0.000"
    return str((Decimal(minutes) / open_minutes).quantize(Decimal("0.001"), ROUND_HALF_UP))


def kela_minutes(history: settings.History, month: Month, today: date) -> int:
    """Minutes of a point's Kela remote-service hours in the month, by its
    settings each day, on days within the agreement and not after today."""
    calendar = Calendar(history)
    terms = history.for_month(month)
    first = max(month.first, terms.agreement_start)
    last = min(month.last, today, terms.agreement_end or month.last)
    total = 0
    day = first
    while day <= last:
        for opens, closes in calendar.kela_hours_on(day):
            total += (closes.hour * 60 + closes.minute) - (opens.hour * 60 + opens.minute)
        day += timedelta(days=1)
    return total


def _minutes(seconds: int | Decimal) -> int:
    return int((Decimal(seconds) / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def as_table(stats: MonthStats, t: Translator) -> str:
    """The month's numbers as aligned text for a person."""
    rows = [
        (t("stats.month"), t.month(stats.month.first)),
        (t("stats.site"), ", ".join(stats.sites)),
    ]
    rows += [
        (t("stats.visits"), t.number(stats.visits)),
        (t("stats.services"), t.number(stats.services)),
    ]
    rows += [(f"  {t(f'category.{code}')}", t.number(n)) for code, n in stats.by_category.items()]
    rows += [(t(f"stats.documents_{key}"), t.number(n)) for key, n in stats.documents.items()]
    rows += [
        (t("stats.feedback"), t.number(stats.feedback)),
        (t("stats.referrals"), t.number(stats.referrals)),
        (t("stats.booth_sessions"), t.number(stats.booth["sessions"])),
        (t("stats.booth_minutes"), t.number(stats.booth["minutes"])),
    ]
    rows += [(t("booth_outcomes.stats_outcomes"), "")]
    rows += [
        (f"  {t(f'booth.outcome_{outcome}')}", t.number(n))
        for outcome, n in stats.booth.get("outcomes", {}).items()
    ]
    rows += [(t("stats.compensation"), t.money(stats.compensation))]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {value:>12}" for label, value in rows)


@dataclass
class YearStats:
    """A year's numbers: each counted month's own figures (frozen where the
    month is closed) and their sum. Counted are the months within the
    agreement of at least one of the points and not after today."""

    year: int
    sites: list[str]
    scope: str
    months: list[MonthStats]
    total: MonthStats
    # The days counted (see `to_json`).
    first: date | None = None
    last: date | None = None
    # Each counted month's statement: ISSUED (closed at every point whose
    # agreement it is in), RUNNING (today in it) or OPEN (a draft).
    states: list[str] = field(default_factory=list)

    @property
    def compensation(self) -> Decimal:
        return self.total.compensation

    def to_json(self) -> dict:
        """The keys of a month's `MonthStats.to_json`, for the whole year
        ("month" is the year, "2026"; a year is not compared with another:
        "previous_month" and "year_ago" are null), with "year" and "months":
        each counted month's own figures, in order."""
        figures = self.total.to_json()
        figures["month"] = str(self.year)
        figures["year"] = self.year
        # The year's days counted: from January or the agreement's start to
        # December, today or the agreement's end.
        figures["from"], figures["to"] = self.first.isoformat(), self.last.isoformat()
        figures["partial"] = (self.first, self.last) != (
            date(self.year, 1, 1),
            date(self.year, 12, 31),
        )
        figures["compensation_year_to_date"] = str(self.compensation)
        figures["months"] = [
            {**month.own_figures(), "state": state}
            for month, state in zip(self.months, self.states, strict=True)
        ]
        return figures


def year_stats(
    year: int,
    sites: list[Site],
    today: date,
    scope: str | None = None,
) -> YearStats:
    """The year's numbers over `sites`, month by month: a closed month gives
    the figures its issued statement froze, the others are counted from the
    records as `month_stats` counts them. The year's compensation is the sum
    of the months'."""
    books = settings.histories(sites)
    site_ids = [s.id for s in sites]
    codes = [s.code for s in sites]
    counted, claiming = [], []
    for number in range(1, 13):
        month = Month(year, number)
        if month.first > today:
            break
        ids = [s.id for s in sites if month_compensation(books[s.id], month).in_force]
        if ids:
            counted.append(month)
            claiming.append(ids)
    closed = closed_by_month(counted, site_ids)
    months = _own_months(counted, sites, today, books, scope, closed)
    states = [
        ISSUED if closed[month] >= set(ids) else _open_state(month, today)
        for month, ids in zip(counted, claiming, strict=True)
    ]
    total = MonthStats(Month(year, 1), codes, scope or sites[0].code, per_day={})
    total.booth = {
        "sessions": 0,
        "minutes": 0,
        "outcomes": dict.fromkeys(OUTCOMES, 0),
        "kela_minutes": 0,
    }
    for stats in months:
        # One compensation for each point: the figures are added once.
        total.absorb(stats.own_figures(), stats.compensations[0])
        total.compensations.extend(stats.compensations[1:])
    total.by_staff = dict(sorted(total.by_staff.items(), key=lambda item: (-item[1], item[0])))
    total.compensation = sum((m.compensation for m in months), Decimal("0.00"))
    total.booth["utilisation"] = utilisation(total.booth["minutes"], total.booth["kela_minutes"])
    first = max(date(year, 1, 1), min(books[s.id].first.agreement_start for s in sites))
    ends = [books[s.id].on(date(year, 12, 31)).agreement_end for s in sites]
    last = min(date(year, 12, 31), today, max(ends) if all(ends) else today)
    if months:
        calendars = {site.id: Calendar(books[site.id]) for site in sites}
        total.open_days = open_days(calendars, sites, books, first, last)
        total.money = money(months[-1].month, sites, books)
    return YearStats(year, codes, total.scope, months, total, first, max(first, last), states)


# A month's statement: ISSUED (closed at every point whose agreement it is
# in), RUNNING (today in it) or OPEN (a draft).
ISSUED, OPEN, RUNNING = "issued", "open", "running"


def _open_state(month: Month, today: date) -> str:
    """A month not closed at every point: RUNNING while today is in it."""
    return RUNNING if month.first <= today <= month.last else OPEN


def _own_month(month, sites, today, books, scope) -> MonthStats:
    """A month's own figures, without comparisons: a closed point's frozen
    ones, the others counted from the records (`month_stats` adds the
    comparisons)."""
    return _own_months([month], sites, today, books, scope)[0]


def _own_months(months, sites, today, books, scope, closed=None) -> list[MonthStats]:
    """Each month's own figures as `_own_month` gives them; the months whose
    records are counted at the same points are counted at once."""
    claims = frozen_months(months, [s.id for s in sites], closed)
    alike: dict[tuple[int, ...], list[Month]] = {}
    for month in months:
        live = tuple(s.id for s in sites if s.id not in claims[month])
        alike.setdefault(live, []).append(month)
    counted: dict[Month, MonthStats] = {}
    for ids, group in alike.items():
        live = [s for s in sites if s.id in ids]
        if live:
            counted.update(zip(group, live_months(group, live, today, books), strict=True))
    own = []
    for month in months:
        stats = counted.get(month) or MonthStats(month, [], "")
        stats.sites, stats.scope = [s.code for s in sites], scope or sites[0].code
        if month not in counted:
            stats.per_day = {month.first + timedelta(days=n): 0 for n in range(month.days)}
            stats.booth.update(outcomes=dict.fromkeys(OUTCOMES, 0), kela_minutes=0)
        for claim in claims[month].values():
            stats.absorb(claim["figures"], frozen_compensation(month, claim["compensation"]))
        stats.compensation = sum((c.amount for c in stats.compensations), Decimal("0.00"))
        stats.booth["utilisation"] = utilisation(
            stats.booth["minutes"], stats.booth["kela_minutes"]
        )
        own.append(stats)
    return own


def year_rows(stats: YearStats, t: Translator) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The year as a table for a person: the counted months' short names
    and "total" as the columns; each row a label and its values (the
    services by kind, visits, services, documents, the booth, the
    compensation), the total last."""
    from babel.dates import get_month_names

    names = get_month_names("abbreviated", context="stand-alone", locale=t.locale)
    columns = [names[m.month.month] for m in stats.months] + [t("year.total")]
    every = [*stats.months, stats.total]

    def row(label: str, value, money: bool = False) -> tuple[str, list[str]]:
        return label, [t.money(value(m)) if money else t.number(value(m)) for m in every]

    rows = [row(t(f"category.{code}"), lambda m, c=code: m.by_category[c]) for code in CODES]
    rows += [
        row(t("stats.visits"), lambda m: m.visits),
        row(t("stats.services"), lambda m: m.services),
        row(t("stats.documents_received"), lambda m: m.documents["received"]),
        row(t("stats.documents_forwarded"), lambda m: m.documents["forwarded"]),
        row(t("stats.booth_sessions"), lambda m: m.booth["sessions"]),
        row(t("stats.booth_minutes"), lambda m: m.booth["minutes"]),
        row(t("stats.compensation"), lambda m: m.compensation, money=True),
    ]
    # Which months are claimed: issued, a draft, or still running.
    states = [t(f"year_view.state_{state}") for state in stats.states]
    rows.append((t("year_view.state_label"), [*states, ""]))
    return columns, rows


def year_table(stats: YearStats, t: Translator) -> str:
    """The year's numbers as aligned text, a column for each counted month."""
    columns, rows = year_rows(stats, t)
    heading = [
        (t("stats.site"), ", ".join(stats.sites)),
        (t("year.year"), str(stats.year)),
    ]
    width = max(len(label) for label, _ in [*heading, *rows])
    lines = [f"{label:<{width}}  {value}" for label, value in heading]
    if not stats.months:
        lines.append(t("year.no_months"))
        return "\n".join(lines)
    sizes = [
        max(len(column), *(len(values[n]) for _, values in rows))
        for n, column in enumerate(columns)
    ]
    lines.append(" " * width + "".join(f"  {c:>{s}}" for c, s in zip(columns, sizes, strict=True)))
    for label, values in rows:
        cells = "".join(f"  {v:>{s}}" for v, s in zip(values, sizes, strict=True))
        lines.append(f"{label:<{width}}{cells}".rstrip())
    return "\n".join(lines)
