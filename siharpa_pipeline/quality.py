"""Data-quality facts the orchestrator checks after each load and publish (read from any DuckDB connection)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from .tables import TABLES
from .transactions import one

REJECTION_RATE_LIMIT = 0.2  # a file with more than this share of observations rejected needs a look
STALE_AFTER_DAYS = 3


def schema_drift(con: duckdb.DuckDBPyConnection, prefix: str = "core.") -> list[str]:
    """Published columns missing or of another type than the contract says (tables.TABLES)."""
    found = {
        (f"{s}.{t}", c): typ
        for s, t, c, typ in con.execute(
            "SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()"
        ).fetchall()
    }
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
    return one(
        con.execute("""
        SELECT count(*) FROM (SELECT 1 FROM core.price_observations
                              GROUP BY observed_on, market_id, commodity_id HAVING count(*) > 1)""")
    )[0]


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
    row = con.execute(
        """
        SELECT status, rows_accepted, rows_rejected, rows_flagged FROM audit.files
        WHERE file_id = ? AND status <> 'duplicate' ORDER BY received_at DESC LIMIT 1""",
        [file_id],
    ).fetchone()
    return FileOutcome(*row) if row else None


@dataclass
class Coverage:
    market_day: dt.date | None
    reporting: list[str]
    missing: list[str]


def expected_markets_cte(region_param: str | None = None) -> str:
    """CTEs `recent` and `expected`: the markets expected on each weekday, those that reported on that weekday in
    at least half of the last eight weeks (a weekly market is not missing on the other days); all markets, or
    those of the region bound to the SQL parameter `region_param` (such as "$1"). For the coverage check and the
    dashboards."""
    located = (
        "core.price_observations"
        if region_param is None
        else "(SELECT * FROM core.price_observations WHERE market_id IN "
        f"(SELECT market_id FROM ref.markets WHERE region_code = {region_param}))"
    )
    return f"""
    located AS (SELECT * FROM {located}),
    recent AS (
        SELECT DISTINCT observed_on, market_id FROM located
        WHERE observed_on > (SELECT max(observed_on) FROM located) - 56),
    weeks AS (SELECT count(DISTINCT date_trunc('week', observed_on)) AS n FROM recent),
    expected AS (
        SELECT r.market_id, dayofweek(r.observed_on) AS weekday FROM recent r, weeks w
        GROUP BY ALL HAVING count(*) * 2 >= any_value(w.n))"""


def coverage(con: duckdb.DuckDBPyConnection) -> Coverage:
    """Markets that reported on the last market day (the last date any market reported), and those that did
    not although expected: open on that weekday, or not heard of for eight weeks."""
    day = one(con.execute("SELECT max(observed_on) FROM core.price_observations"))[0]
    reporting = [
        m
        for (m,) in con.execute(
            "SELECT DISTINCT market_id FROM core.price_observations WHERE observed_on = ? ORDER BY 1", [day]
        ).fetchall()
    ]
    # expected that weekday, or silent for eight weeks (a market that stopped reporting is missing, not excused)
    expected = [
        m
        for (m,) in con.execute(
            f"""
        WITH {expected_markets_cte()}
        SELECT market_id FROM expected WHERE weekday = dayofweek(?::DATE)
        UNION SELECT market_id FROM ref.markets WHERE market_id NOT IN (SELECT market_id FROM recent)
        ORDER BY 1""",
            [day],
        ).fetchall()
    ]
    return Coverage(day, reporting, [m for m in expected if m not in reporting])


def days_since_last_price_file(con: duckdb.DuckDBPyConnection, today: dt.date) -> int | None:
    """Days (WITA) since a price file last loaded anything; None before the first."""
    last = one(
        con.execute(
            "SELECT max(received_at) FROM audit.files WHERE dataset = 'prices' "
            "AND status IN ('loaded', 'partially_loaded')"
        )
    )[0]
    if last is None:
        return None
    # received_at is UTC; WITA is UTC+8
    last_day = (last + dt.timedelta(hours=8)).date()
    return max((today - last_day).days, 0)
