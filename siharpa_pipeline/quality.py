"""Data-quality facts the orchestrator checks after each load and publish (read from any DuckDB connection)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from .reference import load_reference
from .tables import TABLES
from .transactions import one

REJECTION_RATE_LIMIT = 0.2  # a file with more than this share of observations rejected needs a look
STALE_AFTER_DAYS = 3


def schema_drift(con: duckdb.DuckDBPyConnection, prefix: str = "core.") -> list[str]:
    """Published columns missing or of another type than the contract says (tables.TABLES)."""
    found = {(f"{s}.{t}", c): typ for s, t, c, typ in con.execute(
        "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()").fetchall()}
    problems = []
    for table in (t for t in TABLES if t.name.startswith(prefix)):
        for name, typ, _ in table.columns:
            expected = typ.split()[0]
            actual = found.get((table.name, name))
            if actual is None:
                problems.append(f"{table.name}.{name} hilang")
            elif actual != expected:
                problems.append(f"{table.name}.{name} bertipe {actual}, seharusnya {expected}")
    return problems


def duplicate_price_keys(con: duckdb.DuckDBPyConnection) -> int:
    return one(con.execute("""
        SELECT count(*) FROM (SELECT 1 FROM core.price_observations
                              GROUP BY observed_on, market_id, commodity_id HAVING count(*) > 1)"""))[0]


@dataclass
class FileOutcome:
    status: str
    accepted: int
    rejected: int
    flagged: int

    @property
    def rejection_rate(self) -> float:
        judged = self.accepted + self.rejected
        return self.rejected / judged if judged else 0.0


def file_outcome(con: duckdb.DuckDBPyConnection, file_id: str) -> FileOutcome | None:
    """The latest receipt of these bytes that was not a duplicate."""
    row = con.execute("""
        SELECT status, rows_accepted, rows_rejected, rows_flagged FROM audit.files
        WHERE file_id = ? AND status <> 'duplicate' ORDER BY received_at DESC LIMIT 1""", [file_id]).fetchone()
    return FileOutcome(*row) if row else None


@dataclass
class Coverage:
    market_day: dt.date | None
    reporting: list[str]
    missing: list[str]


def coverage(con: duckdb.DuckDBPyConnection) -> Coverage:
    """Markets that reported on the last market day (the last date any market reported)."""
    day = one(con.execute("SELECT max(observed_on) FROM core.price_observations"))[0]
    reporting = [m for (m,) in con.execute(
        "SELECT DISTINCT market_id FROM core.price_observations WHERE observed_on = ? ORDER BY 1", [day]).fetchall()]
    missing = [m for m in load_reference().market_ids if m not in reporting]
    return Coverage(day, reporting, missing)


def days_since_last_price_file(con: duckdb.DuckDBPyConnection, today: dt.date) -> int | None:
    """Days (WITA) since a price file last loaded anything; None before the first."""
    last = one(con.execute("SELECT max(received_at) FROM audit.files WHERE dataset = 'prices' "
                           "AND status IN ('loaded', 'partially_loaded')"))[0]
    if last is None:
        return None
    # received_at is UTC; WITA is UTC+8
    last_day = (last + dt.timedelta(hours=8)).date()
    return max((today - last_day).days, 0)
