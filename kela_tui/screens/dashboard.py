"""F4: the monthly dashboard. Until its charts exist it shows this month's
numbers as a table from the statistics module."""

from __future__ import annotations

from kela_tui import statistics
from kela_tui.months import Month
from kela_tui.screens.placeholder import PendingScreen


class DashboardScreen(PendingScreen):
    MESSAGE = "pending.dashboard"

    def body(self) -> str:
        ctx, t = self.app.ctx, self.app.t
        stats = statistics.month_stats(Month.of(ctx.today()), [ctx.site], ctx.today())
        return f"{statistics.as_table(stats, t)}\n\n{t(self.MESSAGE)}"
