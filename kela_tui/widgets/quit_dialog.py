"""Quitting with something in progress asks first, naming what it is: a
booth session not yet ended, or a form or dialog with something typed into it
and not saved. With nothing in progress the program quits at once."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen, SystemModalScreen
from textual.widgets import Label

from kela_tui import booth
from kela_tui.clock import from_utc_naive
from kela_tui.keys import translate_bindings
from kela_tui.widgets.guarded import Guarded
from kela_tui.widgets.literal import Field, Plain, PlainLabel


class QuitDialog(Guarded, ModalScreen):
    """`enter` or yes (y, k for kyllä, j for ja) quits; `escape` or no (n, e
    for ei) stays."""

    BINDINGS = [
        Binding("enter,y,k,j", "confirm", "key.quit", priority=True),
        Binding("escape,n,e", "stay", "quit.stay"),
    ]

    def __init__(self, still_open: list[str]) -> None:
        super().__init__()
        self.still_open = still_open
        translate_bindings(self, self.app.t)

    def compose(self) -> ComposeResult:
        t = self.app.t
        with Vertical(classes="dialog", id="quit-dialog"):
            yield PlainLabel(t("quit.title"), classes="dialog-title")
            for line in self.still_open:
                yield Plain(line, classes="quit-open")
            yield Plain(t("quit.hint"), classes="form-hint")

    def action_confirm(self) -> None:
        self.app.exit()

    def action_stay(self) -> None:
        self.dismiss(None)


def what_is_open(app: App) -> list[str]:
    """What quitting now would leave, one sentence each: the booth sessions in
    progress at this point (on any screen or workstation; they are kept) and
    the forms and dialogs open on any screen with something typed into them
    (what they hold is lost); a dialog only looked at or chosen in is not."""
    t, ctx = app.t, app.ctx
    said = []
    try:
        sessions = booth.open_sessions(ctx)
    except Exception:  # noqa: BLE001 - a database out of reach never keeps the program open
        sessions = []
    for session in sessions:
        since = from_utc_naive(session.at)
        state = t(f"booth.state_{session.state}").lower()
        if since.date() == ctx.today():
            said.append(t("quit.session", booth=session.booth, time=t.time(since), state=state))
        else:
            said.append(
                t(
                    "quit.session_earlier",
                    booth=session.booth,
                    day=since.date(),
                    time=t.time(since),
                    state=state,
                )
            )
    if sessions:
        said.append(t("quit.session_kept"))
    for dialog in open_dialogs(app):
        if any(field.typed for field in dialog.query(Field)):
            said.append(t("quit.form", title=_title(dialog)))
    return said


def open_dialogs(app: App) -> list[Screen]:
    """The forms and dialogs open on every screen (F2 to F6 each keep their
    own), not Textual's own (the command palette) nor this dialog."""
    # Textual gives the screens of the current mode only; the others wait in
    # their own stacks.
    stacks = app._screen_stacks.values()
    return [
        screen
        for stack in stacks
        for screen in stack
        if isinstance(screen, ModalScreen)
        and not isinstance(screen, SystemModalScreen | QuitDialog)
    ]


def _title(dialog: Screen) -> str:
    try:
        return str(dialog.query(".dialog-title").first(Label).content)
    except NoMatches:
        return type(dialog).__name__
