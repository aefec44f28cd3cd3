"""The App: screens on function keys, the command palette, the staff on duty,
keys taken in the order they were typed, and errors that never end it."""

from __future__ import annotations

import asyncio
import codecs
import dataclasses
import gc
import sys
from collections import deque
from collections.abc import Callable, Iterable
from functools import partial
from importlib import import_module
from pathlib import Path

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input

from kela_tui import db as storage
from kela_tui import errorlog
from kela_tui.context import Context
from kela_tui.controls import visible
from kela_tui.errors import KelaError
from kela_tui.i18n import Translator
from kela_tui.keys import key_name, translate_bindings, translate_textual
from kela_tui.screens.daily_log import DIALOGS, DailyLogScreen
from kela_tui.themes import own_themes
from kela_tui.widgets import cursor, marks
from kela_tui.widgets.footer import HORIZONTAL_BREAKPOINTS
from kela_tui.widgets.guarded import Guarded

SCREENS = (
    ("log", "f2", "screen.log"),
    ("booth", "f3", "screen.booth"),
    ("dashboard", "f4", "screen.dashboard"),
    ("statement", "f5", "screen.statement"),
    ("settings", "f6", "screen.settings"),
)
# A key whose way through the screens never ends (a widget that stopped) is
# let go after this long, so that the keys after it are not held for ever.
KEY_TIMEOUT = 2.0
# How many turns of the event loop a key may take to settle before the next
# one is taken anyway (a widget animating keeps its queue busy for ever).
SETTLE_TURNS = 2000


def lower_animation(current: str, configured: str) -> str:
    """The lower of two animation levels (full, basic, none)."""
    from kela_tui.config import ANIMATIONS

    return max(current, configured, key=ANIMATIONS.index)


def _printable(event: events.Event) -> bool:
    return isinstance(event, events.Key) and event.is_printable


def _replacing_decoder(encoding: str):
    return partial(codecs.getincrementaldecoder(encoding), errors="replace")


def _screen(module: str, name: str) -> Screen:
    return getattr(import_module(f"kela_tui.screens.{module}"), name)()


