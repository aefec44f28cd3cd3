"""F4's year view: the counted months of a year as columns (their short
names) and a total column; rows for the services by kind, visits, services,
documents, the booth, the compensation and whether each month's statement
is issued. A narrow window cuts the labels first; then only the months that
fit are shown, whole, the latest first with the total, and ← → bring the
earlier or later months one at a time (Home the first, End the latest)
while the labels' column stays put: never a month cut in half, nor a
figure. Every change of the window's size lays the table out again."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable

from kela_tui import statistics
from kela_tui.catalogue import CODES
from kela_tui.i18n import Translator
from kela_tui.widgets.literal import Plain, cell


class YearGrid(DataTable):
    """The year's table: ← → move by whole months, not by characters."""

    BINDINGS = [
        Binding("left", "months(-1)", show=False),
        Binding("right", "months(1)", show=False),
        Binding("home", "months(-12)", show=False),
        Binding("end", "months(12)", show=False),
    ]

    def action_months(self, step: int) -> None:
        self.query_ancestor(YearTable).shift(step)


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
        # The first month in sight (an index of the year's counted months);
        # None: the latest ones.
        self.start: int | None = None
        # The months in sight: range(first, last + 1) of the counted ones.
        self.window = range(0)

    def compose(self) -> ComposeResult:
        table = YearGrid(id="year-table", cursor_type="none", zebra_stripes=True)
        # The labels stay in sight while the months move sideways.
        table.fixed_columns = 1
        yield table
        yield Plain("", id="year-empty")

    def show(self, stats: statistics.YearStats, t: Translator) -> None:
        """The year's figures, replacing what was shown: its latest months
        and the total in sight."""
        self.shown = (stats, t)
        self.start = None
        self._lay_out()

    def shift(self, step: int) -> None:
        """Bring `step` months more into sight, earlier ones if negative."""
        if self.shown is None or not self.window:
            return
        months = len(self.shown[0].months)
        start = min(max(self.window.start + step, 0), months - len(self.window))
        if start != self.window.start:
            self.start = start
            self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        # The labels' width and the months in sight follow the window's.
        if self.shown is not None:
            self._lay_out()

    def _lay_out(self) -> None:
        stats, t = self.shown
        table = self.query_one(DataTable)
        top = table.scroll_y
        table.clear(columns=True)
        empty = self.query_one("#year-empty", Plain)
        empty.update(t("year.no_months") if not stats.months else "")
        empty.display = not stats.months
        table.display = bool(stats.months)
        self.window = range(0)
        if not stats.months:
            return
        columns, rows = statistics.year_rows(stats, t)
        sizes = [
            max(cell_len(name), *(cell_len(values[n]) for _, values in rows))
            for n, name in enumerate(columns)
        ]
        pad = 2 * table.cell_padding
        labels = max(cell_len(label) for label, _ in rows)
        # The room inside the padding, less a vertical scroll bar's.
        room = self.size.width - 2 - table.styles.scrollbar_size_vertical
        months = len(columns) - 1
        self.window = window = self._months_in_sight(
            [size + pad for size in sizes[:-1]],
            room - (sizes[-1] + pad) - (min(labels, self.LABELS_AT_LEAST) + pad),
        )
        figures = sum(sizes[n] + pad for n in window) + sizes[-1] + pad
        width = max(min(labels, room - figures - pad), min(labels, self.LABELS_AT_LEAST))
        more = (window.start > 0, window.stop < months)
        heading = {(True, False): "earlier", (False, True): "later", (True, True): "both"}
        table.add_column(
            cell(t(f"year_view.{heading[more]}") if any(more) else "", "", width),
            key="label",
            width=width,
        )
        for n in [*window, months]:
            table.add_column(Text(_right(columns[n], sizes[n])), key=f"m{n}", width=sizes[n])
        for index, (label, values) in enumerate(rows):
            # The total column and the rows that add up others are bold.
            total_row = index == len(CODES) + 1 or index == len(rows) - 2
            style = "bold" if total_row else ""
            table.add_row(
                cell(label, style, width),
                *(
                    Text(_right(values[n], sizes[n]), style="bold" if n == months else style)
                    for n in [*window, months]
                ),
            )
        if top:
            self.call_after_refresh(table.scroll_to, y=top, animate=False, immediate=True)

    def _months_in_sight(self, widths: list[int], room: int) -> range:
        """As many whole months as `room` holds (one at least), from
        `self.start`, or ending on the latest."""
        count = len(widths)
        if self.start is None:
            first = count - 1
            while first > 0 and sum(widths[first - 1 :]) <= room:
                first -= 1
            return range(first, count)
        first = min(self.start, count - 1)
        last = first + 1
        while last < count and sum(widths[first : last + 1]) <= room:
            last += 1
        # Room left at the end: the earlier months fill it.
        while first > 0 and sum(widths[first - 1 : last]) <= room:
            first -= 1
        return range(first, last)


def _right(text: str, width: int) -> str:
    """`text` against the right edge of `width` columns (a DataTable's cell
    does not right-justify a Text of one line itself)."""
    return " " * max(width - cell_len(text), 0) + text
