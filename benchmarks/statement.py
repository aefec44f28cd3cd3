"""Statement rendering: text, HTML and PDF of a demo month, against a
one-table WeasyPrint page rendered in the same run.

    python -m benchmarks.statement [--runs N]

Aims: text and HTML at most 100 ms; PDF at most 1.5x the bare WeasyPrint page."""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

from kela_tui import statement
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context
from kela_tui.db import CREATE
from kela_tui.demo import fill
from kela_tui.i18n import Translator
from kela_tui.months import Month

ROWS = "\n".join(f"<tr><td>Rivi {n}</td><td>{n}</td></tr>" for n in range(20))
BARE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
    '@page { size: A4; margin: 20mm } body { font: 10pt "DejaVu Sans", sans-serif }'
    f"</style></head><body><h1>Kuukausiselvitys</h1><table>{ROWS}</table></body></html>"
)


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from weasyprint import HTML

    with tempfile.TemporaryDirectory() as folder:
        ctx = open_context(
            Config(path=Path(folder) / "config.toml", backup_daily=False),
            f"sqlite:///{folder}/kela.db",
            FixedClock(datetime(2026, 11, 20, 16)),
            mode=CREATE,
        )
        fill(ctx, months=3, seed=1)
        t, month = Translator("fi"), Month(2026, 9)
        text = median_ms(
            lambda: statement.render_text(ctx, statement.prepare(ctx, month), t), args.runs
        )
        html = median_ms(
            lambda: statement.render_html(ctx, statement.prepare(ctx, month), t), args.runs
        )
        page = statement.render_html(ctx, statement.prepare(ctx, month), t)
        HTML(string=BARE).write_pdf()  # both PDFs after WeasyPrint's first-use set-up
        pdf = median_ms(lambda: statement.render_pdf(page), args.runs)
        bare = median_ms(lambda: HTML(string=BARE).write_pdf(), args.runs)
    print(
        f"statement: text {text:.1f} ms, HTML {html:.1f} ms (aim <= 100 ms each; "
        "both include the month's statistics)"
    )
    print(
        f"statement: PDF {pdf:.0f} ms, one-table WeasyPrint page {bare:.0f} ms, "
        f"ratio {pdf / bare:.2f}x (aim <= 1.5x)"
    )


if __name__ == "__main__":
    main()
