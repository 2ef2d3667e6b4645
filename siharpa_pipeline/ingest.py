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


@dataclass
class ReceivedFile:
    """A file taken in: its original bytes are in the archive under its file_id."""
    file_id: str
    file_name: str
    archive_path: Path
    submitted_by: str | None = None
    source_path: Path | None = None  # where it was found (an inbox file leaves once its load committed)

    def data(self) -> bytes:
        return self.archive_path.read_bytes()


def receive(settings: Settings, path: Path, submitted_by: str | None = None) -> ReceivedFile:
    """Archive the original bytes by file_id before anything else happens to them."""
    data = path.read_bytes()
    file_id = file_id_of(data)
    target = settings.archive_dir / file_id[:2] / f"{file_id}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    return ReceivedFile(file_id, path.name, target, submitted_by, path)


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


def judge_received(received: ReceivedFile, dataset: str | None, as_of: dt.date,
                   assigned: set[str] | None = None) -> tuple[str, FileVerdict]:
    return judge_file(Path(received.file_name), dataset, as_of, assigned, received.data())


def ingest_files(paths: list[Path], settings: Settings, *, dataset: str | None = None, as_of: dt.date | None = None,
                 submitted_by: str | None = None, assigned: set[str] | None = None) -> list[FileResult]:
    """Load files one by one, each in its own transaction, under one writer lock and one connection."""
    as_of = as_of or today_wita()
    results = []
    with warehouse.writer(settings) as con:
        for path in map(Path, paths):
            try:
                received = receive(settings, path, submitted_by)
            except OSError as err:
                results.append(FileResult(path.name, None, dataset or "unknown", "failed", error="unreadable_file",
                                          error_message=f"Berkas tidak dapat dibuka: {err.strerror or err}."))
                continue
            results.append(record_duplicate(con, received, dataset)
                           or record_verdict(con, received, *judge_received(received, dataset, as_of, assigned)))
    return results


def _receipt(received: ReceivedFile, dataset: str) -> warehouse.Receipt:
    return warehouse.Receipt(uuid.uuid4().hex, received.file_id, received.file_name, dataset, received.submitted_by,
                             warehouse.now_utc(), f"archive/{received.file_id[:2]}/{received.archive_path.name}")


def record_duplicate(con: duckdb.DuckDBPyConnection, received: ReceivedFile, dataset: str | None) -> FileResult | None:
    """These bytes were loaded before: a receipt saying so, nothing else changes. None when they are new."""
    earlier = warehouse.loaded_before(con, received.file_id)
    if earlier is None:
        return None
    note = f"Berkas yang sama persis sudah dimuat pada {earlier:%d/%m/%Y %H:%M} UTC; tidak ada yang diubah."
    dataset = dataset or _dataset_of(con, received.file_id)
    warehouse.record_receipt(con, _receipt(received, dataset), "duplicate", notes=[note])
    return FileResult(received.file_name, received.file_id, dataset, "duplicate", notes=[note])


def record_verdict(con: duckdb.DuckDBPyConnection, received: ReceivedFile, dataset: str,
                   verdict: FileVerdict) -> FileResult:
    """Store one judged file in one transaction: observations, rejections and its receipt, or nothing."""
    receipt = _receipt(received, dataset)
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
    return FileResult(received.file_name, received.file_id, dataset, verdict.status, len(verdict.accepted),
                      len(verdict.rejections), verdict.rows_missing, flagged, verdict.error, verdict.error_message,
                      verdict.notes, rejection_dicts(verdict))


def _dataset_of(con: duckdb.DuckDBPyConnection, file_id: str) -> str:
    row = con.execute("SELECT dataset FROM audit.files WHERE file_id = ? AND dataset <> 'unknown' LIMIT 1",
                      [file_id]).fetchone()
    return row[0] if row else "unknown"


def rejection_dicts(verdict: FileVerdict) -> list[dict]:
    frame = verdict.rejections.rename(columns={"source_row": "row", "source_column": "column"})
    return [{k: (int(v) if k == "row" else v) for k, v in r.items()}
            for r in frame[["sheet", "row", "column", "reason_code", "raw_value", "message"]].to_dict("records")]
