"""A workstation logging as fast as it can, for the concurrency and crash tests:
prints each committed entry on its own line, flushed, after the commit."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from kela_tui import documents, services
from kela_tui.clock import FixedClock
from kela_tui.config import Config
from kela_tui.context import open_context


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("folder")
    parser.add_argument("count", type=int)
    args = parser.parse_args()
    ctx = open_context(
        Config(path=Path(args.folder) / "config.toml"),
        args.url,
        FixedClock(datetime(2026, 9, 15, 10, 0)),
    )
    for n in range(args.count):
        if n % 2:
            (document,) = documents.receive_documents(ctx, "application")
            print(f"document {document.receipt}", flush=True)
        else:
            print(f"service {services.log_service(ctx, 'advice').id}", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    main()
