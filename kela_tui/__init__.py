"""kela-tui: the counter of a municipal joint service point working for Kela."""

import sys

# The version when the package is not installed (run from a source tree);
# a test keeps it equal to pyproject.toml's.
__version__ = "0.1.0"


def version() -> str:
    """The installed package's version, from its metadata; `__version__` when
    the package is not installed. Asked only for `--version`: importing
    importlib.metadata takes longer than the program's whole start-up."""
    from importlib import metadata

    try:
        return metadata.version("kela-tui")
    except metadata.PackageNotFoundError:
        return __version__


def _peewee_without_postgresql_driver() -> None:
    """peewee imports the PostgreSQL driver (psycopg2, a C library) as it is
    imported itself; most workstations run on SQLite and never need it, so
    peewee is imported here without it, and `db.postgresql_driver` gives it
    to peewee for a PostgreSQL URL. A program that imported psycopg2 first
    (the tests) gets peewee as it is."""
    if "peewee" in sys.modules or "psycopg2" in sys.modules:
        return
    sys.modules["psycopg2"] = None  # an ImportError for peewee's `import psycopg2`
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg2"]


_peewee_without_postgresql_driver()
