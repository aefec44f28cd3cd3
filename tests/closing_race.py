"""The race between writing into a month and closing it, for test_closing.

`write`: a workstation backdating services into 15.9.2026 as fast as it can,
until a file named `stop` appears; prints "ok" or "closed" for each attempt.
`close`: the finance office issuing and reopening September in a loop; after
each issue, and again before reopening, it compares the month's figures as
the records give them with the figures the statement froze, and prints
"changed ..." for any difference, then "cycles N"."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from pathlib import Path

from kela_tui import services, statement
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.errors import Refused
from kela_tui.i18n import Translator
from kela_tui.months import Month
from kela_tui.statistics import live_stats

SEPTEMBER = Month(2026, 9)
COMPARED = ("visits", "services", "by_category")


def context(url: str, folder: Path):
    return open_context(
        Config(path=folder / "config.toml"), url, FixedClock(datetime(2026, 10, 6, 10, 0))
    )


def write(url: str, folder: Path) -> None:
    ctx = context(url, folder)
    stop = folder / "stop"
    while not stop.exists():
        try:
            services.log_service(ctx, "advice", at=datetime(2026, 9, 15, 10, 0))
            print("ok", flush=True)
        except Refused:
            print("closed", flush=True)


def close(url: str, folder: Path, cycles: int) -> None:
    ctx = context(url, folder)
    t = Translator("en")
    for cycle in range(cycles):
        issued = statement.issue(ctx, SEPTEMBER, t)
        frozen = json.loads(issued.figures)["figures"]
        for moment in ("after issue", "before reopen"):
            live = live_stats(SEPTEMBER, [ctx.site], ctx.today()).own_figures()
            for name in COMPARED:
                if live[name] != frozen[name]:
                    print(f"changed {moment} cycle {cycle}: {name} {frozen[name]} -> {live[name]}")
        statement.reopen(ctx, SEPTEMBER, f"cycle {cycle}")
    print(f"cycles {cycles}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("role", choices=("write", "close"))
    parser.add_argument("url")
    parser.add_argument("folder", type=Path)
    parser.add_argument("cycles", type=int, nargs="?", default=50)
    args = parser.parse_args()
    if args.role == "write":
        write(args.url, args.folder)
    else:
        close(args.url, args.folder, args.cycles)


if __name__ == "__main__":
    main()
