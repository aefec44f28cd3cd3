"""Jinja2 templates from `templates/`: the receipt slip and the statement."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

# templates/ sits beside the package in the source tree and is installed as
# kela_tui/templates in a wheel (see pyproject.toml); the first that exists wins.
_FOLDERS = (
    Path(__file__).resolve().parent.parent / "templates",
    Path(__file__).resolve().parent / "templates",
)


@cache
def environment() -> Environment:
    folder = next(f for f in _FOLDERS if f.is_dir())
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **values: object) -> str:
    return environment().get_template(name).render(**values)
