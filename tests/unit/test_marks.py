"""States said in words or symbols as well as colours: what strangers found
shown by colour alone, or cut without a sign, in the daily log's side panel."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

import pytest

from kela_tui.booth import BoothStatus
from kela_tui.i18n import Translator
from kela_tui.widgets import marks
from kela_tui.widgets.side_panel import booth_line

TODAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    "lang, words", [("fi", "eräpäivä tänään"), ("sv", "senast i dag"), ("en", "due today")]
)
def test_a_document_due_today_says_so(lang, words):
    t = Translator(lang)
    assert marks.due(t, TODAY, TODAY) == words
    later = marks.due(t, date(2026, 11, 30), TODAY)
    assert words not in later and "30" in later


@pytest.mark.parametrize(
    "lang, words",
    [("fi", "istunto jäi auki"), ("sv", "lämnades öppen"), ("en", "left open")],
)
def test_a_session_left_open_is_marked_and_said(lang, words):
    session = SimpleNamespace(at=datetime(2026, 11, 27, 8, 1))
    state = BoothStatus(booth=1, state="in_session", session=session, left_open=True)
    line = str(booth_line(Translator(lang), state))
    assert line.startswith(marks.WARNING)
    assert words in line


def test_a_long_service_name_in_the_side_panel_ends_in_an_ellipsis(sqlite_ctx):
    from kela_tui.widgets.side_panel import LABEL, SidePanel

    panel = SidePanel()
    captured = []
    panel.update = captured.append
    t = Translator("sv")
    now = datetime(2026, 11, 27, 10, 0)
    panel.show(t, TODAY, TODAY, "x", {}, 0, [], [], [], None, now)
    text = str(captured[0])
    long_names = [t(f"category.{c}") for c in ("remote", "online")]
    assert any(len(name) > LABEL for name in long_names)
    for name in long_names:
        if len(name) > LABEL:
            assert name[: LABEL - 1] + "…" in text
