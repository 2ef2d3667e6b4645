"""Receiving files: archive the original bytes, judge them, store the verdict in one transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb

from . import warehouse
from .pricefiles import FileVerdict, judge_price_file
from .settings import Settings

log = logging.getLogger(__name__)
WITA = ZoneInfo("Asia/Makassar")


def today_wita() -> dt.date:
    return dt.datetime.now(WITA).date()


@dataclass
class FileResult:
    """The per-file summary printed by `siharpa ingest --json` and shown on the upload page."""
    file: str
    file_id: str | None
    dataset: str
    status: str
    rows_accepted: int = 0
    rows_rejected: int = 0
    rows_missing: int = 0
    rows_flagged: int = 0
    error: str | None = None
    error_message: str | None = None
    notes: list[str] = field(default_factory=list)
    rejections: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def file_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archive(settings: Settings, file_id: str, name: str, data: bytes) -> Path:
    """The original bytes, kept by file_id before anything else happens to them."""
    target = settings.archive_dir / file_id[:2] / f"{file_id}{Path(name).suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    return target


def judge_file(path: Path, dataset: str | None, as_of: dt.date, assigned: set[str] | None,
               data: bytes | None = None) -> tuple[str, FileVerdict]:
    """(dataset, verdict) without writing anything; a bug of ours becomes a failed file, not a traceback."""
    try:
        verdict = judge_price_file(path, as_of, assigned, data)
    except Exception:
        log.exception("internal error while reading %s", path.name)
        verdict = FileVerdict(error="internal_error",
                              error_message="Terjadi kesalahan internal saat membaca berkas; berkas sudah diarsip "
                                            "dan petugas TI telah dicatat.")
    recognised = verdict.error not in ("unreadable_file", "no_table_found", "internal_error")
    return (dataset or ("prices" if recognised else "unknown")), verdict


def ingest_files(paths: list[Path], settings: Settings, *, dataset: str | None = None, as_of: dt.date | None = None,
                 submitted_by: str | None = None, assigned: set[str] | None = None) -> list[FileResult]:
    """Load files one by one, each in its own transaction, under one writer lock and one connection."""
    as_of = as_of or today_wita()
    with warehouse.writer(settings) as con:
        return [_ingest_one(con, settings, Path(p), dataset, as_of, submitted_by, assigned) for p in paths]


def _ingest_one(con: duckdb.DuckDBPyConnection, settings: Settings, path: Path, dataset: str | None,
                as_of: dt.date, submitted_by: str | None, assigned: set[str] | None) -> FileResult:
    try:
        data = path.read_bytes()
    except OSError as err:
        return FileResult(path.name, None, dataset or "unknown", "failed", error="unreadable_file",
                          error_message=f"Berkas tidak dapat dibuka: {err.strerror or err}.")
    file_id = file_id_of(data)
    stored = archive(settings, file_id, path.name, data)
    receipt = warehouse.Receipt(uuid.uuid4().hex, file_id, path.name, dataset or "unknown", submitted_by,
                                warehouse.now_utc(), str(stored.relative_to(settings.data_dir)))
    earlier = warehouse.loaded_before(con, file_id)
    if earlier is not None:
        note = f"Berkas yang sama persis sudah dimuat pada {earlier:%d/%m/%Y %H:%M} UTC; tidak ada yang diubah."
        receipt.dataset = dataset or _dataset_of(con, file_id)
        warehouse.record_receipt(con, receipt, "duplicate", notes=[note])
        return FileResult(path.name, file_id, receipt.dataset, "duplicate", notes=[note])
    receipt.dataset, verdict = judge_file(path, dataset, as_of, assigned, data)
    con.execute("BEGIN")
    try:
        flagged = 0 if verdict.error else warehouse.store_prices(con, receipt, verdict.accepted)
        warehouse.record_rejections(con, receipt, verdict.rejections)
        warehouse.record_receipt(con, receipt, verdict.status, accepted=len(verdict.accepted),
                                 rejected=len(verdict.rejections), missing=verdict.rows_missing, flagged=flagged,
                                 error=verdict.error, error_message=verdict.error_message, notes=verdict.notes)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return FileResult(path.name, file_id, receipt.dataset, verdict.status, len(verdict.accepted),
                      len(verdict.rejections), verdict.rows_missing, flagged, verdict.error, verdict.error_message,
                      verdict.notes, _rejection_dicts(verdict))


def _dataset_of(con: duckdb.DuckDBPyConnection, file_id: str) -> str:
    row = con.execute("SELECT dataset FROM audit.files WHERE file_id = ? AND dataset <> 'unknown' LIMIT 1",
                      [file_id]).fetchone()
    return row[0] if row else "unknown"


def _rejection_dicts(verdict: FileVerdict) -> list[dict]:
    frame = verdict.rejections.rename(columns={"source_row": "row", "source_column": "column"})
    return [{k: (int(v) if k == "row" else v) for k, v in r.items()}
            for r in frame[["sheet", "row", "column", "reason_code", "raw_value", "message"]].to_dict("records")]
