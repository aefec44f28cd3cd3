"""F5: the monthly statement."""

from kela_tui.screens.placeholder import PendingScreen


class StatementScreen(PendingScreen):
    MESSAGE = "pending.statement"
