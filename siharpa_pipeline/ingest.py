"""Receiving files: archive the original bytes, judge them, store the verdict in one transaction."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import os
import shutil
import traceback
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TypeVar

import duckdb

from . import packs, warehouse
from .layouts import file_name_context
from .pricefiles import judge_price_sheets
from .privacy import PiiKeyMissing, mask_phone_numbers, pii_key
from .quickwins import record_specs
from .readers import FileError, Sheet, read_sheets
from .records import RecordSpec, read_records
from .reference import Reference, load_reference
from .settings import Settings, now_utc, today_wita
from .storage import load_reference_tables, storage
from .transactions import retried, transaction
from .verdicts import DAILY, MARKET, REGION, FileVerdict, TooManyRejections

log = logging.getLogger(__name__)
R = TypeVar("R")


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
    content: str | None = None  # a price file: "pasar", or "wilayah (...)" for a region's series

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
    assigned_markets: list[str] | None = None  # sent by an enumerator: the markets they may send prices for

    def data(self) -> bytes:
        return self.archive_path.read_bytes()


def receive(
    settings: Settings, path: Path, submitted_by: str | None = None, assigned_markets: list[str] | None = None
) -> ReceivedFile:
    """Archive the original bytes by file_id before anything else happens to them."""
    data = path.read_bytes()
    file_id = file_id_of(data)
    target = settings.archive_dir / file_id[:2] / f"{file_id}{path.suffix.lower()}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".part")
        try:  # originals may hold personal data (112 callers): readable by the service account only
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            tmp.replace(target)
        except BaseException:  # a full disk: no half copy left behind to keep it full
            tmp.unlink(missing_ok=True)
            raise
    return ReceivedFile(file_id, path.name, target, submitted_by, path, assigned_markets)


def judge_file(
    path: Path,
    dataset: str | None,
    as_of: dt.date,
    assigned: set[str] | None,
    data: bytes | None = None,
    ref: Reference | None = None,
    region: str | None = None,
) -> tuple[str, FileVerdict]:
    """(dataset, verdict) without writing anything. The dataset is the caller's (an inbox folder, an upload
    form) or recognised from the sheets' headers; `ref` the reference (with region packs) that judges it;
    `region` what the sender says of a regional file. A bug of ours becomes a failed file, not a traceback."""
    ref = ref or load_reference()
    try:
        sheets = read_sheets(path, path.read_bytes() if data is None else data)
        found = dataset or recognise(sheets)
        if found != "prices":
            return found, judge_record_sheets(sheets, record_specs()[found], as_of)
        verdict = judge_price_sheets(sheets, path, as_of, assigned, ref, region)
        verdict.reference_version = ref.version
        return (dataset or ("unknown" if verdict.error == "no_table_found" else "prices")), verdict
    except OSError as err:
        verdict = FileVerdict(
            error="unreadable_file", error_message=f"Berkas tidak dapat dibuka: {err.strerror or err}."
        )
    except FileError as err:
        verdict = FileVerdict(error=err.code, error_message=err.message)
    except PiiKeyMissing as err:
        verdict = FileVerdict(error="pii_key_missing", error_message=str(err))
    except TooManyRejections as err:
        verdict = FileVerdict(error="too_many_rejections", error_message=err.message)
    except Exception as err:
        log_internal_error(f"reading {path.name}", err)
        verdict = FileVerdict(error="internal_error", error_message=INTERNAL_ERROR_MESSAGE)
    return dataset or "unknown", verdict


INTERNAL_ERROR_MESSAGE = (
    "Terjadi kesalahan internal saat memproses berkas; berkas sudah diarsip dan petugas TI telah dicatat."
)
DISK_FULL_MESSAGE = (
    "Disk penuh: berkas tidak dapat disimpan. Tidak ada yang berubah; hubungi petugas TI agar "
    "ruang disk dikosongkan, lalu kirim lagi."
)


def log_internal_error(what: str, err: BaseException) -> None:
    """A bug of ours, logged for IT with its traceback, phone numbers masked (values reach messages)."""
    text = "".join(traceback.format_exception(err))
    log.error("internal error while %s:\n%s", what, mask_phone_numbers(text))


def recognise(sheets: list[Sheet]) -> str:
    """A quick-win dataset when a sheet carries its header row, else prices."""
    return next((spec.dataset for spec in record_specs().values() if any(map(spec.recognises, sheets))), "prices")


def judge_record_sheets(sheets: list[Sheet], spec: RecordSpec, as_of: dt.date) -> FileVerdict:
    if spec.dataset == "calls_112":
        pii_key()  # refuse before a single caller number is read
    found = read_records(sheets, spec, as_of)
    if not found.tables:
        return FileVerdict(
            error="no_table_found",
            error_message=f"Tidak ada tabel {spec.title} di berkas ini: baris judul kolom dengan "
            f"{', '.join(c.headers[0] for c in spec.columns if c.required)} "
            "tidak ditemukan.",
        )
    if found.accepted.empty and found.rejections.empty:
        return FileVerdict(error="no_rows", error_message=f"Tabel {spec.title} ditemukan, tetapi tidak ada baris data.")
    return FileVerdict(found.accepted, found.rejections)


def judge_received(
    received: ReceivedFile, dataset: str | None, as_of: dt.date, ref: Reference | None = None, region: str | None = None
) -> tuple[str, FileVerdict]:
    assigned = None if received.assigned_markets is None else set(received.assigned_markets)
    return judge_file(Path(received.file_name), dataset, as_of, assigned, received.data(), ref, region)


def ingest_files(
    paths: list[Path],
    settings: Settings,
    *,
    dataset: str | None = None,
    as_of: dt.date | None = None,
    submitted_by: str | None = None,
    assigned: set[str] | None = None,
    region: str | None = None,
) -> list[FileResult]:
    """The ingest use case, file by file, as the CLI and the demo run it and as the Dagster assets run it in
    three steps (received, validated, core): the original archived, judged against the reference in force
    outside the writer lock (reading a large workbook takes a while; other writers need not wait for it), then
    stored with its receipt in one transaction. Bytes loaded before are recognised before they are read."""
    as_of = as_of or today_wita()
    store = storage(settings)
    ref = packs.active_reference(settings)
    results = []
    for path in map(Path, paths):
        try:
            received = receive(settings, path, submitted_by, None if assigned is None else sorted(assigned))
        except OSError as err:
            code, message = _os_error(err, "Berkas tidak dapat dibuka")
            results.append(
                FileResult(path.name, None, dataset or "unknown", "failed", error=code, error_message=message)
            )
            continue
        with store.writer() as con:
            duplicate = known_duplicate(con, received, dataset, ref)
        if duplicate is not None:
            results.append(duplicate)
            continue
        found, verdict = judge_received(received, dataset, as_of, ref, region)
        with store.writer() as con:
            results.append(store_judged(con, received, found, verdict, ref))
    return results


def store_judged(
    con: duckdb.DuckDBPyConnection,
    received: ReceivedFile,
    dataset: str,
    verdict: FileVerdict,
    ref: Reference | None = None,
) -> FileResult:
    """A duplicate's receipt, or the verdict stored with its receipt."""
    return _receipted(
        con,
        received,
        dataset,
        lambda: record_duplicate(con, received, dataset, ref) or record_verdict(con, received, dataset, verdict),
    )


