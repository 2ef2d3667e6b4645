"""Extracts for Bappeda: the published tables, filtered by dataset and date, in a file that explains itself.

A DuckDB extract holds the `ref`, `core` and `mart` tables (audit and history on request) with their Indonesian
COMMENT ON descriptions, and `_manifest`: for every table its row count, date range and a SHA-256 anyone can
recompute (the table written by DuckDB as CSV with a header, rows ordered by the table's unique key, or by all
columns left to right where it has none). Parquet and CSV extracts are a folder with one file per table, an
Excel extract one workbook with a sheet per table; all three come with manifest.json holding the same facts.
Text that a spreadsheet would run as a formula is neutralised in CSV and Excel; numbers stay numbers."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb
import openpyxl

from . import __version__
from .datasets import DATASET_NAMES, DATASETS
from .settings import Settings
from .storage import NothingPublished, quoted, storage
from .tables import COMPARISON_MARTS, MARTS, QUICK_WIN_MARTS
from .transactions import one

FORMATS = ("duckdb", "parquet", "csv", "xlsx")
FOLDER_FORMATS = ("parquet", "csv")
FORMULA_START = "^[=+\\-@\t\r]"
EXCEL_MAX_ROWS = 1_048_575  # one row for the header
EXCEL_MAX_TITLE = 31
# the column a date filter applies to, in order of preference; monthly and yearly tables match by month/year
DATE_COLUMNS = ("observed_on", "deposited_on", "received_at", "day", "period_start", "period_end", "month")
AUDIT_TABLES = ("audit.files", "audit.rejections", "audit.publications", "audit.reference_imports")
# unique keys of the large tables: ordering by them alone is a total order and much cheaper than ALL
KEY_ORDER = {
    "core.price_observations": ("observed_on", "market_id", "commodity_id"),
    "mart.price_changes": ("observed_on", "region_code", "market_id", "commodity_id"),
    "mart.price_reference_status": ("observed_on", "region_code", "market_id", "commodity_id"),
    "mart.price_ppu_daily": ("observed_on", "region_code", "commodity_id"),
}
CHECKSUM_WORKERS = 2


class ExtractError(Exception):
    """The extract cannot be made; the message says why, in Bahasa Indonesia."""


@dataclass(frozen=True)
class Scope:
    datasets: tuple[str, ...] = DATASET_NAMES
    start: dt.date | None = None
    end: dt.date | None = None
    with_audit: bool = False

    def describe(self) -> str:
        period = f"{self.start or 'awal'}..{self.end or 'akhir'}"
        return f"datasets={','.join(self.datasets)}; tanggal={period}; audit={'ya' if self.with_audit else 'tidak'}"


@dataclass
class ManifestEntry:
    table_name: str
    row_count: int
    date_column: str | None
    first_date: str | None
    last_date: str | None
    order_by: str  # the row order of the checksum: the table's unique key, or ALL columns left to right
    sha256: str
    pipeline_version: str
    published_at: str
    created_at: str
    filter: str
    snapshot_id: int | None = None  # the DuckLake snapshot the extract was read from (None: the serving file)


def tables_for(scope: Scope, available: list[str]) -> list[str]:
    """The reference tables, then each chosen dataset's core table and marts (audit and history on request);
    only those this installation has."""
    unknown = set(scope.datasets) - set(DATASET_NAMES)
    if unknown:
        raise ExtractError(
            f"Jenis data tidak dikenal: {', '.join(sorted(unknown))}; pilih dari {', '.join(DATASET_NAMES)}."
        )
    tables = [t for t in available if t.startswith("ref.")]
    for dataset in scope.datasets:
        tables.append(DATASETS[dataset].core_table)
        if dataset == "prices":
            tables += ["core.region_prices", *(m.name for m in MARTS + COMPARISON_MARTS)]
            tables += ["core.price_observation_history"] if scope.with_audit else []
        else:
            tables += [m.name for m in QUICK_WIN_MARTS if m.name.startswith(DATASETS[dataset].marts)]
    tables += ["mart.dataset_freshness"] + (list(AUDIT_TABLES) if scope.with_audit else [])
    return [t for t in tables if t in available]


def _columns(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[tuple[str, str, str | None]]]:
    out: dict[str, list] = {}
    for schema, table, column, typ, comment in con.execute(f"""
            SELECT schema_name, table_name, column_name, data_type, comment FROM duckdb_columns()
            WHERE database_name = '{catalog}' ORDER BY schema_name, table_name, column_index""").fetchall():
        out.setdefault(f"{schema}.{table}", []).append((column, typ, comment))
    return out


def _where(table: str, columns: list[tuple[str, str, str | None]], scope: Scope) -> tuple[str | None, str]:
    """(the date column, a WHERE clause) for the scope; audit tables follow the chosen datasets. Values are
    inlined (views take no parameters): dates from date objects, dataset names checked against DATASETS."""
    chosen = "[" + ", ".join(f"'{d}'" for d in scope.datasets) + "]"
    if table in ("audit.files", "mart.dataset_freshness"):
        return None, f"list_contains({chosen}, dataset)"
    if table == "audit.rejections":
        return None, f"receipt_id IN (SELECT receipt_id FROM src.audit.files WHERE list_contains({chosen}, dataset))"
    names = {c for c, _, _ in columns}
    column = next((c for c in DATE_COLUMNS if c in names), "year" if "year" in names else None)
    start = f"DATE '{scope.start.isoformat()}'" if scope.start else None
    end = f"DATE '{scope.end.isoformat()}'" if scope.end else None
    if column is None or (start is None and end is None):
        return column, "true"
    low: str | None
    high: str | None
    if column == "year":
        low, high, cast = f"year({start})", f"year({end})", ""
    elif column == "month":
        low, high, cast = f"date_trunc('month', {start})", end, ""
    else:
        low, high, cast = start, end, "::DATE"
    parts = ([f"{column} >= {low}"] if start else []) + ([f"{column}{cast} <= {high}"] if end else [])
    return column, " AND ".join(parts)


def order_of(table: str) -> str:
    """How a table's rows are ordered for its checksum: its unique key, else all columns left to right."""
    return ", ".join(KEY_ORDER[table]) if table in KEY_ORDER else "ALL"


