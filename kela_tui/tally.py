"""Catching up: services given while the counter was too busy to log them,
entered afterwards from a tally of a period ("10-12: advice 3, online 2").

Each count becomes that many services, spread evenly over the period and
marked as entered later; they count in every figure like any other service.
The command line and the daily log's tally form call `enter_tally`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from fractions import Fraction

from kela_tui import text
from kela_tui.catalogue import CATEGORIES, category
from kela_tui.clock import to_local, utc, wall_time
from kela_tui.context import Context
from kela_tui.errors import BadInput, Refused
from kela_tui.i18n import Msg
from kela_tui.models import Audit, Service, Staff
from kela_tui.services import (
    FUTURE_TOLERANCE,
    acting,
    check_agreement,
    check_open_month,
    create_service,
    new_visit,
    undo,
)

# Kinds that are recorded one by one as they happen: a document needs its
# receipt number, feedback its text, and a booth session its own record.
NOT_TALLIED = ("remote", "document", "feedback")
TALLIED = tuple(c.code for c in CATEGORIES if c.code not in NOT_TALLIED)
MOST_EACH = 200
MOST_TOTAL = 500
_COUNT = re.compile(r"[0-9]{1,9}", re.ASCII)
_CLOCK = re.compile(r"([0-9]{1,2})[:.]([0-9]{2})", re.ASCII)


def parse_clock(typed: str, day: date) -> datetime:
    """A time typed as HH:MM (or H.MM) on `day`, in Finnish time, in ASCII
    digits; a time that does not exist that day (clocks going forward) is
    refused."""
    match = _CLOCK.fullmatch(typed.strip())
    try:
        if match is None:
            raise ValueError(typed)
        at = datetime.combine(day, time(int(match[1]), int(match[2])))
    except ValueError:
        raise BadInput("bad_clock_time", value=typed) from None
    return wall_time(at)


def parse_count(typed: str, code: str) -> int:
    """A count as typed in the form or on the command line: ASCII digits
    only (no sign, no `1e3`, no `1_000`, no other script's digits); empty is 0."""
    value = typed.strip()
    if not value:
        return 0
    if not _COUNT.fullmatch(value):
        raise BadInput(
            "tally_count", category=Msg(f"category.{code}"), value=typed, most=MOST_EACH
        )
    return int(value)


def parse_pairs(items: Iterable[str]) -> dict[str, int]:
    """Counts given as `advice=3 2=5` (a code or hotkey, `=`, a count)."""
    counts: dict[str, int] = {}
    for item in items:
        name, equals, number = item.partition("=")
        if not equals or not name.strip():
            raise BadInput("tally_pair", value=item)
        code = category(name).code
        if code in counts:
            raise BadInput("tally_twice", category=Msg(f"category.{code}"))
        counts[code] = parse_count(number, code)
    return counts


def check_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """The counts by service code, in the catalogue's order, without zeros.
    The kinds with register entries of their own are refused, whatever
    their count."""
    found: dict[str, int] = {}
    for name, count in counts.items():
        code = category(name).code
        if code in NOT_TALLIED:
            raise BadInput(
                "tally_not_tallied", category=Msg(f"category.{code}"), how=Msg(f"tally.how_{code}")
            )
        if code in found:
            raise BadInput("tally_twice", category=Msg(f"category.{code}"))
        if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= MOST_EACH:
            raise BadInput(
                "tally_count", category=Msg(f"category.{code}"), value=count, most=MOST_EACH
            )
        found[code] = count
    total = sum(found.values())
    if not total:
        raise BadInput("tally_empty")
    if total > MOST_TOTAL:
        raise BadInput("tally_total", most=MOST_TOTAL, total=total)
    return {code: found[code] for code in TALLIED if found.get(code)}


def check_period(ctx: Context, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """A period of one day that has passed, within the agreement. Whether its
    month is open is checked inside the write transaction."""
    start, end = to_local(start), to_local(end)
    shown = {"start": start, "end": end}
    if start.date() != end.date():
        raise BadInput("tally_one_day", **shown)
    if utc(end) <= utc(start):
        raise BadInput("tally_order", **shown)
    if utc(end) > utc(ctx.now()) + FUTURE_TOLERANCE:
        raise Refused("tally_future", end=shown["end"])
    ctx.refresh()
    check_agreement(ctx, start.date())
    return start, end


def spread(
    counts: Mapping[str, int], start: datetime, end: datetime
) -> list[tuple[str, datetime]]:
    """The moments of the services: the period cut into as many equal slots
    as there are services, each service in the middle of its slot. The kinds
    take turns, so that each is spread over the whole period too (advice 3,
    online 2: advice, online, advice, online, advice). Reckoned in UTC, so a
    night when the clocks change gives real moments."""
    order = sorted(
        (Fraction(2 * j + 1, 2 * n), rank, code)
        for rank, (code, n) in enumerate(counts.items())
        for j in range(n)
    )
    first, span, total = utc(start), utc(end) - utc(start), len(order)
    return [
        (code, to_local(first + span * (2 * i + 1) / (2 * total)).replace(microsecond=0))
        for i, (_, _, code) in enumerate(order)
    ]


def enter_tally(
    ctx: Context,
    counts: Mapping[str, int],
    start: datetime,
    end: datetime,
    *,
    one_visit: bool = False,
    staff: Staff | str | None = None,
    note: str | None = None,
    origin: str = "counter",
) -> list[Service]:
    """Enter the services of a tally for the period `start`-`end`: each its
    own visit, or all one visit (one customer) with `one_visit`. All of them
    or nothing, in one transaction; each marked as entered later, and outside
    the office's hours as any service is."""
    wanted = check_counts(counts)
    who = acting(ctx, staff)
    note = text.clean(note, Msg("field.note"), most=text.NOTE)
    start, end = check_period(ctx, start, end)
    moments = spread(wanted, start, end)
    # The audit entries are written together, in one statement: most of
    # the time of a large tally is building each INSERT.
    audits: list[dict] = []
    with ctx.writing():
        check_open_month(ctx, start.date(), new=True)
        shared = new_visit(ctx, moments[0][1], who, audits) if one_visit else None
        entered = [
            create_service(
                ctx,
                code,
                at,
                who,
                shared or new_visit(ctx, at, who, audits),
                note,
                origin,
                entered_later=True,
                audits=audits,
            )
            for code, at in moments
        ]
        Audit.insert_many(audits).execute()
        return entered


def undo_tally(
    ctx: Context, service_ids: Iterable[int], *, staff: Staff | str | None = None
) -> list[Service]:
    """Undo a tally just entered, within the grace period: all its services
    are voided with the reason "undo", or none."""
    with ctx.writing():
        return [undo(ctx, number, staff=staff) for number in service_ids]
