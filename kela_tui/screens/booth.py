"""F3: the remote-service booth."""

from kela_tui.screens.placeholder import PendingScreen


class BoothScreen(PendingScreen):
    MESSAGE = "pending.booth"