def checksum(con: duckdb.DuckDBPyConnection, relation: str, order_by: str = "ALL") -> str:
    """SHA-256 of the rows written by DuckDB as CSV with a header, in the given order."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "table.csv"
        con.execute(
            f"COPY (SELECT * FROM {relation} ORDER BY {order_by}) TO {quoted(str(path))} (FORMAT csv, HEADER true)"
        )
        return _file_sha256(path)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(
    con: duckdb.DuckDBPyConnection,
    rows: str,
    table: str,
    date_column: str | None,
    published_at: str,
    created_at: str,
    scope: Scope,
    snapshot: int | None,
) -> ManifestEntry:
    try:
        dates = f"min({date_column})::VARCHAR, max({date_column})::VARCHAR" if date_column else "NULL, NULL"
        count, first, last = one(con.execute(f"SELECT count(*), {dates} FROM {rows}"))
        order = order_of(table)
        return ManifestEntry(
            table,
            count,
            date_column,
            first,
            last,
            order,
            checksum(con, rows, order),
            __version__,
            published_at,
            created_at,
            scope.describe(),
            snapshot,
        )
    finally:
        con.close()


def check_target(settings: Settings, out: Path, fmt: str, force: bool = False) -> None:
    """Never delete what the extract did not create: an existing folder is refused (a folder format may
    fill an empty one), an existing file is replaced only with force, and the pipeline's own data never."""
    out = out.resolve()
    data_dir = settings.data_dir.resolve()
    for own in (settings.warehouse_dir, settings.archive_dir, settings.inbox_dir):
        own = own.resolve()
        if out == data_dir or out == own or own in out.parents or out in own.parents:
            raise ExtractError(f"Tujuan {out} adalah atau berisi data SIHARPA sendiri; pilih tempat lain.")
    if out.is_dir():
        if fmt in FOLDER_FORMATS and not any(out.iterdir()):
            return
        raise ExtractError(f"Tujuan {out} sudah ada dan berupa folder; pilih nama baru (tidak ada yang dihapus).")
    if out.exists() or out.is_symlink():
        if fmt in FOLDER_FORMATS:
            raise ExtractError(f"Tujuan {out} sudah ada sebagai berkas; format {fmt} memerlukan folder baru.")
        if not force:
            raise ExtractError(f"Berkas {out} sudah ada; pakai --force untuk menimpanya.")
    manifest = out.parent / f"{out.stem}_manifest.json"
    if fmt == "xlsx" and manifest.exists() and not force:
        raise ExtractError(f"Berkas {manifest} sudah ada; pakai --force untuk menimpanya.")


