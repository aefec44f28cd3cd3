"""Fixtures of the unit tests of the command line's words."""

from __future__ import annotations

import pytest

from kela_tui.cli import main


@pytest.fixture
def cli(tmp_path, capsys):
    """Run the command line without a database, with its own configuration
    file (naming `language` when given); returns (code, out, err)."""
    path = tmp_path / "config.toml"
    path.write_text("", encoding="utf-8")

    def run(*argv: str, language: str | None = None) -> tuple[int, str, str]:
        if language is not None:
            path.write_text(f'language = "{language}"\n', encoding="utf-8")
        try:
            code = main(["--config", str(path), *argv])
        except SystemExit as stop:
            code = stop.code
        out, err = capsys.readouterr()
        return code, out, err

    return run
