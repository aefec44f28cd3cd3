"""Snapshots of the daily log's main states."""

import pytest

SIZE = (120, 40)


def test_busy_day(make_app, busy_day, snap_compare):
    assert snap_compare(make_app(), terminal_size=SIZE)


@pytest.mark.parametrize(
    "keys",
    [
        pytest.param(["5"], id="document_form"),
        pytest.param(["7"], id="feedback_form"),
        pytest.param(["enter"], id="entry_actions"),
        pytest.param(["enter", "enter"], id="correct_form"),
        pytest.param(["enter", "down", "enter"], id="void_form"),
        pytest.param(["f"], id="forward_form"),
        pytest.param(["5", "enter"], id="slip"),
        pytest.param(["left_square_bracket", "1"], id="backdate_form"),
        pytest.param(["7", *"hetu 131052-308T", "enter"], id="feedback_refused"),
        pytest.param(["5", "down", "down", "down", "enter"], id="document_referred"),
        pytest.param(["enter", "down", "enter", "enter"], id="void_without_reason"),
    ],
)
def test_forms_and_refusals(make_app, busy_day, snap_compare, keys):
    assert snap_compare(make_app(), terminal_size=SIZE, press=keys)


def test_undo_refused_after_grace(make_app, sqlite_ctx, clock, snap_compare):
    async def run_before(pilot):
        await pilot.press("1")
        clock.advance(seconds=30)
        await pilot.press("ctrl+z")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