def build_extract(
    settings: Settings, out: Path, scope: Scope, fmt: str = "duckdb", force: bool = False
) -> list[ManifestEntry]:
    """Write the extract to `out` (a .duckdb file, a folder for parquet/csv, an .xlsx workbook) and its
    manifest; nothing is left half-written at `out` if it fails, and nothing there is deleted that this
    extract did not make (see check_target)."""
    if fmt not in FORMATS:
        raise ExtractError(f"Format '{fmt}' tidak dikenal; pilih dari {', '.join(FORMATS)}.")
    if scope.start and scope.end and scope.start > scope.end:
        raise ExtractError("Tanggal --from sesudah --to.")
    check_target(settings, out, fmt, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".extract-", dir=out.parent))
    except OSError as err:
        raise ExtractError(f"Folder {out.parent} tidak dapat ditulisi: {err.strerror or err}.") from None
    try:
        target = work / ("extract.duckdb" if fmt == "duckdb" else out.name)
        con = duckdb.connect(str(target) if fmt == "duckdb" else ":memory:")
        try:
            snapshot = storage(settings).attach_published(con, "src")
            con.execute("SET preserve_insertion_order = false")  # every order that matters is an ORDER BY
            entries = _write(con, target, scope, fmt, snapshot)
        finally:
            con.close()
        if fmt in ("parquet", "csv"):
            _write_json(target / "manifest.json", entries, target)
        elif fmt == "xlsx":
            _write_json(work / "manifest.json", entries, None)
            os.replace(work / "manifest.json", out.parent / f"{out.stem}_manifest.json")
        if out.is_dir():  # an empty folder check_target allowed
            out.rmdir()
        os.replace(target, out)
    except NothingPublished as err:
        raise ExtractError(str(err)) from None
    except duckdb.Error as err:
        raise ExtractError(
            f"Berkas serving tidak dapat dibaca (rusak atau sedang diganti): {err}. Jalankan "
            "siharpa publish lalu coba lagi."
        ) from None
    except OSError as err:
        raise ExtractError(f"Ekstrak tidak dapat ditulis ke {out}: {err.strerror or err}.") from None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return entries


def _write(
    con: duckdb.DuckDBPyConnection, target: Path, scope: Scope, fmt: str, snapshot: int | None
) -> list[ManifestEntry]:
    """Each table written from the published data while worker connections count it and compute its checksum
    from the same rows (DuckDB releases the GIL, so the two overlap); a DuckDB extract in one transaction."""
    columns = _columns(con, "src")
    published = one(con.execute("SELECT max(published_at)::VARCHAR FROM src.audit.publications"))[0]
    created = dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    plans = []
    for table in tables_for(scope, list(columns)):
        date_column, where = _where(table, columns[table], scope)
        plans.append((table, date_column, f"(SELECT * FROM src.{table} WHERE {where})"))
    if fmt in ("parquet", "csv"):
        target.mkdir()
    if fmt == "xlsx":  # refused before a sheet is open: a half-written workbook litters stderr when collected
        for table, _, rows in plans:
            _check_excel_rows(con, table, rows)
    workbook = openpyxl.Workbook(write_only=True) if fmt == "xlsx" else None
    with ThreadPoolExecutor(CHECKSUM_WORKERS) as pool:
        futures = [
            pool.submit(_entry, con.cursor(), rows, table, date_column, published, created, scope, snapshot)
            for table, date_column, rows in plans
        ]
        if fmt == "duckdb":
            con.execute("BEGIN")
        for table, _, rows in plans:
            if fmt == "duckdb":
                _copy_table(con, table, rows, columns[table])
            elif fmt == "xlsx":
                _sheet(con, workbook, table, rows, columns[table])
            else:
                _file(con, target, table, rows, columns[table], fmt)
        entries = [f.result() for f in futures]
    if fmt == "duckdb":
        _manifest_table(con, entries)
        con.execute("COMMIT")
    elif workbook is not None:
        workbook.save(target)
    return entries


def _copy_table(
    con: duckdb.DuckDBPyConnection, table: str, rows: str, columns: list[tuple[str, str, str | None]]
) -> None:
    schema = table.split(".")[0]
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM {rows}")
    comment = one(
        con.execute(
            "SELECT comment FROM duckdb_tables() WHERE database_name = 'src' AND schema_name = ? AND table_name = ?",
            table.split("."),
        )
    )[0]
    if comment:
        con.execute(f"COMMENT ON TABLE {table} IS {quoted(comment)}")
    for name, _, note in columns:
        if note:
            con.execute(f"COMMENT ON COLUMN {table}.{name} IS {quoted(note)}")


def _neutralised_select(columns: list[tuple[str, str, str | None]]) -> str:
    """Text that would start a formula in a spreadsheet gets a leading quote; other columns as they are."""
    return ", ".join(
        f"CASE WHEN regexp_matches({n}, '{FORMULA_START}') THEN '''' || {n} ELSE {n} END AS {n}"
        if t == "VARCHAR"
        else n
        for n, t, _ in columns
    )


def _file(con: duckdb.DuckDBPyConnection, folder: Path, table: str, rows: str, columns, fmt: str) -> None:
    path = folder / f"{table}.{fmt}"
    if fmt == "parquet":
        con.execute(f"COPY (SELECT * FROM {rows}) TO {quoted(str(path))} (FORMAT parquet)")
    else:
        con.execute(
            f"COPY (SELECT {_neutralised_select(columns)} FROM {rows}) TO {quoted(str(path))} (FORMAT csv, HEADER true)"
        )


