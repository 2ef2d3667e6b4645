"""Running statements on a DuckDB connection: as one unit, or for the one row an aggregate returns."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import duckdb


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
