"""Text charts that follow the theme: a daily bar chart and an hour-of-day ×
weekday heat map."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from kela_tui.i18n import Translator

BLOCKS = " ▁▂▃▄▅▆▇█"
SHADES = "·░▒▓█"


class DailyBars(Static):
    """One column per day of the month, bars in eighths of a row: two
    characters a day where they fit, one where the space is narrow, and a
    week a column where even that does not fit. Drawn again when its width
    changes; it never wraps."""

    DEFAULT_CSS = """
        DailyBars {
            text-wrap: nowrap;
            overflow-x: hidden;
        }
    """
    HEIGHT = 7
    LABEL = 5

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.shown: dict[date, int] | None = None

    def on_resize(self) -> None:
        if self.shown is not None:
            self.show(self.shown, None)

    def show(self, per_day: dict[date, int], t: Translator | None) -> None:
        self.shown = per_day
        room = self.size.width - self.LABEL
        days = list(per_day)
        if room >= 2 * len(days):
            width, columns = 2, [[day] for day in days]
        elif room >= len(days):
            width, columns = 1, [[day] for day in days]
        else:
            # A column a week (Monday to Sunday), for a very narrow window.
            width, columns = 1, []
            for day in days:
                if not columns or day.weekday() == 0:
                    columns.append([])
                columns[-1].append(day)
        values = [sum(per_day[day] for day in column) for column in columns]
        top = max(values, default=0)
        rows = []
        for level in range(self.HEIGHT, 0, -1):
            cells = []
            for column, value in zip(columns, values, strict=True):
                eighths = round(8 * self.HEIGHT * value / top) if top else 0
                part = min(8, max(0, eighths - 8 * (level - 1)))
                weekend = len(column) == 1 and column[0].weekday() >= 5
                colour = "$text-muted" if weekend else "$accent"
                cells.append(f"[{colour}]{BLOCKS[part] * width}[/]")
            label = f"{top:>4} " if level == self.HEIGHT else " " * self.LABEL
            rows.append(label + "".join(cells))
        if len(columns) == len(days):
            every = 5 * (3 - width)
            marks = "".join(
                f"{d.day:<{width}}" if d.day % every == 1 else " " * width for d in days
            )
        else:
            marks = "▔" * len(columns)
        rows.append(" " * self.LABEL + marks[: width * len(columns)])
        self.update("\n".join(rows))


class HeatMap(Static):
    """Weekdays down, hours across; the darker, the busier."""

    def show(self, matrix: list[list[int]], t: Translator, weekdays: list[str]) -> None:
        busy_hours = [h for h in range(24) if any(matrix[d][h] for d in range(7))]
        first, last = (min(busy_hours), max(busy_hours)) if busy_hours else (8, 16)
        hours = range(min(first, 9), max(last, 14) + 1)
        top = max((max(row) for row in matrix), default=0)
        header = "     " + "".join(f"{h:>3}" for h in hours)
        lines = [header]
        for weekday, name in enumerate(weekdays):
            if weekday >= 5 and not any(matrix[weekday]):
                continue
            cells = []
            for hour in hours:
                n = matrix[weekday][hour]
                shade = SHADES[1 + min(3, 3 * n // top)] if n else SHADES[0]
                cells.append(f" [$accent]{shade * 2}[/]")
            lines.append(f"{name:<5}" + "".join(cells))
        self.update("\n".join(lines))
