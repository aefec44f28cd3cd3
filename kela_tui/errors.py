"""Errors that reach people: each carries a message key and its parameters, so
the command line and the screens say the same thing in the chosen language."""

from __future__ import annotations

import errno


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


# What an operating-system error means, said in the chosen language.
_OS_PROBLEMS = {
    errno.ENOSPC: "problem.os_full",
    errno.EDQUOT: "problem.os_full",
    errno.EACCES: "problem.os_permission",
    errno.EPERM: "problem.os_permission",
    errno.EROFS: "problem.os_read_only",
    errno.ENOENT: "problem.os_missing",
    errno.ENOTDIR: "problem.os_not_a_folder",
    errno.EEXIST: "problem.os_in_the_way",
    errno.EISDIR: "problem.os_is_a_folder",
}


def os_problem(exc: OSError) -> object:
    """An operating-system error as a message, for a person."""
    from kela_tui.i18n import Msg

    key = _OS_PROBLEMS.get(exc.errno or 0)
    return Msg(key) if key else (exc.strerror or str(exc))
