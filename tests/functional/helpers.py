"""What the screen tests share: the text on screen, and keys in one burst."""

from __future__ import annotations

import asyncio
import unicodedata

from textual import events
from textual.app import App
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from kela_tui.screens.dashboard import DashboardScreen


def screen_text(app: App) -> str:
    """Every line of the current screen as the terminal would show it."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def burst(pilot, *keys: str | events.Paste) -> None:
    """Type `keys` in one burst, as a paste or type-ahead while the program is
    busy: every key is posted at once, with no pause for the app to take the
    one before. A Paste among them is a bracketed paste. Then wait until the
    app has handled them all."""
    app = pilot.app
    taken = app.keys_taken()
    for key in keys:
        event = key if isinstance(key, events.Paste) else _key_event(key)
        event.set_sender(app)
        app._driver.send_message(event)
    # A key's way through the widgets takes some turns of the event loop; the
    # bound is in turns, not time, and far above what any burst needs.
    for _ in range(20_000 * len(keys)):
        await asyncio.sleep(0)
        if app.keys_taken() - taken == len(keys) and app.keys_settled():
            break
    assert app.keys_taken() - taken == len(keys) and app.keys_settled(), "the burst was lost"
    await pilot.pause()


def _key_event(key: str) -> events.Key:
    """The key event a terminal sends for `key`, as Pilot.press makes it."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        character = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        character = key if len(key) == 1 else None
    return events.Key(key, character)


def idle(app: App) -> bool:
    """Nothing left to do: every key handled, no worker running, no widget
    with a message waiting, and a dashboard showing its own month's figures."""
    if not app.screen.is_mounted or not app.keys_settled():
        return False
    if any(not worker.is_finished for worker in app.workers):
        return False
    screen = app.screen
    if isinstance(screen, DashboardScreen) and (
        screen.stats is None or screen.stats.month != screen.month
    ):
        return False
    return not any(
        node._message_queue.qsize() or node._next_callbacks for node in (app, *app._registry)
    )


async def settled(pilot, rounds: int = 1_000) -> None:
    """Wait until the app is idle twice running (a worker's figures drawn,
    as benchmarks/screens.py waits), however slow the machine: each round
    waits for the workers and for the screen's messages, never for time."""
    app = pilot.app
    still = 0
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
        still = still + 1 if idle(app) else 0
        if still == 2:
            return
    raise AssertionError("the screen never settled")


def after(*keys: str):
    """A snapshot's `run_before`: press `keys`, then wait for the settled
    screen. (`snap_compare` runs `run_before` before its own `press`, so a
    wait there would come before the keys it should wait for.)"""

    async def run(pilot) -> None:
        await pilot.press(*keys)
        await settled(pilot)

    return run
