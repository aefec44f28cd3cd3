"""The tally form of the daily log (`t`): services given while the counter
was too busy to log them, entered afterwards as counts for a period."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import NamedTuple

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Checkbox

from kela_tui import tally, text
from kela_tui.catalogue import category
from kela_tui.models import Service
from kela_tui.widgets.forms import Form
from kela_tui.widgets.literal import Field, Plain, PlainLabel
from kela_tui.widgets.ticks import TickBox


class Entered(NamedTuple):
    """What the form gives back: the services stored, and the period typed."""

    services: list[Service]
    start: datetime
    end: datetime


# Long enough that a count typed too big is refused with a message, not cut.
COUNT_WIDTH = 6


class TallyForm(Form):
    """A period of `day` and a count for each kind of service that may be
    tallied; `enter` stores them all, or none."""

    TITLE = "tally.title"
    DEFAULT_CSS = """
        TallyForm .tally-row {
            height: 1;
        }

        TallyForm .tally-row Input {
            margin-bottom: 0;
            /* An empty count shows where to type it. */
            background: $boost;
        }

        TallyForm .tally-label {
            /* The longest kind's name and its hotkey (English). */
            width: 38;
        }

        TallyForm .tally-time {
            width: 7;
        }

        TallyForm .tally-count {
            width: 8;
        }

        TallyForm .tally-row #note {
            width: 1fr;
        }

        TallyForm .tally-row Checkbox {
            width: auto;
            height: 1;
        }

        TallyForm .tally-gap {
            width: 3;
            content-align: center middle;
        }
    """

    def __init__(self, day: date) -> None:
        super().__init__()
        self.day = day

    def fields(self) -> ComposeResult:
        t = self.t
        start, end = default_period(self.ctx, self.day, t)
        yield PlainLabel(t("tally.day", day=t.date(self.day, "full")))
        with Horizontal(classes="tally-row"):
            yield PlainLabel(t("tally.period"), classes="tally-label")
            yield Field(value=start, id="from", max_length=5, compact=True, classes="tally-time")
            yield PlainLabel("–", classes="tally-gap")
            yield Field(value=end, id="to", max_length=5, compact=True, classes="tally-time")
        for code in tally.TALLIED:
            with Horizontal(classes="tally-row"):
                label = f"{category(code).hotkey}  {t(f'category.{code}')}"
                yield PlainLabel(label, classes="tally-label")
                yield Field(
                    id=f"count-{code}",
                    placeholder="0",
                    max_length=COUNT_WIDTH,
                    compact=True,
                    classes="tally-count",
                )
        with Horizontal(classes="tally-row"):
            # Space ticks it; enter saves the form as everywhere. The whole
            # row is its own, so that it fits beside nothing at 80 columns.
            said = f"{t('tally.one_visit')}: {t('tally.one_visit_box')}"
            yield TickBox(Content(said), id="one-visit", compact=True)
        with Horizontal(classes="tally-row"):
            yield PlainLabel(t("tally.note"), classes="tally-label")
            yield Field(id="note", max_length=text.NOTE, compact=True)
        yield Plain(t("tally.explain"), classes="form-hint")

    def action_save(self) -> None:
        super().action_save()
        # In a small window the form scrolls: a refusal below the fold is
        # brought into view.
        if self.is_attached and self.query("#form-error"):
            error = self.query_one("#form-error")
            # Once the message has its height.
            self.call_after_refresh(error.scroll_visible, animate=False)

    def submit(self):
        start = tally.parse_clock(self.value("from"), self.day)
        end = tally.parse_clock(self.value("to"), self.day)
        counts = {
            code: tally.parse_count(self.value(f"count-{code}"), code) for code in tally.TALLIED
        }
        entered = tally.enter_tally(
            self.ctx,
            counts,
            start,
            end,
            one_visit=self.query_one("#one-visit", Checkbox).value,
            note=self.value("note"),
        )
        return Entered(entered, start, end)


def default_period(ctx, day: date, t) -> tuple[str, str]:
    """The period the form offers: today, the last full hour up to now; an
    earlier day, its opening hours (empty on a closed day). Written as the
    language writes a time (9.00, 09:00), which the field takes as well."""
    if day == ctx.today():
        now = ctx.now()
        start = max(now.replace(minute=0) - timedelta(hours=1), now.replace(hour=0, minute=0))
        return t.time(start), t.time(now)
    hours = ctx.calendar.office_hours_on(day)
    if not hours:
        return "", ""
    opens = min(start for start, _ in hours)
    closes = max(end for _, end in hours)
    return t.time(opens), t.time(closes)
