"""The DuckDB warehouse: one writer at a time, each file in one transaction, and the serving copy readers open."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd

from . import __version__
from .comparisons import refresh_comparisons
from .indicators import refresh_marts
from .packs import active_reference
from .quickwin_marts import refresh_quick_win_marts
from .reference import Reference, load_reference
from .settings import PRIVATE_FILE, Settings, env_number, restrict
from .tables import SCHEMAS, TABLES
from .transactions import one, transaction

JUMP_THRESHOLD = 0.5  # day-on-day change that flags (not rejects) an observation
JUMP_FLAG = "lonjakan_harian"


class WriterBusy(Exception):
    """Another process held the warehouse for longer than we were willing to wait."""


@contextlib.contextmanager
def writer_lock(settings: Settings, timeout_s: float | None = None) -> Iterator[None]:
    """A file lock shared by every writing process (CLI, Dagster runs): waits, bounded, then gives up."""
    if timeout_s is None:
        timeout_s = env_number("SIHARPA_LOCK_TIMEOUT", 300, 0, 86_400)
    settings.ensure_dirs()
    with open(settings.writer_lock_path, "a+") as fh:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WriterBusy(f"Gudang data sedang dipakai proses lain selama lebih dari {timeout_s:.0f} "
                                     "detik; coba lagi nanti.") from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@contextlib.contextmanager
def writer(settings: Settings, timeout_s: float | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """The lock, then a short-lived read-write connection with the schema in place."""
    with writer_lock(settings, timeout_s):
        # rows keep no insertion order of their own (every read orders by key): inserts need not keep it
        con = duckdb.connect(str(settings.warehouse_path), config={"preserve_insertion_order": False})
        restrict(settings.warehouse_path, PRIVATE_FILE)
        try:
            ensure_schema(con, active_reference(settings))
            yield con
        finally:
            con.close()


@contextlib.contextmanager
def reader(settings: Settings) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-only connection on the serving file (never on the warehouse a writer may hold)."""
    con = duckdb.connect(str(settings.serving_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def ensure_schema(con: duckdb.DuckDBPyConnection, ref: Reference | None = None) -> None:
    if _has_current_schema(con):
        return
    with transaction(con):
        _create_schema(con, ref)


def _create_schema(con: duckdb.DuckDBPyConnection, ref: Reference | None = None) -> None:
    """Tables in place, an older warehouse upgraded: reference tables rebuilt (they are reloaded whole), other
    tables given the columns they lack (their rows are kept)."""
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table in TABLES:
        if table.name.startswith("ref."):
            con.execute(f"DROP TABLE IF EXISTS {table.name}")
        con.execute(table.ddl())
        for column, kind, _ in table.columns:
            con.execute(f"ALTER TABLE {table.name} ADD COLUMN IF NOT EXISTS {column} {kind.split()[0]}")
        for statement in table.comments():
            con.execute(statement)
    load_reference_tables(con, ref or load_reference())
    con.execute("CREATE TABLE IF NOT EXISTS audit.schema_version (version VARCHAR)")
    con.execute("DELETE FROM audit.schema_version")
    con.execute("INSERT INTO audit.schema_version VALUES (?)", [__version__])


def _has_current_schema(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        row = con.execute("SELECT version FROM audit.schema_version").fetchone()
    except duckdb.CatalogException:
        return False
    return row is not None and row[0] == __version__


def load_reference_tables(con: duckdb.DuckDBPyConnection, ref: Reference) -> None:
    """ref.* as the reference that judges files now: the shipped facts and the region packs imported."""
    frames = {
        "ref.commodities": ref.commodities,
        "ref.commodity_aliases": ref.commodity_aliases,
        "ref.markets": ref.markets,
        "ref.regions": ref.regions,
        "ref.reference_prices": ref.reference_prices,
        "ref.desa_kelurahan": ref.desa,
        "ref.waste_categories": ref.waste_categories,
        "ref.destinations": ref.destinations,
        "ref.calls_112_categories": ref.call_categories,
        "ref.masterplan_quick_wins": ref.quick_wins,
    }
    for name, frame in frames.items():
        table = next(t for t in TABLES if t.name == name)
        cols = [c for c, _, _ in table.columns]
        con.execute(f"DELETE FROM {name}")
        con.register("ref_frame", frame[cols])
        con.execute(f"INSERT INTO {name} SELECT {', '.join(cols)} FROM ref_frame")
        con.unregister("ref_frame")


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


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
        "AND status IN ('loaded', 'partially_loaded', 'rejected') ORDER BY received_at", [file_id]).fetchall()


def record_receipt(con: duckdb.DuckDBPyConnection, receipt: Receipt, status: str, *, accepted: int = 0,
                   rejected: int = 0, missing: int = 0, flagged: int = 0, error: str | None = None,
                   error_message: str | None = None, notes: Sequence[str] = (),
                   content_level: str | None = None) -> None:
    con.execute(
        "INSERT INTO audit.files (receipt_id, file_id, file_name, dataset, submitted_by, received_at, status, "
        "rows_accepted, rows_rejected, rows_missing, rows_flagged, error, error_message, notes, archive_path, "
        "reference_version, content_level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [receipt.receipt_id, receipt.file_id, receipt.file_name, receipt.dataset, receipt.submitted_by,
         receipt.received_at, status, accepted, rejected, missing, flagged, error, error_message,
         "\n".join(notes) or None, receipt.archive_path, receipt.reference_version, content_level])


def record_rejections(con: duckdb.DuckDBPyConnection, receipt: Receipt, rejections: pd.DataFrame) -> None:
    if rejections.empty:
        return
    frame = rejections.assign(receipt_id=receipt.receipt_id, file_id=receipt.file_id)
    if "reasons" not in frame:
        frame["reasons"] = frame["reason_code"]
    con.register("rejection_frame", frame)
    con.execute("INSERT INTO audit.rejections (receipt_id, file_id, sheet, source_row, source_column, reason_code, "
                "raw_value, message, reasons) SELECT receipt_id, file_id, sheet, source_row, source_column, "
                "reason_code, raw_value, message, reasons FROM rejection_frame")
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
        ctx_keys = _series_key(accepted["market_id"].cat.categories.get_indexer(context["market_id"]),
                               accepted["commodity_id"].cat.categories.get_indexer(context["commodity_id"]),
                               context["observed_on"])
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
    context = con.execute("""
        SELECT c.market_id, c.commodity_id, c.observed_on, c.price_idr::DOUBLE AS price_idr
        FROM core.price_observations c SEMI JOIN pairs_frame p USING (market_id, commodity_id)
        WHERE c.observed_on >= CAST($first AS DATE) - INTERVAL 366 DAY""",
                          {"first": accepted["observed_on"].min().date()}).df()
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
    con.execute("""
        CREATE OR REPLACE TEMP VIEW incoming AS
        SELECT CAST(observed_on AS DATE) AS observed_on, CAST(market_id AS VARCHAR) AS market_id,
               CAST(commodity_id AS VARCHAR) AS commodity_id,
               CAST(price_idr AS DECIMAL(14,2)) AS price_idr, CAST(unit AS VARCHAR) AS unit,
               CAST(sheet AS VARCHAR) AS sheet, CAST(source_row AS INTEGER) AS source_row,
               CASE WHEN jump THEN '""" + JUMP_FLAG + """' END AS flags
        FROM accepted_frame""")
    params = {"now": now_utc(), "file_id": receipt.file_id}
    if overlaps:
        flagged = _merge_revisions(con, params)
    else:  # only new keys (the usual case): a plain insert
        con.execute("INSERT INTO core.price_observations SELECT observed_on, market_id, commodity_id, price_idr, "
                    "unit, $file_id, sheet, source_row, flags, $now FROM incoming", params)
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
    con.execute("""
        INSERT INTO core.price_observations
        SELECT observed_on, market_id, commodity_id, price_idr, unit, $file_id, sheet, source_row, flags, $now
        FROM incoming ANTI JOIN core.price_observations USING (observed_on, market_id, commodity_id)""", params)
    return one(con.execute("SELECT count(*) FROM core.price_observations WHERE file_id = $file_id "
                           "AND loaded_at = $now AND flags IS NOT NULL", params))[0]


def store_region_prices(con: duckdb.DuckDBPyConnection, receipt: Receipt, accepted: pd.DataFrame, period: str,
                        source: str, price_level: str) -> int:
    """A region's series: a later file's value for the same period, region, commodity, level and source
    replaces the earlier one (delete, then insert). Runs inside the caller's transaction; nothing is flagged."""
    frame = pd.DataFrame({"period_start": accepted["observed_on"].to_numpy(),
                          "region_code": accepted["region_code"].astype(str).to_numpy(),
                          "commodity_id": accepted["commodity_id"].astype(str).to_numpy(),
                          "price_idr": accepted["price_idr"].to_numpy(), "unit": accepted["unit"].astype(str),
                          "sheet": accepted["sheet"].astype(str).to_numpy(),
                          "source_row": accepted["source_row"].to_numpy()})
    params = {"period": period, "source": source, "level": price_level, "file_id": receipt.file_id,
              "now": now_utc()}
    con.register("incoming_region", frame)
    try:
        con.execute("""
            DELETE FROM core.region_prices r USING incoming_region i
            WHERE r.period = $period AND r.source = $source AND r.price_level = $level
              AND r.period_start = i.period_start AND r.region_code = i.region_code
              AND r.commodity_id = i.commodity_id""", {k: params[k] for k in ("period", "source", "level")})
        con.execute("""
            INSERT INTO core.region_prices (period, period_start, region_code, commodity_id, price_level, source,
                                            price_idr, unit, file_id, sheet, source_row, loaded_at)
            SELECT $period, period_start, region_code, commodity_id, $level, $source, price_idr, unit, $file_id,
                   sheet, source_row, $now FROM incoming_region""", params)
    finally:
        con.unregister("incoming_region")
    return 0


def store_records(con: duckdb.DuckDBPyConnection, receipt: Receipt, table_name: str, replaces: tuple[str, ...],
                  rows: pd.DataFrame) -> int:
    """Insert a record file's rows; rows of earlier files with the same `replaces` key go first (a corrected
    file replaces what it corrects). Returns how many rows carry a quality flag. In the caller's transaction."""
    if rows.empty:
        return 0
    table = next(t for t in TABLES if t.name == table_name)
    frame = rows.assign(file_id=receipt.file_id, loaded_at=now_utc())
    con.register("record_frame", frame)
    if replaces:
        match = " AND ".join(f"t.{k} IS NOT DISTINCT FROM r.{k}" for k in replaces)
        con.execute(f"DELETE FROM {table_name} t USING (SELECT DISTINCT {', '.join(replaces)} FROM record_frame) r "
                    f"WHERE {match}")
    casts = ", ".join(f"CAST({n} AS {typ.split()[0]})" if n in frame else "NULL" for n, typ, _ in table.columns)
    con.execute(f"INSERT INTO {table_name} SELECT {casts} FROM record_frame")
    con.unregister("record_frame")
    return int(frame["flags"].notna().sum()) if "flags" in frame else 0


def publish(settings: Settings, refresh: bool = True, full: bool = False) -> dt.datetime:
    """Refresh the indicators (unless the caller just did; all of them with full=True), then rewrite
    serving.duckdb as a new file and swap it in atomically: readers never see half a file. The publication is
    recorded in the copy, then in the warehouse, then the copy is swapped in; if any step fails (a full disk)
    the copy is removed and both files stay as they were."""
    with writer(settings) as con:
        if refresh:
            refresh_marts(con, full=full)
            refresh_comparisons(con)
            refresh_quick_win_marts(con)
        published_at = now_utc()
        count = one(con.execute("SELECT count(*) FROM core.price_observations"))[0]
        con.execute("CHECKPOINT")
        con.close()
        tmp = settings.serving_path.with_suffix(".duckdb.tmp")
        try:
            shutil.copyfile(settings.warehouse_path, tmp)
            restrict(tmp, PRIVATE_FILE)
            _record_publication(tmp, published_at, count)
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            _record_publication(settings.warehouse_path, published_at, count)
        except BaseException:
            for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
                leftover.unlink(missing_ok=True)
            raise
        os.replace(tmp, settings.serving_path)
    return published_at


def _record_publication(path, published_at: dt.datetime, count: int) -> None:
    con = duckdb.connect(str(path))
    try:
        con.execute("INSERT INTO audit.publications VALUES (?, ?, ?)", [published_at, __version__, count])
        con.execute("CHECKPOINT")
    finally:
        con.close()
