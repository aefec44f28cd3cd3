"""The daily log's side panel: the day's counts, what waits to go to Kela."""

from __future__ import annotations

from datetime import date, datetime

from kela_tui.booth import BoothStatus
from kela_tui.catalogue import CATEGORIES
from kela_tui.clock import from_utc_naive, utc
from kela_tui.i18n import Translator
from kela_tui.models import BoothBooking, Document, Feedback
from kela_tui.widgets import marks
from kela_tui.widgets.literal import Plain, assemble, lines, literal
from kela_tui.widgets.marks import WARNING

SHOWN_WAITING = 6
LABEL = 30


BOLD = "bold"
ERROR = "$text-error"
NBSP = "\u00a0"


class SidePanel(Plain):
    def show(
        self,
        t: Translator,
        day: date,
        today: date,
        staff_name: str,
        counts: dict[str, int],
        visits: int,
        waiting: list[Document],
        feedback: list[Feedback],
        booths: list[BoothStatus],
        upcoming: BoothBooking | None,
        now: datetime,
    ) -> None:
        heading = "log.today" if day == today else "log.day"
        rows = [
            literal(t(heading, day=t.date(day, "full")), BOLD),
            t("log.on_duty", staff=staff_name),
            "",
        ]
        for cat in CATEGORIES:
            n = counts.get(cat.code, 0)
            label = t(cat.label_key)
            # A name too long for the column ends in … rather than mid-word.
            label = label if len(label) <= LABEL else label[: LABEL - 1] + "…"
            rows.append(f"{cat.hotkey}  {label:<{LABEL}} {n:>3}")
        rows += ["", t("log.totals", visits=visits, services=sum(counts.values())), ""]
        overdue = [d for d in waiting if d.deadline < today]
        rows.append(literal(t("log.waiting", count=len(waiting)), BOLD))
        if overdue:
            rows.append(literal(f"{WARNING} {t('log.overdue', count=len(overdue))}", ERROR))
        for document in waiting[:SHOWN_WAITING]:
            # An overdue one is marked with a symbol as well as the colour.
            late = document.deadline < today
            due = marks.due(t, document.deadline, today)
            # (a no-break space keeps the receipts in line: leading spaces go)
            line = f"{WARNING if late else NBSP} {document.receipt}  {due}"
            rows.append(literal(line, ERROR) if late else line)
        if len(waiting) > SHOWN_WAITING:
            rows.append(f"  {t('log.more', count=len(waiting) - SHOWN_WAITING)}")
        rows.append(t("log.feedback_waiting", count=len(feedback)))
        rows.append("")
        for state in booths:
            rows.append(booth_line(t, state))
        if upcoming is None:
            rows.append(t("booth.no_bookings"))
        else:
            at = from_utc_naive(upcoming.at)
            rows.append(
                t(
                    "booth.side_next",
                    day=t.date(at.date()),
                    time=t.time(at),
                    wait=t.countdown(utc(at) - utc(now)),
                )
            )
        self.update(lines(*rows))


def booth_line(t: Translator, state: BoothStatus):
    """A booth's state; a session left open after its day is said so, in the
    warning colour and in words."""
    if state.left_open:
        started = state.session_started
        return assemble(
            (
                WARNING
                + " "
                + t(
                    "booth.side_left_open",
                    booth=state.booth,
                    day=t.date(started.date()),
                    time=t.time(started),
                ),
                "$text-warning",
            )
        )
    return t("booth.side_state", booth=state.booth, state=t(f"booth.state_{state.state}"))


def summary(
    t: Translator,
    day: date,
    today: date,
    counts: dict[str, int],
    visits: int,
    waiting: list[Document],
    booths: list[BoothStatus],
):
    """The side panel in one line, for a window too narrow to show it: the
    day shown, its totals, what waits (overdue in the error colour) and the booths."""
    overdue = sum(1 for d in waiting if d.deadline < today)
    heading = "log.today" if day == today else "log.day"
    parts: list = [(t(heading, day=t.date(day)), BOLD), " · "]
    parts += [t("log.totals", visits=visits, services=sum(counts.values())), " · "]
    parts.append(t("log.waiting", count=len(waiting)))
    if overdue:
        parts += [", ", (f"{WARNING} {t('log.overdue', count=overdue)}", ERROR)]
    for state in booths:
        parts += [" · ", booth_line(t, state)]
    parts += [" · ", (t("layout.show_side"), "$text-muted")]
    return assemble(*parts)
