"""Start-up time: process start to the first frame of the home screen, for
kela-tui (through its real command line, config and database) and for a bare
Textual app with the same Header, Footer and DataTable, in the same run.

    python -m benchmarks.startup [--runs N]

Prints both medians and their ratio (the aim is at most 1.3x).

Both start from bytecode, as an installed program does: Textual's is in the
environment already, and kela_tui's is written before timing starts (where
PYTHONDONTWRITEBYTECODE is set, every start would otherwise compile the
program's own modules from source, some 70 ms that the bare app never pays)."""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def bare() -> None:
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header

    class Bare(App):
        def compose(self):
            yield Header()
            table = DataTable()
            table.add_columns("a", "b", "c", "d", "e")
            yield table
            yield Footer()

        def on_ready(self) -> None:
            self.exit()

    Bare().run(headless=True)


def kela(folder: str) -> None:
    from functools import partialmethod

    from kela_tui import cli
    from kela_tui.app import KelaApp

    KelaApp.on_ready = lambda self: self.exit()
    KelaApp.run = partialmethod(KelaApp.run, headless=True)
    cli.main(["--config", f"{folder}/config.toml", "--db", f"sqlite:///{folder}/kela.db"])


def measure(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "benchmarks.startup", *argv], check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--child", choices=("bare", "kela"))
    parser.add_argument("--folder")
    args = parser.parse_args()
    if args.child == "bare":
        return bare()
    if args.child == "kela":
        return kela(args.folder)

    with tempfile.TemporaryDirectory() as folder:
        # The program's bytecode, as an installation has it.
        import kela_tui

        subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(Path(kela_tui.__file__).parent)],
            check=True,
            capture_output=True,
        )
        # A database with a morning's work, created before timing starts.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "kela_tui",
                "--config",
                f"{folder}/config.toml",
                "--db",
                f"sqlite:///{folder}/kela.db",
                "db",
                "upgrade",
            ],
            check=True,
            capture_output=True,
        )
        Path(folder, "ready").touch()
        times: dict[str, list[float]] = {"bare": [], "kela": []}
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            times["bare"].append(measure(["--child", "bare"]))
            times["kela"].append(measure(["--child", "kela", "--folder", folder]))
    bare_median = statistics.median(times["bare"])
    kela_median = statistics.median(times["kela"])
    print(
        f"startup: kela-tui median {kela_median * 1000:.0f} ms, "
        f"bare Textual app median {bare_median * 1000:.0f} ms, "
        f"ratio {kela_median / bare_median:.2f}x (aim <= 1.30x, {args.runs} runs each)"
    )


if __name__ == "__main__":
    main()
