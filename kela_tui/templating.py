"""Jinja2 templates from `templates/`: the receipt slip and the statement."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from kela_tui.controls import visible

# templates/ sits beside the package in the source tree and is installed as
# kela_tui/templates in a wheel (see pyproject.toml); the first that exists wins.
_FOLDERS = (
    Path(__file__).resolve().parent.parent / "templates",
    Path(__file__).resolve().parent / "templates",
)


def _escaped(name: str | None) -> bool:
    """Every template is HTML-escaped except the plain-text ones (`*.txt.j2`):
    a template added later is escaped unless it says it is text."""
    return not (name or "").endswith(".txt.j2")


def _finalize(value: object) -> object:
    # What a template prints never carries a control character to a terminal,
    # a printer or a browser.
    if isinstance(value, str) and not isinstance(value, Markup):
        return visible(value)
    return value


@cache
def environment() -> Environment:
    folder = next(f for f in _FOLDERS if f.is_dir())
    return Environment(
        loader=FileSystemLoader(folder),
        autoescape=_escaped,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render(name: str, **values: object) -> str:
    return environment().get_template(name).render(**values)
