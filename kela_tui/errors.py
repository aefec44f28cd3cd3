"""Errors that reach people: each carries a message key and its parameters, so
the command line and the screens say the same thing in the chosen language."""

from __future__ import annotations


class KelaError(Exception):
    """Base of every error the program explains instead of a traceback."""

    exit_code = 2

    def __init__(self, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __str__(self) -> str:
        from kela_tui.i18n import translator

        return translator().error(self)


class BadInput(KelaError):
    """Bad usage or input: a malformed value, an unknown name, a broken file."""

    exit_code = 2


class Refused(KelaError):
    """A rule of the agreement or the law refuses the action; nothing is written."""

    exit_code = 3
