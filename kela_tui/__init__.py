"""kela-tui: the counter of a municipal joint service point working for Kela."""

import sys

__version__ = "0.1.0"


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
