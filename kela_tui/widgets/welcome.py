"""The words under the daily log's empty table on a new installation."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from kela_tui.i18n import Translator

# The keys a new user starts with, and what each does.
FIRST_KEYS = (
    ("1–8", "welcome.log"),
    ("5", "welcome.document"),
    ("7", "welcome.feedback"),
    ("s", "welcome.staff"),
    ("F6", "welcome.settings"),
    ("F3", "welcome.booth"),
    ("F1", "welcome.help"),
)


class Welcome(Static):
    """While nothing has been logged at the point (a new installation), a
    welcome with the keys to start and where the staff's names are set;
    hidden once anything is logged."""

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.display = False

    def hide(self) -> None:
        self.display = False

    def greet(self, t: Translator) -> None:
        keys = Table.grid(padding=(0, 2))
        keys.add_column(style="bold", no_wrap=True)
        keys.add_column()
        for key, text in FIRST_KEYS:
            keys.add_row(Text(key), Text(t(text)))
        self.update(
            Group(
                Text(t("welcome.title"), style="bold"),
                Text(""),
                keys,
                Text(""),
                Text(t("welcome.gone"), style="dim"),
            )
        )
        self.display = True
