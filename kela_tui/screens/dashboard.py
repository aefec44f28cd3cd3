"""F4: the monthly dashboard. The numbers come from the statistics module,
computed in a worker thread so the screen never freezes."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Header

from kela_tui import db as storage
from kela_tui import statistics
from kela_tui.catalogue import CATEGORIES
from kela_tui.changes import Changes
from kela_tui.controls import visible
from kela_tui.i18n import Money, Msg
from kela_tui.keys import translate_bindings
from kela_tui.months import Month
from kela_tui.screens import year_view
from kela_tui.widgets.charts import DailyBars, HeatMap
from kela_tui.widgets.footer import KelaFooter
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Plain, PlainLabel, assemble, cell, lines, literal
from kela_tui.widgets.marks import WARNING
from kela_tui.widgets.status import StatusLine
from kela_tui.widgets.year_table import YearTable

BOLD = "bold"

TILES = ("visits", "services", "documents", "booth", "feedback", "referrals")


def change(now: int, before: int | None, t) -> str:
    """ "▲ +12 (+8 %)" against the month compared with; empty without one."""
    if before is None:
        return ""
    diff = now - before
    if not diff:
        return "= 0"
    # Grouped as the figures are: "▼ -2 114", not "▼ -2114".
    text = f"{'▲ +' if diff > 0 else '▼ -'}{t.number(abs(diff))}"
    return f"{text} ({t.percent(diff / before, signed=True)})" if before else text


def rate_change(now: int, days: int, before: int, days_before: int, t) -> str:
    """ "▲ +8 %/pv": the change per open day, where the two months' days are
    not alike; empty when either has no open day."""
    if not days or not days_before:
        return ""
    rate, earlier = now / days, before / days_before
    if not earlier:
        text = "= 0" if not rate else f"▲ +{t.number(round(rate, 2))}"
    elif round(rate / earlier - 1, 2) == 0:
        text = f"= {t.percent(0)}"
    else:
        share = rate / earlier - 1
        text = f"{'▲' if share > 0 else '▼'} {t.percent(share, signed=True)}"
    return t("dashboard_month.per_day_change", change=text)


def compared(now: int, before: int | None, stats: statistics.MonthStats, t, key: str = "") -> str:
    """A figure's change against the month compared with, on the basis the
    comparison takes: the same days, or per open day; over the points
    compared (`key` names the figure, for when some point is left out)."""
    previous = stats.previous
    if before is None or previous is None:
        return ""
    days = stats.open_days
    if previous.against is not None and key:
        now, days = previous.against.figure(key), previous.against.open_days
    if previous.per_open_day:
        return rate_change(now, days, before, previous.open_days, t)
    return change(now, before, t)


class DashboardScreen(Guarded, Screen):
    DEFAULT_CSS = """
        #tiles {
            height: 5;
        }

        #money {
            height: auto;
            padding: 0 1;
        }

        .tile {
            width: 1fr;
            height: 5;
            /* Six in a row from 110 columns: each label (up to 14 columns)
               fits without padding. */
            margin: 0 0 0 1;
            padding: 0;
            border: round $primary 50%;
            content-align: center middle;
            text-align: center;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }

        /* Narrow: the tiles in two rows of three without frames, the charts
           above the tables, the whole scrolling. */
        DashboardScreen.-narrow #tiles {
            layout: grid;
            grid-size: 3 2;
            height: 6;
        }

        DashboardScreen.-narrow .tile {
            height: 3;
            margin: 0;
            border: none;
            border-right: vkey $primary 30%;
        }

        DashboardScreen.-narrow #dashboard {
            layout: vertical;
            overflow-y: auto;
        }

        DashboardScreen.-narrow #charts, DashboardScreen.-narrow #dashboard-side {
            width: 1fr;
            height: auto;
        }

        DashboardScreen.-narrow #dashboard-side {
            border-left: none;
        }

        #dashboard {
            layout: horizontal;
        }

        #charts {
            width: 1fr;
            padding: 0 1;
        }

        #dashboard-side {
            width: 70;
            padding: 0 1;
            border-left: vkey $primary 50%;
        }

        #categories {
            height: auto;
        }

        .panel {
            margin-top: 1;
        }

        #per-day, #heatmap {
            height: auto;
        }
    """
    BINDINGS = [
        Binding(
            "left_square_bracket", "month(-1)", "key.previous_month", id="kela.month.previous"
        ),
        Binding("right_square_bracket", "month(1)", "key.next_month", id="kela.month.next"),
        Binding("s", "site", "key.site", id="kela.dashboard.site"),
        # The year view (`y`): `[` and `]` move by year there.
        Binding("left_square_bracket", "year(-1)", "year.key_previous", id="kela.year.previous"),
        Binding("right_square_bracket", "year(1)", "year.key_next", id="kela.year.next"),
        Binding("y", "year_view", "year.key_year", id="kela.dashboard.year"),
    ]

    def __init__(self) -> None:
        super().__init__()
        translate_bindings(self, self.app.t)
        self.month = Month.of(self.app.ctx.today())
        self.stats: statistics.MonthStats | None = None
        # Which points are shown: one of them, or (the last choice) all together.
        self.scope = 0
        # What the figures shown were computed for (month, points, today),
        # and what was written since.
        self.shown: tuple | None = None
        self.changes = Changes()
        # How many times the figures were computed (for tests).
        self.loads = 0
        # The year of the month shown, instead of the month (`y`).
        self.year_view = False
        self.year_stats: statistics.YearStats | None = None

    def compose(self) -> ComposeResult:
        t = self.app.t
        yield Header()
        yield StatusLine()
        with Horizontal(id="tiles"):
            for name in TILES:
                yield Plain("", id=f"tile-{name}", classes="tile")
        yield Plain("", id="money")
        with ScrollableContainer(id="dashboard"):
            with Vertical(id="charts"):
                yield PlainLabel(t("dashboard.per_day"), classes="section")
                yield DailyBars(id="per-day")
                yield PlainLabel(t("dashboard.heatmap"), classes="section")
                yield HeatMap(id="heatmap")
            with Vertical(id="dashboard-side"):
                table = DataTable(id="categories", cursor_type="none", zebra_stripes=True)
                # The page scrolls as one (narrow windows), not the table.
                table.can_focus = False
                # Widths fixed from the start: measured after each month's
                # rows, the header was at times drawn at the old widths.
                labels = [t(cat.label_key) for cat in CATEGORIES]
                widths = {"category": max(map(len, labels)), "count": 7, "change": 18}
                for key, width in widths.items():
                    label = t(f"dashboard.{key}")
                    table.add_column(cell(label), key=key, width=max(width, len(label)))
                yield table
                yield Plain("", id="booth-panel", classes="panel")
                yield Plain("", id="documents-panel", classes="panel")
                yield Plain("", id="other-panel", classes="panel")
        yield YearTable(id="year")
        yield KelaFooter()

    def on_mount(self) -> None:
        self.query_one("#year").display = False
        self.query_one("#dashboard").focus()

    def on_screen_resume(self) -> None:
        # Computed again only when something was written since, or the day
        # moved on: coming back to the same figures shows them as they were.
        with storage.reading(self.app.ctx.db):
            new = self.changes.look()
        if new or new is None or self.shown != self.wanted():
            self.load(looked=True)

    def wanted(self) -> tuple:
        return (self.month, self.scope, self.app.ctx.today(), self.year_view)

    def action_month(self, step: int) -> None:
        ctx = self.app.ctx
        t = self.app.t
        target = self.month.next() if step > 0 else self.month.previous()
        start = ctx.point.agreement_start
        if target < Month.of(start):
            self.app.notify(t("dashboard_month.agreement_starts", day=start), markup=False)
        elif target > Month.of(ctx.today()):
            self.app.notify(t("dashboard_month.no_later_months"), markup=False)
        else:
            self.month = target
            self.load()

    def action_site(self) -> None:
        with storage.reading(self.app.ctx.db):
            count = len(self.app.ctx.all_sites())
        if count == 1:
            self.app.notify(self.app.t("dashboard_month.only_one_site"), markup=False)
            return
        self.scope = (self.scope + 1) % (count + 1)
        self.load()

    def action_year_view(self) -> None:
        year_view.toggle(self)

    def action_year(self, step: int) -> None:
        year_view.move(self, step)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # `[` and `]` move by month, or in the year view by year.
        if action in ("month", "year"):
            return (action == "year") == self.year_view
        return True

    def load(self, looked: bool = False) -> None:
        if not looked:
            with storage.reading(self.app.ctx.db):
                self.changes.look()
        self.shown = self.wanted()
        self.loads += 1
        t = self.app.t
        if self.year_view:
            return year_view.load(self)
        # The title keeps naming the month whose figures are shown until the
        # new month's come (`show`): never last month's figures under this
        # month's name. (Fading them instead restyles the whole screen: a
        # switch took twice as long.)
        if self.stats is None:
            self.sub_title = t("dashboard.title", month=t.month(self.month.first))
        self.query_one(StatusLine).say(t("dashboard.loading"), "info")
        self.compute(self.month, self.scope)

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def compute(self, month: Month, scope: int) -> None:
        ctx = self.app.ctx
        try:
            # Each worker thread has its own connection; close it when done.
            with ctx.db.connection_context():
                sites = ctx.all_sites()
                chosen = sites if scope >= len(sites) else [sites[scope]]
                stats = statistics.month_stats(
                    month, chosen, ctx.today(), "all" if len(chosen) > 1 else None
                )
        except Exception as error:  # noqa: BLE001 - said on the screen, which goes on
            self.app.call_from_thread(self.app.report, error)
            self.app.call_from_thread(self.changes.forget)
            return
        self.app.call_from_thread(self.show, stats, chosen[0].name)

    def show(self, stats: statistics.MonthStats, name: str = "") -> None:
        """Show the figures; `name` is the point's when one is shown."""
        if stats.month != self.month or self.year_view:
            return
        self.stats = stats
        t = self.app.t
        self.sub_title = t("dashboard.title", month=t.month(stats.month.first))
        self.query_one(StatusLine).say(self.compared_with(stats, name), "info")
        shown = stats.headline()
        before = stats.previous
        for tile, figure in (
            ("visits", "visits"),
            ("services", "services"),
            ("documents", "documents"),
            ("booth", "booth_sessions"),
            ("feedback", "feedback"),
            ("referrals", "referrals"),
        ):
            value = getattr(shown, figure)
            earlier = getattr(before, figure) if before else None
            self.query_one(f"#tile-{tile}", Plain).update(
                lines(
                    t(f"dashboard.tile_{tile}"),
                    literal(t.number(value), BOLD),
                    # Every tile says its change, or that there is none.
                    compared(value, earlier, stats, t, figure)
                    or t("dashboard_month.no_comparison"),
                )
            )
        self.show_money(stats)
        table = self.query_one("#categories", DataTable)
        table.clear()
        for cat in CATEGORIES:
            n = stats.by_category[cat.code]
            earlier = before.by_category[cat.code] if before else None
            table.add_row(
                cell(t(cat.label_key)),
                cell(t.number(n)),
                cell(compared(n, earlier, stats, t, cat.code) or "–"),
            )
        self.query_one(DailyBars).show(stats.per_day, t)
        weekdays = [t.weekday(n) for n in range(7)]
        self.query_one(HeatMap).show(stats.by_weekday_hour, t, weekdays)
        self.show_panels(stats)

    def show_money(self, stats: statistics.MonthStats) -> None:
        """The month's compensation, the year's and the agreement's to date:
        on one line where it fits, else on two or three (never broken
        inside an amount)."""
        t = self.app.t
        money = stats.money
        shown = self.query_one("#money", Plain)
        if money is None:
            shown.update("")
            return
        parts = [
            t("dashboard_month.money_month", amount=Money(money.month)),
            t("dashboard_month.money_year", amount=Money(money.year_to_date)),
            t("dashboard_month.money_agreement", amount=Money(money.agreement_to_date)),
        ]
        # As many parts a line as fit (the padding takes two columns).
        width = self.size.width - 2
        rows = [parts[0]]
        for part in parts[1:]:
            if len(rows[-1]) + 3 + len(part) <= width:
                rows[-1] += f" · {part}"
            else:
                rows.append(part)
        shown.update("\n".join(rows))

    def on_resize(self) -> None:
        if self.stats is not None:
            self.show_money(self.stats)

    def compared_with(self, stats: statistics.MonthStats, name: str = "") -> str:
        """The month, the points by name, and what the month is compared
        with: the same days, per open day, or the whole previous month."""
        t = self.app.t
        where = (
            t("dashboard.all_sites", count=len(stats.sites))
            if stats.scope == "all"
            else visible(name or stats.sites[0])
        )
        parts = [t("dashboard.month", month=t.month(stats.month.first)), where]
        shown, before = stats.headline(), stats.previous
        points = len(stats.sites)
        if before and before.against is not None:
            shown, points = before.against, before.sites
        days_key = "month_like.point_days" if points > 1 else "dashboard_month.open_days"
        if before and before.per_open_day:
            parts.append(
                t(
                    "dashboard_month.per_open_day",
                    shown=t.days(shown.first, shown.last),
                    shown_days=Msg(days_key, count=shown.open_days),
                    compared=t.days(before.first, before.last),
                    compared_days=Msg(days_key, count=before.open_days),
                )
            )
        elif before and (before.partial or shown.partial):
            parts.append(
                t(
                    "dashboard_month.same_days",
                    shown=t.days(shown.first, shown.last),
                    compared=t.days(before.first, before.last),
                )
            )
        elif before:
            parts.append(t("dashboard.compared", month=t.month(before.month.first)))
        elif shown.partial:
            parts.append(
                t(
                    "month_like.partial_points" if points > 1 else "dashboard_month.partial",
                    days=t.days(shown.first, shown.last),
                    count=shown.open_days,
                )
            )
        left_out = before or stats.year_ago
        if left_out and left_out.sites < left_out.of_sites:
            parts.append(
                t("month_like.compared_sites", count=left_out.sites, of=left_out.of_sites)
            )
        year_ago = stats.year_ago
        if year_ago and (year_ago.partial or shown.partial):
            days = t.days(year_ago.first, year_ago.last, year=True)
            parts.append(t("dashboard_month.year_ago_days", days=days, count=year_ago.services))
        elif year_ago:
            parts.append(t("dashboard.year_ago", count=year_ago.services))
        return " · ".join(parts)

    def show_panels(self, stats: statistics.MonthStats) -> None:
        t = self.app.t
        booth_info = stats.booth
        utilisation = booth_info.get("utilisation")
        rows = [
            literal(t("dashboard.booth"), BOLD),
            t(
                "dashboard.booth_line",
                count=booth_info["sessions"],
                minutes=booth_info["minutes"],
            ),
        ]
        if utilisation is not None:
            rows.append(
                t(
                    "dashboard.utilisation",
                    share=t.percent(float(utilisation)),
                    hours=t.number(booth_info["kela_minutes"] // 60),
                )
            )
        others = [
            f"{t(f'booth.outcome_{o}')} {n}"
            for o, n in booth_info["outcomes"].items()
            if n and o != "completed"
        ]
        if others:
            rows.append(", ".join(others))
        self.query_one("#booth-panel", Plain).update(lines(*rows))

        docs = stats.documents
        # On time among those whose day to be forwarded has come: forwarded or
        # overdue (one received this morning and due tomorrow is neither late
        # nor on time yet).
        due = docs["forwarded"] + docs["overdue"]
        on_time = t.percent(docs["on_time"] / due) if due else "–"
        overdue = t("dashboard.overdue", count=docs["overdue"])
        self.query_one("#documents-panel", Plain).update(
            lines(
                literal(t("dashboard.documents"), BOLD),
                t(
                    "dashboard.documents_line",
                    received=docs["received"],
                    forwarded=docs["forwarded"],
                    on_time=on_time,
                ),
                literal(f"{WARNING} {overdue}", "$text-error") if docs["overdue"] else overdue,
            )
        )

        kinds = ", ".join(
            f"{t(f'feedback.kind_{k}')} {t.number(n)}"
            for k, n in stats.feedback_by_kind.items()
            if n
        )
        staff = ", ".join(f"{name} {t.number(n)}" for name, n in stats.by_staff.items())
        self.query_one("#other-panel", Plain).update(
            lines(
                assemble(
                    (t("dashboard.feedback"), BOLD),
                    f" {t.number(stats.feedback)}" + (f" ({kinds})" if kinds else ""),
                ),
                assemble((t("dashboard.referrals"), BOLD), f" {t.number(stats.referrals)}"),
                assemble((t("dashboard.by_staff"), BOLD), f" {staff or '–'}"),
            )
        )
