from __future__ import annotations

import pytest

from kela_tui.app import KelaApp
from kela_tui.i18n import Translator


@pytest.fixture
def make_app(sqlite_ctx):
    """A factory of apps on one test database, in the chosen language."""

    def make(lang: str = "fi") -> KelaApp:
        return KelaApp(sqlite_ctx, Translator(lang), strict=True)

    return make
