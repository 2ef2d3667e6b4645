"""Publishing: the indicators brought up to date with what was loaded, then made what readers see."""

from __future__ import annotations

import datetime as dt

import duckdb

from .comparisons import refresh_comparisons
from .indicators import refresh_marts
from .quickwin_marts import refresh_quick_win_marts
from .settings import Settings
from .storage import storage
from .transactions import one, retried


def refresh_all(con: duckdb.DuckDBPyConnection, full: bool = False) -> None:
    """Every mart: the price indicators (only what changed, or all with full=True), the region comparisons and
    the quick wins' marts."""
    retried(lambda: refresh_marts(con, full=full))
    retried(lambda: refresh_comparisons(con))
    retried(lambda: refresh_quick_win_marts(con))


def publish(settings: Settings, refresh: bool = True, full: bool = False) -> dt.datetime:
    """Refresh the marts (unless the caller just did), then publish, holding the writer throughout: readers
    see marts that match the core tables they come from."""
    store = storage(settings)
    with store.writer() as con:
        if refresh:
            refresh_all(con, full)
        observations = one(con.execute("SELECT count(*) FROM core.price_observations"))[0]
        return store.publish(con, observations)