class KelaApp(Guarded, App):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "kela-tui"
    # The home screen is imported with the app; the others when first opened,
    # which keeps start-up short.
    MODES = {
        "log": DailyLogScreen,
        "booth": lambda: _screen("booth", "BoothScreen"),
        "dashboard": lambda: _screen("dashboard", "DashboardScreen"),
        "statement": lambda: _screen("statement", "StatementScreen"),
        "settings": lambda: _screen("settings", "SettingsScreen"),
    }
    DEFAULT_MODE = "log"
    HORIZONTAL_BREAKPOINTS = HORIZONTAL_BREAKPOINTS
    BINDINGS = [
        Binding("f1", "toggle_help", "key.help", id="kela.help"),
        *(
            Binding(key, f"switch_mode('{mode}')", label, id=f"kela.screen.{mode}")
            for mode, key, label in SCREENS
        ),
        Binding("ctrl+q", "quit", "key.quit", priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True),
    ]

    def __init__(self, ctx: Context, t: Translator, *, strict: bool = False) -> None:
        """`strict` (for tests) lets an unexpected error end the app as Textual
        does, so that a test cannot pass over one."""
        super().__init__()
        self.ctx = ctx
        # Errors are worded the TUI's way (keys, not commands).
        self.t = t.for_tui()
        self.strict = strict
        # Whether the garbage collector waits for the first frame (cli.main).
        self.collect_after_start = False
        self._keys: deque[events.Key] = deque()
        self._key_busy = False
        # Keys wait while the home screen reads its day, after the first frame.
        self._held = False
        self._key_number = 0  # keys taken since the start
        self._flight = 0  # the key (or characters typed ahead) being handled
        self._key_timer = None
        translate_bindings(self, self.t)
        self.title = self.t("app.title")
        self.show_staff()
        for theme in own_themes():
            self.register_theme(theme)
        # The workstation's file may turn animations down; TEXTUAL_ANIMATIONS
        # may too, and the lower of the two holds.
        self.animation_level = lower_animation(self.animation_level, ctx.config.animations)
        # The day's backup (backups.py): its outcome once known, the day it
        # was last tried, and the signal F2's side panel shows it by.
        self.backup = None
        self.backup_tried = None
        self.backup_signal: Signal = Signal(self, "backup")

    def on_mount(self) -> None:
        if self.ctx.config.terminal_cursor and self._driver is not None and not self.is_headless:
            # Textual's driver hides the terminal's cursor; _display puts it
            # on the focused row or field.
            self._driver.write(cursor.SHOW)
            self._driver.flush()
        if self.ctx.config.theme:
            self.theme = self.ctx.config.theme
        # A theme chosen from the palette is kept in the workstation's file.
        self.theme_changed_signal.subscribe(self, self.keep_theme)
        self.set_interval(30, self.take_up_changes)
        # A program left running overnight makes the new day's backup too.
        self.set_interval(60, self.start_backup)
        # What the start found worth saying (settings in the configuration
        # file that are no longer read): a warning that stays a while.
        for notice in self.ctx.notices:
            self.notify(
                self.t(notice.key, **notice.params), severity="warning", markup=False, timeout=30
            )

    def _display(self, screen: Screen, renderable) -> None:
        # Before every frame the terminal's cursor goes to the focused row or
        # field (Textual moves it to app.cursor_position after the frame).
        if self.ctx.config.terminal_cursor:
            offset = cursor.focus_offset(self.focused)
            if offset is None:
                offset = cursor.dialog_offset(screen)
            if offset is not None:
                self.cursor_position = offset
        super()._display(screen, renderable)

    def notify(self, message: str, *, severity: str = "information", **kwargs) -> None:
        # A warning or an error begins with its symbol as well as its colour.
        super().notify(marks.marked(message, severity), severity=severity, **kwargs)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A text field's cursor blinks unless animations are off.
        if isinstance(event.widget, Input) and self.animation_level == "none":
            event.widget.cursor_blink = False

    def on_ready(self) -> None:
        if self.collect_after_start:
            # The garbage collector was kept out of start-up (cli.main): what
            # start-up made lives as long as the program, and is set aside
            # for good rather than gone through at every collection.
            gc.freeze()
            gc.enable()
            self.collect_after_start = False
        # Once the first frame is drawn, what the other screens need is made
        # ready while nobody waits for it, and the day's backup is made.
        self.warm_up()
        self.start_backup()

    @work(thread=True, exclusive=True, group="warm-up", exit_on_error=False)
    def warm_up(self) -> None:
        """Import the daily log's dialogs and the other screens, and read
        this year's public holidays (the holidays package imports every
        country's rules: 0.2 s), in the background once the first frame is
        drawn; the first opening of a screen or a dialog paid for each."""
        screens = (f"kela_tui.screens.{m}" for m in ("booth", "dashboard", "statement"))
        for module in (*DIALOGS, *screens):
            import_module(module)
        self.ctx.calendar.holiday(self.ctx.today())

    def start_backup(self) -> None:
        """Today's backup of a SQLite database, in a worker that never blocks
        the counter: at the first start of the day, when the day changes, and
        again while another program was making it."""
        from kela_tui import backups

        if not backups.wanted(self.ctx, self.backup, self.backup_tried):
            return
        self.backup_tried = self.ctx.today()
        self.show_backup(backups.Outcome(backups.RUNNING))
        self.make_backup()

    @work(thread=True, exclusive=True, group="backup", exit_on_error=False)
    def make_backup(self) -> None:
        from kela_tui import backups

        self.call_from_thread(self.backup_made, backups.daily(self.ctx))

    def backup_made(self, outcome) -> None:
        """A failed backup is shown, not hidden: in F2's side panel, for a
        while on every screen, and in the error log."""
        from kela_tui import backups

        self.show_backup(outcome)
        if outcome.state == backups.FAILED:
            errorlog.write(outcome.error)
            message = self.t("backup.side_failed", problem=outcome.problem)
            self.notify(message, severity="error", markup=False, timeout=30)

    def show_backup(self, outcome) -> None:
        self.backup = outcome
        self.backup_signal.publish(outcome)

    def keep_theme(self, theme) -> None:
        from kela_tui import config as configuration

        path = self.ctx.config.path
        if path is None or theme.name == (self.ctx.config.theme or "textual-dark"):
            return
        try:
            configuration.save_theme(path, theme.name)
        except KelaError as error:
            problem = error.params.get("problem", "")
            message = self.t(
                "palette.theme_not_saved", theme=theme.name, path=path, problem=problem
            )
            self.notify(message, severity="warning", markup=False)
            return
        self.ctx.config = dataclasses.replace(self.ctx.config, theme=theme.name)
        self.notify(self.t("palette.theme_saved", theme=theme.name, path=path), markup=False)

    def get_driver_class(self):
        driver = super().get_driver_class()
        if driver.__module__ == "textual.drivers.linux_driver":
            # A terminal that is not in UTF-8 sends "ä" as one byte that is
            # not UTF-8; Textual's input thread would end the program on it.
            # Such a byte becomes U+FFFD instead, and the field shows it.
            import textual.drivers.linux_driver as linux

            linux.getincrementaldecoder = _replacing_decoder
        return driver

    def show_staff(self) -> None:
        self.sub_title = self.t(
            "app.subtitle", site=self.ctx.point.name, staff=self.ctx.staff.name
        )

    def format_title(self, title: str, sub_title: str) -> Content:
        # The site's and the staff member's names are in the subtitle.
        return super().format_title(visible(title), visible(sub_title))

    def set_staff(self, code: str) -> None:
        self.ctx.staff = self.ctx.staff_member(code)
        self.show_staff()

    async def action_switch_mode(self, mode: str) -> None:
        # The screen about to be shown is built from what the database has
        # now; its own key shows the screen anew.
        if mode == self.current_mode:
            self.take_up_changes(show=False)
            resume = getattr(self.screen, "on_screen_resume", None)
            if resume is not None and not self.screen.is_modal:
                resume()
            return
        self.take_up_changes(show=False)
        self.switch_mode(mode)

    def take_up_changes(self, show: bool = True) -> None:
        """What another workstation (or F6) changed: the point's settings, and
        the staff member on duty renamed or gone. Run every half minute and
        whenever a screen comes back; a write takes up the settings itself,
        inside its transaction."""
        from kela_tui.context import first_on_duty
        from kela_tui.models import Staff

        ctx = self.ctx
        changed = ctx.refresh()
        member = Staff.get_or_none(Staff.id == ctx.staff.id)
        if member is not None and not member.active:
            successor = first_on_duty(ctx.site)
            if successor is not None and successor.active:
                self.notify(
                    self.t("app.staff_replaced", left=member.name, staff=successor.name),
                    severity="warning",
                    markup=False,
                    timeout=15,
                )
                member = successor
        if member is not None and (member.id, member.name, member.active) != (
            ctx.staff.id,
            ctx.staff.name,
            ctx.staff.active,
        ):
            ctx.staff, changed = member, True
        if changed:
            self.show_staff()
        if changed and show:
            # The screen shows the settings anew; a form open on top of it
            # checks them when it saves.
            resume = getattr(self.screen, "on_screen_resume", None)
            if resume is not None and not self.screen.is_modal:
                resume()

    async def action_quit(self) -> None:
        """Quit at once, unless a booth session is in progress or a form is
        open: then a dialog names what is open and asks first."""
        from kela_tui.widgets.quit_dialog import QuitDialog, what_is_open

        if isinstance(self.screen, QuitDialog):
            return
        still_open = what_is_open(self)
        if still_open:
            self.push_screen(QuitDialog(still_open))
        else:
            self.exit()

    # Textual's own words in the chosen language

    def _register_child(self, parent, child, before, after) -> None:
        # Every screen and widget, Textual's own too (the palette, the fields,
        # the tables), shows its keys in F1 and the footer in the chosen
        # language: translated here, once, as it joins the app.
        translate_bindings(child, self.t)
        super()._register_child(parent, child, before, after)

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer and F1 show it: Textual's way (arrows and
        enter as symbols, ctrl as ^, key caps as labelled, `esc`, `tab`),
        with the keys named in words in the chosen language (`space`)."""
        if binding.key_display:
            return binding.key_display
        from textual.keys import format_key

        modifiers, key = binding.parse_key()
        named = key_name(key, self.t) or format_key(key)
        if "ctrl" in modifiers:
            modifiers.remove("ctrl")
            named = f"^{named}"
        return "+".join(
            [*(key_name(modifier, self.t) or modifier for modifier in modifiers), named]
        )

    def action_command_palette(self) -> None:
        from kela_tui.widgets.palette import KelaPalette

        if self.use_command_palette and not KelaPalette.is_open(self):
            self.push_screen(KelaPalette(self.t, id="--command-palette"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        from kela_tui.widgets.palette import KelaPalette

        self.push_screen(
            KelaPalette(self.t, providers=[ThemeProvider], placeholder="Search for themes…")
        )

    def action_help_quit(self) -> None:
        """Textual's answer to ctrl+c (which does not quit), in words."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    self.t("textual.press_to_quit", key=self.get_key_display(active.binding)),
                    title=translate_textual("Do you want to quit?", self.t),
                    markup=False,
                )
                return

    def action_toggle_help(self) -> None:
        from textual.widgets import HelpPanel  # imports a Markdown parser: only when asked

        try:
            self.screen.query_one(HelpPanel).remove()
        except NoMatches:
            self.screen.mount(HelpPanel())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every screen and every action of the current screen, by name, for
        terminals where function keys are taken."""
        t = self.t
        for mode, key, label in SCREENS:
            yield SystemCommand(t(label), key.upper(), partial(self.switch_mode, mode))
        for active in screen.active_bindings.values():
            binding = active.binding
            # Our own actions carry ids; Textual's (focus, copy) do not belong here.
            if active.node is screen and (binding.id or "").startswith("kela."):
                yield SystemCommand(
                    binding.description,
                    self.get_key_display(binding),
                    partial(self.run_action, binding.action, screen),
                )
        yield SystemCommand(t("key.help"), "F1", self.action_toggle_help)
        yield SystemCommand(t("palette.theme"), "", self.action_change_theme)
        yield SystemCommand(t("key.quit"), "Ctrl+Q", self.action_quit)

    # Errors

    def _handle_exception(self, error: Exception) -> None:
        """An error where no screen could catch it (while drawing, say): the
        program ends, but with one line naming the error log instead of a
        traceback, whose local variables would show personal data."""
        if self.strict:
            super()._handle_exception(error)
            return
        path = errorlog.write(error)
        self.exit(return_code=1, message=self.t("error.unexpected_exit", path=path))

    def report(self, error: Exception) -> None:
        """An error while handling a key or an event: said in one line, and the
        screen goes on. A refusal or a database failure is said in words;
        anything else is written with its traceback to the error log, whose
        path the line names. The next action reconnects a lost database."""
        if isinstance(error, KelaError):
            message = self.t.error(error)
        elif (explained := storage.explain(error)) is not None:
            message = self.t.error(explained)
        elif self.strict:
            self._handle_exception(error)
            return
        else:
            message = self.t("error.unexpected", path=errorlog.write(error))
        self.notify(message, severity="error", markup=False, timeout=12)

    # Keys in the order they were typed

    async def on_event(self, event: events.Event) -> None:
        """Keys are taken one at a time: the next key is handled only once the
        one before has gone all the way (through the focused widget and the
        screens above it, and any dialog it opened is ready). Typed ahead or
        pasted in a burst, every key reaches the field that the keys before it
        made current, and enter saves what the screen shows."""
        if isinstance(event, events.Key) and event.key == "ctrl+j" and not event.is_forwarded:
            # enter typed before the program took the terminal over arrives
            # as a newline (the terminal's line mode turns CR into LF), which
            # Textual reads as ctrl+j: it is the enter the person pressed.
            event = events.Key("enter", "\r")
        # A paste takes its turn among the keys too: its text belongs in the
        # field that the keys before it made current.
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            if self._key_busy or self._held:
                self._keys.append(event)
                return
            self._key_busy = True
            await self._take_key(event)
            return
        await super().on_event(event)

    async def _take_key(self, event: events.Key) -> None:
        self._key_number += 1
        self._flight += 1
        done = partial(self._next_key, self._flight)
        self._key_timer = self.set_timer(KEY_TIMEOUT, done)
        try:
            await super().on_event(event)
            await self._type_ahead(event)
        finally:
            # Checked between the event loop's turns, outside every queue, so
            # that the app and the screens can go idle meanwhile.
            asyncio.get_running_loop().call_soon(self._settle, done, 0, 0)

    async def _type_ahead(self, event: events.Key | events.Paste) -> None:
        """Characters typed into a text field go to it together: they neither
        move the focus nor open anything, so they need not wait for each
        other, and a long paste without bracketed-paste mode goes in at once.
        Those beyond what the field could ever take are dropped here: the
        field itself refuses what does not fit once the keys before have
        gone in (its value may not show them yet, and a selected value, as
        a prefilled time, is replaced by the first key)."""
        field = self.focused
        if not (isinstance(field, Input) and _printable(event)):
            return
        room = (field.max_length or sys.maxsize) - 1
        while self._keys and _printable(self._keys[0]):
            following = self._keys.popleft()
            self._key_number += 1
            if room > 0:
                room -= 1
                await super().on_event(following)

    def _settle(self, done: Callable[[], None], turn: int, still: int) -> None:
        """Take the next key once everything the last one set going is done:
        its way up through the widgets, the binding it ran, the messages that
        posted (a row selected, a dialog's result), a dialog composed and
        focused. Done is when no widget has anything waiting, twice running
        (a handler that awaits something resumes in between)."""
        still = 0 if self._busy() else still + 1
        if turn < SETTLE_TURNS and still < 2:
            asyncio.get_running_loop().call_soon(self._settle, done, turn + 1, still)
        else:
            done()

    def _busy(self) -> bool:
        if not self.screen.is_mounted:
            return True
        return any(
            node._message_queue.qsize() or node._next_callbacks for node in (self, *self._registry)
        )

    def _next_key(self, flight: int) -> None:
        """Take the next key typed, once the key of `flight` is done (or timed out)."""
        if flight != self._flight or not self._key_busy:
            return
        if self._key_timer is not None:
            self._key_timer.stop()
            self._key_timer = None
        if self._keys and not self._held:
            self.call_later(self._take_key, self._keys.popleft())
        else:
            self._key_busy = False

    def hold_keys(self) -> None:
        """Keep the keys typed from now on until `release_keys`: they are
        meant for what the screen is about to show (the home screen's day,
        read just after the first frame)."""
        self._held = True
        # Let go in any case, so that nothing waits for ever.
        self.set_timer(KEY_TIMEOUT, self.release_keys)

    def release_keys(self) -> None:
        """Take the keys held, in the order they were typed."""
        if not self._held:
            return
        self._held = False
        if self._keys and not self._key_busy:
            self._key_busy = True
            self.call_later(self._take_key, self._keys.popleft())

    def keys_settled(self) -> bool:
        """Whether every key taken so far has been handled (for tests)."""
        return not self._key_busy and not self._keys and not self._held

    def keys_taken(self) -> int:
        """How many keys have been taken since the start (for tests)."""
        return self._key_number
