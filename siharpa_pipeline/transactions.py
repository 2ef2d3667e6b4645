"""Running statements on a DuckDB connection: as one unit, or for the one row an aggregate returns."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

import duckdb

R = TypeVar("R")
CONFLICT_RETRIES = 8


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """BEGIN ... COMMIT, or ROLLBACK on any error. The error that caused it is the one raised: a commit that
    failed (a full disk) may have ended the transaction already, so a failing rollback is not reported."""
    con.execute("BEGIN")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("ROLLBACK")
        raise


def one(cursor: duckdb.DuckDBPyConnection) -> tuple:
    """The row of a query that returns exactly one (an aggregate)."""
    row = cursor.fetchone()
    if row is None:
        raise RuntimeError("the query returned no row")
    return row


def retried(write: Callable[[], R]) -> R:
    """A commit another writer beat (a DuckLake with a writer per region) is tried again from the start; the
    one-file warehouse has one writer and never conflicts."""
    for attempt in range(1, CONFLICT_RETRIES):
        try:
            return write()
        except duckdb.TransactionException:
            time.sleep(random.uniform(0.05, 0.2) * attempt)
    return write()
