"""Text charts that follow the theme: a daily bar chart and an hour-of-day ×
weekday heat map."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from kela_tui.i18n import Translator

BLOCKS = " ▁▂▃▄▅▆▇█"
SHADES = "·░▒▓█"


class DailyBars(Static):
    """One column per day of the month, bars in eighths of a row."""

    HEIGHT = 7

    def show(self, per_day: dict[date, int], t: Translator) -> None:
        days = list(per_day)
        top = max(per_day.values(), default=0)
        # Two columns a day where they fit, one where the screen is narrow.
        width = 2 if self.size.width >= 5 + 2 * len(days) else 1
        rows = []
        for level in range(self.HEIGHT, 0, -1):
            cells = []
            for day in days:
                eighths = round(8 * self.HEIGHT * per_day[day] / top) if top else 0
                part = min(8, max(0, eighths - 8 * (level - 1)))
                colour = "$text-muted" if day.weekday() >= 5 else "$accent"
                cells.append(f"[{colour}]{BLOCKS[part] * width}[/]")
            label = f"{top:>4} " if level == self.HEIGHT else "     "
            rows.append(label + "".join(cells))
        marks = "".join(
            f"{d.day:<{width}}" if d.day % (5 * (3 - width)) == 1 else " " * width for d in days
        )
        rows.append("     " + marks[: width * len(days)])
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
