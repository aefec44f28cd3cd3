"""F4's year view: the counted months of a year as columns (their short
names) and a total column; rows for the services by kind, visits, services,
documents, the booth and the compensation. A narrow window cuts the labels
first; then the table opens on the latest months and the total, and ← →
scroll the months sideways while the labels' column stays put."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from kela_tui import statistics
from kela_tui.catalogue import CODES
from kela_tui.i18n import Translator
from kela_tui.widgets.literal import Plain, cell


class YearTable(Vertical):
    DEFAULT_CSS = """
        YearTable {
            height: 1fr;
            padding: 0 1;
        }

        YearTable > DataTable {
            height: auto;
            max-height: 1fr;
        }

        YearTable > #year-empty {
            margin-top: 1;
        }
    """

    # The narrowest the labels are cut to, to leave the months more room.
    LABELS_AT_LEAST = 20

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: tuple[statistics.YearStats, Translator] | None = None

    def compose(self) -> ComposeResult:
        table = DataTable(id="year-table", cursor_type="none", zebra_stripes=True)
        # The labels stay in sight while the months scroll sideways.
        table.fixed_columns = 1
        yield table
        yield Plain("", id="year-empty")

    def show(self, stats: statistics.YearStats, t: Translator) -> None:
        """The year's figures, replacing what was shown."""
        self.shown = (stats, t)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        empty = self.query_one("#year-empty", Plain)
        empty.update(t("year.no_months") if not stats.months else "")
        empty.display = not stats.months
        table.display = bool(stats.months)
        if not stats.months:
            return
        columns, rows = statistics.year_rows(stats, t)
        # A narrow window cuts the labels (down to LABELS_AT_LEAST) before
        # the months have to scroll.
        figures = sum(
            2 + max(cell_len(name), *(cell_len(values[n]) for _, values in rows))
            for n, name in enumerate(columns)
        )
        room = self.size.width - 2 - 2 - figures
        width = max(room, self.LABELS_AT_LEAST)
        table.add_column(cell(""), key="label")
        for n, name in enumerate(columns):
            table.add_column(Text(name, justify="right"), key=f"m{n}")
        last = len(columns) - 1
        for index, (label, values) in enumerate(rows):
            # The total column and the rows that add up others are bold.
            total_row = index == len(CODES) + 1 or index == len(rows) - 2
            style = "bold" if total_row else ""
            table.add_row(
                cell(label, style, width),
                *(
                    Text(value, justify="right", style="bold" if n == last else style)
                    for n, value in enumerate(values)
                ),
            )
        # Where the months do not all fit, the latest ones and the total are
        # in sight first; ← brings the earlier ones.
        self.call_after_refresh(self._to_the_end)

    def _to_the_end(self) -> None:
        table = self.query_one(DataTable)
        table.scroll_to(x=table.max_scroll_x, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        # The labels' width follows the window's.
        if self.shown is not None:
            self.show(*self.shown)