def known_duplicate(
    con: duckdb.DuckDBPyConnection, received: ReceivedFile, dataset: str | None, ref: Reference | None = None
) -> FileResult | None:
    """A duplicate's receipt when these bytes were loaded before, else None (nothing written)."""
    return _receipted(con, received, dataset, lambda: record_duplicate(con, received, dataset, ref))


def _receipted(
    con: duckdb.DuckDBPyConnection, received: ReceivedFile, dataset: str | None, write: Callable[[], R]
) -> R | FileResult:
    """Whatever goes wrong while writing, the file gets a receipt saying so (failed, with a message) and the
    caller goes on with the next."""
    try:
        return retried(write)
    except Exception as err:
        if isinstance(err, OSError) or disk_full(err):
            code, message = _os_error(err, "Berkas tidak dapat disimpan")
        else:
            log_internal_error(f"storing {received.file_name}", err)
            code, message = "internal_error", INTERNAL_ERROR_MESSAGE
        failed = FileVerdict(error=code, error_message=message)
        try:
            return record_verdict(con, received, dataset or "unknown", failed)
        except Exception as again:  # the warehouse itself takes no receipt (a full disk): say so all the same
            log_internal_error(f"recording the failure of {received.file_name}", again)
            return FileResult(
                received.file_name, received.file_id, dataset or "unknown", "failed", error=code, error_message=message
            )


def disk_full(err: BaseException) -> bool:
    """ENOSPC, from Python or as DuckDB words it."""
    return isinstance(err, OSError) and err.errno == errno.ENOSPC or "no space left" in str(err).lower()


def _os_error(err: BaseException, what: str) -> tuple[str, str]:
    if disk_full(err):
        return "disk_full", DISK_FULL_MESSAGE
    reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
    return "unreadable_file", f"{what}: {mask_phone_numbers(reason)}."


def _receipt(received: ReceivedFile, dataset: str, reference_version: str = "bawaan") -> warehouse.Receipt:
    return warehouse.Receipt(
        uuid.uuid4().hex,
        received.file_id,
        mask_phone_numbers(received.file_name),
        dataset,
        mask_phone_numbers(received.submitted_by),
        now_utc(),
        f"archive/{received.file_id[:2]}/{received.archive_path.name}",
        reference_version,
    )