def _check_excel_rows(con: duckdb.DuckDBPyConnection, table: str, rows: str) -> None:
    count = one(con.execute(f"SELECT count(*) FROM {rows}"))[0]
    if count > EXCEL_MAX_ROWS:
        raise ExtractError(
            f"{table} berisi {count} baris, melebihi batas Excel; persempit --from/--to atau pilih "
            "format parquet/csv/duckdb."
        )


def _sheet(con: duckdb.DuckDBPyConnection, workbook: openpyxl.Workbook, table: str, rows: str, columns) -> None:
    sheet = workbook.create_sheet(table[:EXCEL_MAX_TITLE])
    sheet.append([n for n, _, _ in columns])
    result = con.execute(f"SELECT {_neutralised_select(columns)} FROM {rows}")
    while batch := result.fetchmany(10_000):
        for row in batch:
            sheet.append([_excel_value(v) for v in row])


def _excel_value(value):
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value


def _manifest_table(con: duckdb.DuckDBPyConnection, entries: list[ManifestEntry]) -> None:
    con.execute("""CREATE TABLE main._manifest (table_name VARCHAR, row_count BIGINT, date_column VARCHAR,
        first_date VARCHAR, last_date VARCHAR, order_by VARCHAR, sha256 VARCHAR, pipeline_version VARCHAR,
        published_at VARCHAR, created_at VARCHAR, filter VARCHAR, snapshot_id BIGINT)""")
    con.executemany(
        "INSERT INTO main._manifest VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [list(asdict(e).values()) for e in entries],
    )
    con.execute(
        "COMMENT ON TABLE main._manifest IS "
        + quoted(
            "Isi ekstrak ini: satu baris per tabel. sha256 = SHA-256 tabel yang ditulis DuckDB sebagai CSV dengan "
            "judul kolom, baris diurutkan menurut order_by (kunci unik tabel, atau ALL = semua kolom dari kiri): "
            "COPY (SELECT * FROM tabel ORDER BY <order_by>) TO 'x.csv' (FORMAT csv, HEADER true)."
        )
    )
    for column, note in (
        ("table_name", "Nama tabel lengkap dengan skema"),
        ("row_count", "Jumlah baris"),
        ("date_column", "Kolom tanggal yang dipakai untuk filter"),
        ("first_date", "Tanggal paling awal di tabel"),
        ("last_date", "Tanggal paling akhir"),
        ("order_by", "Urutan baris untuk sidik: kunci unik tabel, atau ALL"),
        ("sha256", "Sidik SHA-256 isi tabel (lihat keterangan tabel)"),
        ("pipeline_version", "Versi pipeline SIHARPA"),
        ("published_at", "Waktu terbit berkas serving sumber (UTC)"),
        ("created_at", "Waktu ekstrak dibuat (UTC)"),
        ("filter", "Filter yang dipakai"),
        ("snapshot_id", "Snapshot danau data (DuckLake) sumber ekstrak; kosong bila dari berkas serving"),
    ):
        con.execute(f"COMMENT ON COLUMN main._manifest.{column} IS {quoted(note)}")


def _write_json(path: Path, entries: list[ManifestEntry], folder: Path | None) -> None:
    """manifest.json: the _manifest rows, and each table's file and its own SHA-256 (folder extracts) or its
    sheet (a workbook: Excel cuts sheet names at 31 characters)."""
    tables = []
    for e in entries:
        row = asdict(e)
        if folder is None:
            row.update(sheet=e.table_name[:EXCEL_MAX_TITLE])
        else:
            [file] = folder.glob(f"{e.table_name}.*")
            row.update(file=file.name, file_sha256=_file_sha256(file))
        tables.append(row)
    payload = {
        "checksum_method": "SHA-256 of COPY (SELECT * FROM table ORDER BY <order_by>) TO 'x.csv' "
        "(FORMAT csv, HEADER true), DuckDB 1.5",
        "tables": tables,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")


def as_download(out: Path, fmt: str) -> tuple[str, bytes]:
    """(file name, bytes) to hand over: the file itself, or a folder extract (and a workbook's manifest) zipped."""
    if fmt == "duckdb":
        return out.name, out.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if fmt == "xlsx":
            archive.write(out, out.name)
            archive.write(out.parent / f"{out.stem}_manifest.json", f"{out.stem}_manifest.json")
        else:
            for path in sorted(out.iterdir()):
                archive.write(path, f"{out.name}/{path.name}")
    return f"{out.name}.zip" if fmt != "xlsx" else f"{out.stem}.zip", buffer.getvalue()
