"""What a load writes, inside the writer's transaction (storage.Storage.writer): the receipt and rejections in
audit, the prices merged by key with revisions kept in history, region series and record files replacing
what they correct."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from .settings import now_utc
from .storage import replace_by_key
from .tables import TABLES
from .transactions import one

JUMP_THRESHOLD = 0.5  # day-on-day change that flags (not rejects) an observation
JUMP_FLAG = "lonjakan_harian"


@dataclass
class Receipt:
    receipt_id: str
    file_id: str
    file_name: str
    dataset: str
    submitted_by: str | None
    received_at: dt.datetime
    archive_path: str
    reference_version: str = "bawaan"


def loads_of(con: duckdb.DuckDBPyConnection, file_id: str) -> list[tuple[dt.datetime, str, str | None]]:
    """(received_at, file_name, reference_version) of every earlier load of these bytes (any outcome but
    failed or duplicate), oldest first."""
    return con.execute(
        "SELECT received_at, file_name, reference_version FROM audit.files WHERE file_id = ? "
        "AND status IN ('loaded', 'partially_loaded', 'rejected') ORDER BY received_at",
        [file_id],
    ).fetchall()


def record_receipt(
    con: duckdb.DuckDBPyConnection,
    receipt: Receipt,
    status: str,
    *,
    accepted: int = 0,
    rejected: int = 0,
    missing: int = 0,
    flagged: int = 0,
    error: str | None = None,
    error_message: str | None = None,
    notes: Sequence[str] = (),
    content_level: str | None = None,
) -> None:
    con.execute(
        "INSERT INTO audit.files (receipt_id, file_id, file_name, dataset, submitted_by, received_at, status, "
        "rows_accepted, rows_rejected, rows_missing, rows_flagged, error, error_message, notes, archive_path, "
        "reference_version, content_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            receipt.receipt_id,
            receipt.file_id,
            receipt.file_name,
            receipt.dataset,
            receipt.submitted_by,
            receipt.received_at,
            status,
            accepted,
            rejected,
            missing,
            flagged,
            error,
            error_message,
            "\n".join(notes) or None,
            receipt.archive_path,
            receipt.reference_version,
            content_level,
        ],
    )


def record_rejections(con: duckdb.DuckDBPyConnection, receipt: Receipt, rejections: pd.DataFrame) -> None:
    if rejections.empty:
        return
    frame = rejections.assign(receipt_id=receipt.receipt_id, file_id=receipt.file_id)
    if "reasons" not in frame:
        frame["reasons"] = frame["reason_code"]
    con.register("rejection_frame", frame)
    con.execute(
        "INSERT INTO audit.rejections (receipt_id, file_id, sheet, source_row, source_column, reason_code, "
        "raw_value, message, reasons) SELECT receipt_id, file_id, sheet, source_row, source_column, "
        "reason_code, raw_value, message, reasons FROM rejection_frame"
    )
    con.unregister("rejection_frame")


def _series_key(market_codes, commodity_codes, dates) -> np.ndarray:
    """(market, commodity, day) as one int64 that sorts by series, then by date."""
    days = np.asarray(dates, dtype="datetime64[D]").astype(np.int64)
    return ((np.asarray(market_codes, np.int64) << 16 | np.asarray(commodity_codes, np.int64)) << 20) + days


def jump_flags(accepted: pd.DataFrame, context: pd.DataFrame) -> tuple[np.ndarray, bool]:
    """True where a price moved more than JUMP_THRESHOLD from the previous observation of the same market and
    commodity, that previous one taken from the file itself or from the warehouse (`context`); and whether the
    file touches any key the warehouse already holds."""
    keys = _series_key(accepted["market_id"].cat.codes, accepted["commodity_id"].cat.codes, accepted["observed_on"])
    prices = accepted["price_idr"].to_numpy(float)
    overlaps = False
    if len(context):
        ctx_keys = _series_key(
            accepted["market_id"].cat.categories.get_indexer(context["market_id"]),
            accepted["commodity_id"].cat.categories.get_indexer(context["commodity_id"]),
            context["observed_on"],
        )
        kept = ~np.isin(ctx_keys, keys)  # a value this file replaces is not its own predecessor
        overlaps = not kept.all()
        keys = np.concatenate([keys, ctx_keys[kept]])
        prices = np.concatenate([prices, context["price_idr"].to_numpy(float)[kept]])
    order = np.argsort(keys)
    sorted_keys, sorted_prices = keys[order], prices[order]
    same_series = (sorted_keys[1:] >> 20) == (sorted_keys[:-1] >> 20)
    previous = sorted_prices[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        jumped = same_series & (previous > 0) & (np.abs(sorted_prices[1:] / previous - 1) > JUMP_THRESHOLD)
    flags = np.zeros(len(keys), dtype=bool)
    flags[order[1:]] = jumped
    return flags[: len(accepted)], overlaps


def _context(con: duckdb.DuckDBPyConnection, accepted: pd.DataFrame) -> pd.DataFrame:
    """The last year of warehouse prices before and during the file's dates, for its markets and commodities."""
    pairs = accepted[["market_id", "commodity_id"]].drop_duplicates().astype(str)
    con.register("pairs_frame", pairs)
    context = con.execute(
        """
        SELECT c.market_id, c.commodity_id, c.observed_on, c.price_idr::DOUBLE AS price_idr
        FROM core.price_observations c SEMI JOIN pairs_frame p USING (market_id, commodity_id)
        WHERE c.observed_on >= CAST($first AS DATE) - INTERVAL 366 DAY""",
        {"first": accepted["observed_on"].min().date()},
    ).df()
    con.unregister("pairs_frame")
    return context


