"""F4's `y`: the dashboard shows the year of its month instead of the month
(kela_tui/widgets/year_table.py), computed in a worker thread like the
month's figures; `[` and `]` move by year then."""

from __future__ import annotations

from functools import partial

from kela_tui import statistics
from kela_tui.controls import visible
from kela_tui.months import Month
from kela_tui.widgets.status import StatusLine
from kela_tui.widgets.year_table import YearTable


def toggle(screen) -> None:
    """Between the month and the year of the month shown."""
    screen.year_view = not screen.year_view
    year = screen.year_view
    # The month's euros too: the year's are in the table.
    for name in ("#tiles", "#money", "#dashboard"):
        screen.query_one(name).display = not year
    table = screen.query_one(YearTable)
    table.display = year
    (table.query_one("#year-table") if year else screen.query_one("#dashboard")).focus()
    screen.refresh_bindings()
    screen.load()


def move(screen, step: int) -> None:
    """The next or the previous year, from the agreement's first to the
    current one; the month kept (for `y` back) is the same month of that
    year, or the nearest one there is."""
    ctx, t = screen.app.ctx, screen.app.t
    start = ctx.point.agreement_start
    first, last = Month.of(start), Month.of(ctx.today())
    year = screen.month.year + step
    # At either end, say why nothing moves, as the month view does.
    if year < first.year:
        screen.app.notify(t("year_view.agreement_starts", day=start), markup=False)
        return
    if year > last.year:
        screen.app.notify(t("year_view.no_later_years"), markup=False)
        return
    screen.month = min(max(Month(year, screen.month.month), first), last)
    screen.load()


def load(screen) -> None:
    """Compute the year in a worker; its table waits under a loading sign."""
    t = screen.app.t
    year = screen.month.year
    screen.sub_title = t("year.title", year=year)
    screen.query_one(StatusLine).say(t("dashboard.loading"), "info")
    screen.query_one(YearTable).loading = True
    screen.run_worker(
        partial(_compute, screen, year, screen.scope, screen.shown),
        thread=True,
        exclusive=True,
        group="dashboard",
        exit_on_error=False,
    )


def _compute(screen, year: int, scope: int, wanted: tuple) -> None:
    app = screen.app
    ctx = app.ctx
    try:
        # Each worker thread has its own connection; close it when done.
        with ctx.db.connection_context():
            sites = ctx.all_sites()
            chosen = sites if scope >= len(sites) else [sites[scope]]
            stats = statistics.year_stats(
                year, chosen, ctx.today(), "all" if len(chosen) > 1 else None
            )
    except Exception as error:  # noqa: BLE001 - said on the screen, which goes on
        app.call_from_thread(app.report, error)
        app.call_from_thread(screen.changes.forget)
        app.call_from_thread(_stop_loading, screen)
        return
    app.call_from_thread(_show, screen, stats, wanted, chosen[0].name)


def _stop_loading(screen) -> None:
    screen.query_one(YearTable).loading = False


def _show(screen, stats: statistics.YearStats, wanted: tuple, name: str = "") -> None:
    # A year asked for before another, or before going back to the month.
    if screen.shown != wanted:
        return
    t = screen.app.t
    screen.year_stats = stats
    where = (
        t("dashboard.all_sites", count=len(stats.sites))
        if stats.scope == "all"
        else visible(name or stats.sites[0])
    )
    screen.query_one(StatusLine).say(
        t("year.status", year=stats.year, site=where, count=len(stats.months)), "info"
    )
    table = screen.query_one(YearTable)
    table.show(stats, t)
    table.loading = False
