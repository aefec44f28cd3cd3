"""`kela-tui --version`: the program's version and its database schema, in the
workstation's language, without a configuration or database and creating
neither."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import kela_tui
from kela_tui.cli import main
from kela_tui.db import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def empty_home(tmp_path, monkeypatch):
    """A user with no configuration, no data folder and no database."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    for name in ("KELA_TUI_DB", "KELA_TUI_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(home)
    return home


def version_of(argv: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    out, err = capsys.readouterr()
    return stop.value.code, out, err


def test_version_without_configuration_or_database_creates_nothing(empty_home, capsys):
    code, out, err = version_of(["--version"], capsys)
    assert code == 0 and err == ""
    assert out == f"kela-tui {kela_tui.version()} (tietokannan skeema {SCHEMA_VERSION})\n"
    assert list(empty_home.iterdir()) == []


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fi", "tietokannan skeema"), ("sv", "databasschema"), ("en", "database schema")],
)
def test_version_in_the_language_asked(empty_home, capsys, lang, words):
    code, out, _ = version_of(["--lang", lang, "--version"], capsys)
    assert code == 0
    assert out == f"kela-tui {kela_tui.version()} ({words} {SCHEMA_VERSION})\n"
    assert list(empty_home.iterdir()) == []


def test_version_in_the_workstations_language(empty_home, capsys):
    config = empty_home / "kela.toml"
    config.write_text('language = "sv"\n', encoding="utf-8")
    code, out, _ = version_of(["--config", str(config), "--version"], capsys)
    assert code == 0
    assert out.startswith("kela-tui ") and "databasschema" in out
    assert [path.name for path in empty_home.iterdir()] == ["kela.toml"]


def test_version_with_a_database_named_that_does_not_exist(empty_home, capsys):
    missing = empty_home / "nowhere" / "kela.db"
    code, out, _ = version_of(["--db", f"sqlite:///{missing}", "--version"], capsys)
    assert code == 0 and out.startswith("kela-tui ")
    assert list(empty_home.iterdir()) == []


def test_version_from_the_installed_metadata(monkeypatch):
    monkeypatch.setattr(metadata, "version", lambda name: "9.8.7")
    assert kela_tui.version() == "9.8.7"


def test_version_when_not_installed(monkeypatch):
    def not_installed(name):
        raise metadata.PackageNotFoundError(name)

    monkeypatch.setattr(metadata, "version", not_installed)
    assert kela_tui.version() == kela_tui.__version__


def test_fallback_version_is_the_projects():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert kela_tui.__version__ == project["version"]