def record_duplicate(
    con: duckdb.DuckDBPyConnection, received: ReceivedFile, dataset: str | None, ref: Reference | None = None
) -> FileResult | None:
    """These bytes were loaded before, under a name that says the same of their market and date, by the same
    reference: a receipt saying so, nothing else changes. None when they are new (the same bytes named for
    another market or day are another submission; after a region pack import they are judged anew)."""
    ref = ref or load_reference()
    context = file_name_context(received.file_name, ref)
    earlier = next(
        (
            when
            for when, name, version in warehouse.loads_of(con, received.file_id)
            if (version or "bawaan") == ref.version and file_name_context(name, ref) == context
        ),
        None,
    )
    if earlier is None:
        return None
    note = f"Berkas yang sama persis sudah dimuat pada {earlier:%d/%m/%Y %H:%M} UTC; tidak ada yang diubah."
    dataset = dataset or _dataset_of(con, received.file_id)
    warehouse.record_receipt(con, _receipt(received, dataset), "duplicate", notes=[note])
    return FileResult(received.file_name, received.file_id, dataset, "duplicate", notes=[note])


def record_verdict(
    con: duckdb.DuckDBPyConnection, received: ReceivedFile, dataset: str, verdict: FileVerdict
) -> FileResult:
    """Store one judged file in one transaction: observations, rejections and its receipt, or nothing."""
    receipt = _receipt(received, dataset, verdict.reference_version)
    level = content_of(dataset, verdict)
    with transaction(con):
        flagged = 0 if verdict.error else _store(con, receipt, dataset, verdict)
        warehouse.record_rejections(con, receipt, verdict.rejections)
        warehouse.record_receipt(
            con,
            receipt,
            verdict.status,
            accepted=len(verdict.accepted),
            rejected=len(verdict.rejections),
            missing=verdict.rows_missing,
            flagged=flagged,
            error=verdict.error,
            error_message=verdict.error_message,
            notes=verdict.notes,
            content_level=level,
        )
    return FileResult(
        received.file_name,
        received.file_id,
        dataset,
        verdict.status,
        len(verdict.accepted),
        len(verdict.rejections),
        verdict.rows_missing,
        flagged,
        verdict.error,
        verdict.error_message,
        verdict.notes,
        rejection_dicts(verdict),
        level,
    )


def content_of(dataset: str, verdict: FileVerdict) -> str | None:
    """What a price file held: prices at markets, or a region's series (and whether daily or monthly)."""
    if dataset != "prices" or verdict.error:
        return None
    if verdict.level == MARKET:
        return "pasar" if verdict.price_level == "konsumen" else f"pasar ({verdict.price_level})"
    return f"wilayah ({'harian' if verdict.period == DAILY else 'bulanan'}, {verdict.source}, {verdict.price_level})"


def _store(con: duckdb.DuckDBPyConnection, receipt: warehouse.Receipt, dataset: str, verdict: FileVerdict) -> int:
    if dataset == "prices" and verdict.level == REGION:
        return warehouse.store_region_prices(
            con, receipt, verdict.accepted, verdict.period, verdict.source or "lainnya", verdict.price_level
        )
    if dataset == "prices":
        return warehouse.store_prices(con, receipt, verdict.accepted)
    spec = record_specs()[dataset]
    return warehouse.store_records(con, receipt, spec.table, spec.replace_key, verdict.accepted)


def _dataset_of(con: duckdb.DuckDBPyConnection, file_id: str) -> str:
    row = con.execute(
        "SELECT dataset FROM audit.files WHERE file_id = ? AND dataset <> 'unknown' LIMIT 1", [file_id]
    ).fetchone()
    return row[0] if row else "unknown"


def rejection_dicts(verdict: FileVerdict) -> list[dict]:
    frame = verdict.rejections.rename(columns={"source_row": "row", "source_column": "column"})
    if "reasons" not in frame:
        frame = frame.assign(reasons=frame["reason_code"])
    return [
        {k: (int(v) if k in ("row", "column_index") else v) for k, v in r.items()}
        for r in frame[
            ["sheet", "row", "column", "reason_code", "reasons", "raw_value", "message", "column_index"]
        ].to_dict("records")
    ]


@dataclass
class ImportResult:
    version: str
    rows: dict[str, int]


def import_pack(settings: Settings, folder: Path) -> ImportResult:
    """Check the pack against the reference in force, keep it, and record the import in the warehouse with
    ref.* rewritten, in one transaction: a refused or failed import leaves everything as it was."""
    before = packs.active_reference(settings)
    pack = packs.read_pack(folder, before)
    after = packs.apply_pack(before, pack)
    now = now_utc()
    with storage(settings).writer() as con:
        kept = packs.keep_pack(settings, pack, now)
        try:
            with transaction(con):
                load_reference_tables(con, after)
                rows = {
                    "markets.csv": len(pack.markets),
                    "commodity_aliases.csv": len(pack.commodity_aliases),
                    "reference_prices.csv": len(pack.reference_prices),
                }
                for name, data in pack.files.items():
                    con.execute(
                        "INSERT INTO audit.reference_imports VALUES (?, ?, ?, ?, ?, ?)",
                        [f"{kept.name}/{name}", now, name, hashlib.sha256(data).hexdigest(), rows[name], after.version],
                    )
        except BaseException:
            shutil.rmtree(kept, ignore_errors=True)
            raise
    return ImportResult(after.version, {n: r for n, r in rows.items() if n in pack.files})
