"""The App: screens on function keys, the command palette, the staff on duty."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from importlib import import_module
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen

from kela_tui.context import Context
from kela_tui.i18n import Translator
from kela_tui.keys import translate_bindings
from kela_tui.screens.daily_log import DailyLogScreen

SCREENS = (
    ("log", "f2", "screen.log"),
    ("booth", "f3", "screen.booth"),
    ("dashboard", "f4", "screen.dashboard"),
    ("statement", "f5", "screen.statement"),
)


def _screen(module: str, name: str) -> Screen:
    return getattr(import_module(f"kela_tui.screens.{module}"), name)()


class KelaApp(App):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "kela-tui"
    # The home screen is imported with the app; the others when first opened,
    # which keeps start-up short.
    MODES = {
        "log": DailyLogScreen,
        "booth": lambda: _screen("booth", "BoothScreen"),
        "dashboard": lambda: _screen("dashboard", "DashboardScreen"),
        "statement": lambda: _screen("statement", "StatementScreen"),
    }
    DEFAULT_MODE = "log"
    BINDINGS = [
        Binding("f1", "toggle_help", "key.help", id="kela.help"),
        *(
            Binding(key, f"switch_mode('{mode}')", label, id=f"kela.screen.{mode}")
            for mode, key, label in SCREENS
        ),
        Binding("ctrl+q", "quit", "key.quit", priority=True),
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True),
    ]

    def __init__(self, ctx: Context, t: Translator) -> None:
        super().__init__()
        self.ctx = ctx
        self.t = t
        translate_bindings(self, t)
        self.title = t("app.title")
        self.show_staff()

    def show_staff(self) -> None:
        self.sub_title = self.t("app.subtitle", site=self.ctx.site.name, staff=self.ctx.staff.name)

    def set_staff(self, code: str) -> None:
        self.ctx.staff = self.ctx.staff_member(code)
        self.show_staff()

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
