"""One row per counted service of a month, for the finance office's
spreadsheets: no notes and no personal data."""

from __future__ import annotations

import csv
import io
import json

from kela_tui.clock import from_utc_naive
from kela_tui.context import Context
from kela_tui.models import Service, Site, Staff, Statement
from kela_tui.months import Month, is_closed
from kela_tui.periods import Period
from kela_tui.statistics import counted_services

COLUMNS = (
    "service",
    "site",
    "date",
    "time",
    "weekday",
    "category",
    "visit",
    "staff",
    "duration_minutes",
    "outside_hours",
    "origin",
    "correction",
    # Added last (schema 5), so that existing consumers keep their columns.
    "entered_later",
)
# The columns of the rows frozen before schema 5, and of the rows the upgrade
# to schema 3 froze: no service could be entered later then.
LEGACY_COLUMNS = COLUMNS[:-1]


def rows(ctx: Context, month: Month | Period) -> list[dict]:
    """The same services the statistics count: active ones in the month; for a
    closed month, the rows as they were when its statement was issued. A
    period (a year, a range of days) gives those of each of its months."""
    if isinstance(month, Period):
        return period_rows(ctx, month)
    if is_closed(ctx.site, month):
        latest = (
            Statement.select(Statement.export_rows)
            .where((Statement.site == ctx.site) & (Statement.month == str(month)))
            .order_by(Statement.revision.desc())
            .first()
        )
        if latest is not None and latest.export_rows is not None:
            return frozen(latest.export_rows)
    return live_rows(ctx, month)


def period_rows(ctx: Context, period: Period) -> list[dict]:
    """The rows of each month the period touches (a closed one's frozen),
    only those of the period's days."""
    first, last = period.first.isoformat(), period.last.isoformat()
    found = []
    for month in period.months():
        found += [row for row in rows(ctx, month) if first <= row["date"] <= last]
    return found


def frozen(stored: str) -> list[dict]:
    """Export rows as a statement froze them, in the columns' order; rows
    frozen before schema 5 have no `entered_later`, which was 0 for every
    service then. The stored rows themselves are never changed."""
    return [
        {**{column: row[column] for column in LEGACY_COLUMNS}, "entered_later": 0} | row
        for row in json.loads(stored)
    ]


def live_rows(ctx: Context, month: Month) -> list[dict]:
    return live_rows_of(ctx.site, month)


def live_rows_of(site: Site, month: Month, columns: tuple[str, ...] = COLUMNS) -> list[dict]:
    """The month's counted services as the records give them now, in
    `columns`. The columns are read one by one: the upgrade to schema 3
    freezes rows (`LEGACY_COLUMNS`) before later columns exist."""
    fields = [
        Service.id,
        Service.at,
        Service.day,
        Service.weekday,
        Service.category,
        Service.visit,
        Service.duration_seconds,
        Service.outside_hours,
        Service.origin,
        Service.replaces,
        Staff.code,
    ]
    if "entered_later" in columns:
        fields.append(Service.entered_later)
    query = (
        Service.select(*fields)
        .join(Staff, on=(Service.staff == Staff.id))
        .where(counted_services(month, [site.id]))
        .order_by(Service.at, Service.id)
    )
    return [_row(site, s, columns) for s in query]


def _row(site: Site, s: Service, columns: tuple[str, ...]) -> dict:
    row = {
        "service": s.id,
        "site": site.code,
        "date": s.day.isoformat(),
        "time": from_utc_naive(s.at).strftime("%H:%M"),
        "weekday": s.weekday + 1,
        "category": s.category,
        "visit": s.visit_id,
        "staff": s.staff.code,
        "duration_minutes": round(s.duration_seconds / 60) if s.duration_seconds else "",
        "outside_hours": int(s.outside_hours),
        "origin": s.origin,
        "correction": int(s.replaces_id is not None),
    }
    if "entered_later" in columns:
        row["entered_later"] = int(s.entered_later)
    return row


def to_csv(records: list[dict]) -> str:
    """Semicolon-separated with a byte-order mark: opens in a spreadsheet with
    Finnish settings, where the comma is the decimal separator."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


def to_json(records: list[dict]) -> str:
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