def store_prices(con: duckdb.DuckDBPyConnection, receipt: Receipt, accepted: pd.DataFrame) -> int:
    """Upsert accepted observations: new keys inserted, a changed price replaces the current one and the old
    value moves to history, the same price again changes nothing. Returns how many written rows were flagged.
    Runs inside the caller's transaction."""
    if accepted.empty:
        return 0
    jumps, overlaps = jump_flags(accepted, _context(con, accepted))
    con.register("accepted_frame", accepted.assign(jump=jumps))
    con.execute(
        """
        CREATE OR REPLACE TEMP VIEW incoming AS
        SELECT CAST(observed_on AS DATE) AS observed_on, CAST(market_id AS VARCHAR) AS market_id,
               CAST(commodity_id AS VARCHAR) AS commodity_id,
               CAST(price_idr AS DECIMAL(14,2)) AS price_idr, CAST(unit AS VARCHAR) AS unit,
               CAST(sheet AS VARCHAR) AS sheet, CAST(source_row AS INTEGER) AS source_row,
               CASE WHEN jump THEN '"""
        + JUMP_FLAG
        + """' END AS flags
        FROM accepted_frame"""
    )
    params = {"now": now_utc(), "file_id": receipt.file_id}
    if overlaps:
        flagged = _merge_revisions(con, params)
    else:  # only new keys (the usual case): a plain insert
        con.execute(
            "INSERT INTO core.price_observations SELECT observed_on, market_id, commodity_id, price_idr, "
            "unit, $file_id, sheet, source_row, flags, $now FROM incoming",
            params,
        )
        flagged = int(jumps.sum())
    con.execute("DROP VIEW incoming")
    con.unregister("accepted_frame")
    return flagged


def _merge_revisions(con: duckdb.DuckDBPyConnection, params: dict) -> int:
    con.execute("""
        CREATE OR REPLACE TEMP TABLE replaced AS
        SELECT c.* FROM core.price_observations c JOIN incoming i USING (observed_on, market_id, commodity_id)
        WHERE c.price_idr <> i.price_idr""")
    if one(con.execute("SELECT count(*) FROM replaced"))[0]:
        con.execute("INSERT INTO core.price_observation_history SELECT *, $now, $file_id FROM replaced", params)
        con.execute("""
            DELETE FROM core.price_observations c USING replaced r
            WHERE c.observed_on = r.observed_on AND c.market_id = r.market_id AND c.commodity_id = r.commodity_id""")
    # what is still in core for these keys has the same price: nothing to write for it
    con.execute(
        """
        INSERT INTO core.price_observations
        SELECT observed_on, market_id, commodity_id, price_idr, unit, $file_id, sheet, source_row, flags, $now
        FROM incoming ANTI JOIN core.price_observations USING (observed_on, market_id, commodity_id)""",
        params,
    )
    return one(
        con.execute(
            "SELECT count(*) FROM core.price_observations WHERE file_id = $file_id "
            "AND loaded_at = $now AND flags IS NOT NULL",
            params,
        )
    )[0]


REGION_KEY = ("period", "source", "price_level", "period_start", "region_code", "commodity_id")


def store_region_prices(
    con: duckdb.DuckDBPyConnection, receipt: Receipt, accepted: pd.DataFrame, period: str, source: str, price_level: str
) -> int:
    """A region's series: a later file's value for the same period, region, commodity, level and source
    replaces the earlier one. Runs inside the caller's transaction; nothing is flagged."""
    frame = pd.DataFrame(
        {
            "period": period,
            "source": source,
            "price_level": price_level,
            "period_start": accepted["observed_on"].to_numpy(),
            "region_code": accepted["region_code"].astype(str).to_numpy(),
            "commodity_id": accepted["commodity_id"].astype(str).to_numpy(),
            "price_idr": accepted["price_idr"].to_numpy(),
            "unit": accepted["unit"].astype(str),
            "sheet": accepted["sheet"].astype(str).to_numpy(),
            "source_row": accepted["source_row"].to_numpy(),
        }
    )
    con.register("incoming_region", frame)
    try:
        replace_by_key(
            con,
            "core.region_prices",
            "incoming_region",
            REGION_KEY,
            """
            INSERT INTO core.region_prices (period, period_start, region_code, commodity_id, price_level, source,
                                            price_idr, unit, file_id, sheet, source_row, loaded_at)
            SELECT period, period_start, region_code, commodity_id, price_level, source, price_idr, unit, $file_id,
                   sheet, source_row, $now FROM incoming_region""",
            {"file_id": receipt.file_id, "now": now_utc()},
        )
    finally:
        con.unregister("incoming_region")
    return 0


def store_records(
    con: duckdb.DuckDBPyConnection, receipt: Receipt, table_name: str, replaces: tuple[str, ...], rows: pd.DataFrame
) -> int:
    """Insert a record file's rows; rows of earlier files with the same `replaces` key go first (a corrected
    file replaces what it corrects). Returns how many rows carry a quality flag. In the caller's transaction."""
    if rows.empty:
        return 0
    table = next(t for t in TABLES if t.name == table_name)
    frame = rows.assign(file_id=receipt.file_id, loaded_at=now_utc())
    con.register("record_frame", frame)
    casts = ", ".join(f"CAST({n} AS {typ.split()[0]})" if n in frame else "NULL" for n, typ, _ in table.columns)
    insert = f"INSERT INTO {table_name} SELECT {casts} FROM record_frame"
    if replaces:
        replace_by_key(con, table_name, "record_frame", replaces, insert)
    else:
        con.execute(insert)
    con.unregister("record_frame")
    return int(frame["flags"].notna().sum()) if "flags" in frame else 0
