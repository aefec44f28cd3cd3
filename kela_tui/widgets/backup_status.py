"""The day's backup in F2's side panel: when the last copy was taken, or
why today's failed (the reason shown literally, as the system said it)."""

from __future__ import annotations

from textual.content import Content

from kela_tui import backups
from kela_tui.i18n import Translator
from kela_tui.widgets.literal import Plain, lines, literal
from kela_tui.widgets.marks import ERROR


class BackupStatus(Plain):
    """Shown under the side panel's lines (above where a notification
    appears, in the window's corner) once the program has a backup to
    speak of (a SQLite database with daily backups on)."""

    DEFAULT_CSS = """
    BackupStatus {
        height: auto;
        margin-top: 1;
        display: none;
    }
    """

    def on_mount(self) -> None:
        self.app.backup_signal.subscribe(self, self.show)
        self.show(self.app.backup)

    def show(self, outcome: backups.Outcome | None) -> None:
        if outcome is None:
            self.display = False
            return
        self.update(describe(self.app.t, outcome))
        self.display = True


def describe(t: Translator, outcome: backups.Outcome) -> Content:
    """The backup's state in words; a failure in the error colour and with
    the warning symbol (never by its colour alone), with the last copy there is."""
    if outcome.state == backups.RUNNING:
        return literal(t("backup.side_running"), "$text-muted")
    if outcome.state in (backups.MADE, backups.EXISTS):
        return literal(t("backup.side_made", at=backups.when(t, outcome.at)))
    if outcome.state == backups.BUSY:
        first = literal(t("backup.side_busy"))
    else:
        first = failure(t, outcome)
    last = (
        t("backup.side_last", at=backups.when(t, outcome.last))
        if outcome.last is not None
        else t("backup.side_none")
    )
    return lines(first, last)


def failure(t: Translator, outcome: backups.Outcome) -> Content:
    problem = outcome.problem if outcome.problem is not None else ""
    return literal(f"{ERROR} {t('backup.side_failed', problem=problem)}", "$text-error")


class BackupSummary(Plain):
    """A failed backup under the line that stands for the side panel where
    it is folded away (a narrow window): shown until the next day's copy,
    after the notification has gone."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    BackupSummary {
        display: none;
        height: auto;
        padding: 0 1;
    }
    DailyLogScreen.-narrow BackupSummary.-failed,
    DailyLogScreen.-wide.-side-hidden BackupSummary.-failed {
        display: block;
    }
    DailyLogScreen.-narrow.-side-shown BackupSummary {
        display: none;
    }
    """

    def on_mount(self) -> None:
        self.app.backup_signal.subscribe(self, self.show)
        self.show(self.app.backup)

    def show(self, outcome: backups.Outcome | None) -> None:
        failed = outcome is not None and outcome.state == backups.FAILED
        self.set_class(failed, "-failed")
        if failed:
            self.update(failure(self.app.t, outcome))
