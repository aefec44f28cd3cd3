"""kela-tui: the counter of a municipal joint service point working for Kela."""

__version__ = "0.1.0"
