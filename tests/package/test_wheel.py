"""The package as users get it: the wheel built from this tree, installed into
a fresh virtual environment outside the tree, and its `kela-tui` run from a
folder of its own on a new database. A template, message catalogue or
stylesheet left out of the wheel's package data fails here, while the rest of
the suite (run from the editable install) would pass.

The wheel is built and installed once per session (a few seconds, without the
network): the new environment installs only the wheel, and finds its
dependencies in the running environment's site-packages through a `.pth`
file (which does not run that environment's own `.pth` files, so the
editable install of this tree stays out of sight)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import pytest

from kela_tui.db import SCHEMA_VERSION

pytestmark = pytest.mark.package

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fi", "sv", "en")
# The demo's first two months begin with the agreement's start (15 August 2026).
MONTH = "2026-09"
# Starts the TUI without a terminal, looks at its first screen and quits.
TUI = """
import sys

from textual.app import App

from kela_tui import cli

seen = []


async def look(pilot):
    await pilot.pause()
    seen.append(pilot.app.export_screenshot())
    pilot.app.exit()


start = App.run
App.run = lambda app, **options: start(app, headless=True, size=(120, 40), auto_pilot=look)
code = cli.main(sys.argv[1:])
sys.stdout.write(seen[0] if seen else "")
sys.exit(code)
"""


@dataclass
class Installed:
    """The installed program: its virtual environment, the folder commands
    run in (with its own home) and the database the demo fills."""

    venv: Path
    python: Path
    program: Path
    folder: Path
    env: dict[str, str]
    db: str

    def module(self) -> Path:
        """Where the installed environment's Python imports kela_tui from."""
        done = subprocess.run(
            [str(self.python), "-c", "import kela_tui; print(kela_tui.__file__)"],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return Path(done.stdout.strip())

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(self.program), *argv],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if check:
            assert done.returncode == 0, f"kela-tui {' '.join(argv)}: {done.stderr}"
        return done

    def kela(self, *argv: str) -> subprocess.CompletedProcess[str]:
        return self.run("--db", self.db, *argv)


def _quiet(command: list[str]) -> None:
    """pip, without this tree on the path (PYTHONPATH)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PYTHON")}
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"


def _clean_environment(home: Path) -> dict[str, str]:
    """The user's environment without this tree on the path, the test's
    virtual environment or a database or configuration named."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("PYTHON", "VIRTUAL_ENV", "KELA_TUI", "XDG_"))
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _build_isolation() -> list[str]:
    """Built with the setuptools of the test tools (offline), or by pip in an
    environment of its own where they are too old (an older environment)."""
    try:
        major = int(metadata.version("setuptools").split(".")[0])
    except (metadata.PackageNotFoundError, ValueError):
        major = 0
    return ["--no-build-isolation", "--no-index"] if major >= 77 else []


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> Installed:
    base = tmp_path_factory.mktemp("package")
    # Built from a copy: setuptools writes build/ and *.egg-info beside the
    # sources, and a stale build/ of the tree could hide a missing file.
    source = base / "source"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
            ".hypothesis", "tests", "benchmarks",
        ),
    )  # fmt: skip
    dist = base / "dist"
    pip = [sys.executable, "-m", "pip"]
    _quiet([*pip, "wheel", "--no-deps", *_build_isolation(), "-q", "--wheel-dir", str(dist),
            str(source)])  # fmt: skip
    (wheel,) = dist.glob("kela_tui-*.whl")

    target = base / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
        env=_clean_environment(base),
    ).stdout.strip()
    # Installed before the dependencies are in sight, where pip would find
    # the editable install of this tree and take the wheel as installed.
    _quiet([*pip, "--python", str(python), "install", "--no-deps", "--no-index", "-q",
            str(wheel)])  # fmt: skip
    dependencies = [
        path for path in sys.path if Path(path).name in ("site-packages", "dist-packages")
    ]
    Path(purelib, "kela_tui_dependencies.pth").write_text(
        "\n".join(dependencies) + "\n", encoding="utf-8"
    )
    # Every requirement of the wheel is met by what the environment sees.
    _quiet([*pip, "--python", str(python), "check"])

    folder = base / "counter"
    (folder / "home").mkdir(parents=True)
    program = python.parent / ("kela-tui.exe" if os.name == "nt" else "kela-tui")
    return Installed(
        venv=target,
        python=python,
        program=program,
        folder=folder,
        env=_clean_environment(folder / "home"),
        db=f"sqlite:///{folder / 'kela.db'}",
    )


