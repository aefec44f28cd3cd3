"""An error in a screen must not end the counter's program."""

from __future__ import annotations

from textual.message import Message


class Guarded:
    """For the App and the screens: an exception raised while handling a
    message (a key's action, an event handler, a dialog's result) is reported
    by the app (`KelaApp.report`) and the screen goes on. Textual would
    otherwise stop the whole program with a traceback."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as error:  # noqa: BLE001 - reported, never swallowed silently
            self.app.report(error)
