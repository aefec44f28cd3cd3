"""The daily log's side panel: the day's counts, what waits to go to Kela."""

from __future__ import annotations

from datetime import date, datetime

from textual.markup import escape
from textual.widgets import Static

from kela_tui.booth import BoothStatus
from kela_tui.catalogue import CATEGORIES
from kela_tui.clock import from_utc_naive
from kela_tui.i18n import Translator
from kela_tui.models import BoothBooking, Document, Feedback

SHOWN_WAITING = 6
LABEL = 33


class SidePanel(Static):
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
        lines = [
            f"[b]{t(heading, day=t.date(day, 'full'))}[/b]",
            t("log.on_duty", staff=escape(staff_name)),
            "",
        ]
        for cat in CATEGORIES:
            n = counts.get(cat.code, 0)
            lines.append(f"{cat.hotkey}  {t(cat.label_key)[:LABEL]:<{LABEL}} {n:>3}")
        lines += ["", t("log.totals", visits=visits, services=sum(counts.values())), ""]
        overdue = [d for d in waiting if d.deadline < today]
        lines.append(f"[b]{t('log.waiting', count=len(waiting))}[/b]")
        if overdue:
            lines.append(f"[$text-error]{t('log.overdue', count=len(overdue))}[/]")
        for document in waiting[:SHOWN_WAITING]:
            line = f"  {document.receipt}  {t('forward.due', day=t.date(document.deadline))}"
            lines.append(f"[$text-error]{line}[/]" if document.deadline < today else line)
        if len(waiting) > SHOWN_WAITING:
            lines.append(f"  {t('log.more', count=len(waiting) - SHOWN_WAITING)}")
        lines.append(t("log.feedback_waiting", count=len(feedback)))
        lines.append("")
        for state in booths:
            lines.append(
                t("booth.side_state", booth=state.booth, state=t(f"booth.state_{state.state}"))
            )
        if upcoming is None:
            lines.append(t("booth.no_bookings"))
        else:
            at = from_utc_naive(upcoming.at)
            lines.append(
                t(
                    "booth.side_next",
                    day=t.date(at.date()),
                    time=t.time(at),
                    wait=t.duration(at - now),
                )
            )
        self.update("\n".join(lines))