@pytest.fixture(scope="session")
def demo(installed) -> Installed:
    done = installed.kela("demo", "--months", "2")
    assert "KANNUS" in done.stdout
    assert (installed.folder / "kela.db").is_file()
    return installed


def catalogue(language: str) -> dict:
    path = ROOT / "kela_tui" / "messages" / f"{language}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))


def words(text: str) -> str:
    return " ".join(text.split())


def test_the_installed_copy_runs_not_this_tree(installed):
    module = installed.module().resolve()
    assert module.is_relative_to(installed.venv.resolve())
    assert not module.is_relative_to(ROOT)
    # The program's launcher is the environment's own.
    first = installed.program.read_text(encoding="utf-8").splitlines()[0]
    assert Path(first.removeprefix("#!")).parent.parent == installed.venv


def test_every_file_of_the_package_is_installed(installed):
    """Every file of the sources' packages is in the installed package: a
    file added without its package data fails here, not at a user's."""
    package = installed.module().parent

    def files(folder: Path, under: str = "") -> set[str]:
        return {
            f"{under}{path.relative_to(folder).as_posix()}"
            for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
        }

    wanted = files(ROOT / "kela_tui") | files(ROOT / "templates", "templates/")
    assert wanted - files(package) == set()


def test_version(installed):
    done = installed.run("--version")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert done.stdout == f"kela-tui {project['version']} (tietokannan skeema {SCHEMA_VERSION})\n"
    assert list((installed.folder / "home").iterdir()) == []


def test_stats(demo):
    table = demo.kela("stats", MONTH).stdout
    assert "KANNUS" in table and "syyskuu 2026" in table
    figures = json.loads(demo.kela("stats", MONTH, "--format", "json").stdout)
    assert figures["month"] == MONTH and figures["services"] > 0


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("form", ["txt", "html", "pdf"])
def test_statement(demo, form, language):
    output = demo.folder / f"statement-{language}.{form}"
    demo.kela("statement", MONTH, "--format", form, "--lang", language, "-o", str(output))
    title = catalogue(language)["statement"]["title"]
    if form == "txt":
        assert title.upper() in output.read_text(encoding="utf-8")
    elif form == "html":
        page = output.read_text(encoding="utf-8")
        assert f'<html lang="{language}"' in page and f"<h1>{title}</h1>" in page
    else:
        from pypdf import PdfReader

        data = output.read_bytes()
        assert data.startswith(b"%PDF")
        text = words("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
        assert words(title) in text and "KANNUS" in text


def test_export(demo):
    rows = demo.kela("export", MONTH, "--format", "csv", "-o", "-").stdout
    header = next(csv.reader(io.StringIO(rows.lstrip("\ufeff")), delimiter=";"))
    assert header[:4] == ["service", "site", "date", "time"]
    services = json.loads(demo.kela("export", MONTH, "--format", "json", "-o", "-").stdout)
    assert services and {row["date"][:7] for row in services} == {MONTH}
    assert len(rows.strip().splitlines()) == len(services) + 1

    from openpyxl import load_workbook

    sheet = demo.folder / "services.xlsx"
    demo.kela("export", MONTH, "-o", str(sheet))
    book = load_workbook(sheet, read_only=True)
    summary, listed = book.worksheets[:2]
    assert next(summary.iter_rows(max_row=1, values_only=True))[0]
    assert sum(1 for _ in listed.iter_rows(values_only=True)) == len(services) + 1


def test_the_tui_starts_with_its_stylesheet(demo):
    done = subprocess.run(
        [str(demo.python), "-c", TUI, "--db", demo.db],
        cwd=demo.folder,
        env=demo.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    screen = re.sub(r"&#160;|\s+", " ", done.stdout)
    assert catalogue("fi")["app"]["title"] in screen
