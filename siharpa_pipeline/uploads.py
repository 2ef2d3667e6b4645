"""Files sent through the upload page: refused early when they are not what they claim (size, type, zip bomb,
hostile name), judged by the same code as `siharpa validate` with nothing written, then handed to the inbox
atomically with who sent them, where the orchestrator loads them like any other file."""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import asdict, dataclass
from io import BytesIO
from pathlib import Path

from . import inbox
from .access import User
from .ingest import judge_file
from .packs import active_reference
from .reference import HOME_REGION, Reference
from .settings import Settings, env_number
from .verdicts import FileVerdict

ALLOWED_TYPES = {  # extension -> content types browsers send for it
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
    ".xls": {"application/vnd.ms-excel", "application/msexcel", "application/x-msexcel"},
    ".ods": {"application/vnd.oasis.opendocument.spreadsheet"},
    ".csv": {"text/csv", "text/plain", "application/csv", "application/vnd.ms-excel", "text/comma-separated-values"},
}
GENERIC_TYPES = {"", "application/octet-stream"}  # phones often send these for any file
ZIP_MAGIC, OLE_MAGIC = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 5000
MAX_NAME_LENGTH = 100


class UploadRefused(Exception):
    """The file is not taken in at all; the message says why, in Bahasa Indonesia."""


def max_upload_bytes() -> int:
    return int(env_number("SIHARPA_UPLOAD_MAX_MB", 10, 0.001, 1024) * 1024 * 1024)


def safe_name(name: str) -> str:
    """The last part of whatever path was sent, letters, digits, space, dot, dash and underscore only."""
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name))[-1]
    base = re.sub(r"[^\w .\-]", "_", base, flags=re.ASCII).strip(" .")
    stem, ext = os.path.splitext(base)
    stem = stem[: MAX_NAME_LENGTH - len(ext)] or "berkas"
    return stem + ext.lower()


def check_upload(name: str, data: bytes, content_type: str | None) -> str:
    """The name the file will go by; UploadRefused when it must not be read at all."""
    limit = max_upload_bytes()
    if len(data) > limit:
        raise UploadRefused(
            f"Berkas terlalu besar ({len(data) / 1024 / 1024:.1f} MB); batasnya "
            f"{limit / 1024 / 1024:.0f} MB. Pisahkan per bulan atau per pasar."
        )
    clean = safe_name(name)
    ext = os.path.splitext(clean)[1]
    if ext not in ALLOWED_TYPES:
        raise UploadRefused(
            f"Jenis berkas '{ext or 'tanpa ekstensi'}' tidak diterima; kirim .xlsx, .xls, .ods atau .csv."
        )
    if (content_type or "") not in ALLOWED_TYPES[ext] | GENERIC_TYPES:
        raise UploadRefused(f"Isi berkas ({content_type}) tidak cocok dengan ekstensinya ({ext}).")
    if not data:
        raise UploadRefused("Berkas kosong (0 byte).")
    if ext in (".xlsx", ".ods"):
        _check_zip(data, ext)
    elif ext == ".xls" and not data.startswith(OLE_MAGIC):
        raise UploadRefused("Berkas .xls ini bukan lembar kerja Excel; simpan ulang dari Excel lalu kirim lagi.")
    elif ext == ".csv" and b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadRefused("Berkas .csv ini berisi data biner, bukan teks.")
    return clean


def _check_zip(data: bytes, ext: str) -> None:
    """xlsx and ods are zip archives: a few KB can unpack to gigabytes (a zip bomb) before any check of ours."""
    if not data.startswith(ZIP_MAGIC):
        raise UploadRefused(f"Berkas {ext} ini rusak atau bukan lembar kerja; simpan ulang lalu kirim lagi.")
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        raise UploadRefused(f"Berkas {ext} ini rusak atau terpotong; simpan ulang lalu kirim lagi.") from None
    unpacked = sum(e.file_size for e in entries)
    if len(entries) > MAX_ZIP_ENTRIES or unpacked > MAX_UNZIPPED_BYTES or unpacked > MAX_ZIP_RATIO * len(data):
        raise UploadRefused("Berkas ditolak: isinya mengembang jauh melebihi ukurannya (dicurigai 'zip bomb').")
    if any(e.filename.startswith(("/", "\\")) or ".." in Path(e.filename).parts for e in entries):
        raise UploadRefused("Berkas ditolak: berisi nama bagian yang mencurigakan.")


def preview(
    name: str, data: bytes, dataset: str | None, user: User, as_of: dt.date, ref: Reference | None = None
) -> tuple[str, FileVerdict]:
    """What `siharpa validate` would say, for this user's markets and the reference in force; nothing is
    written."""
    return judge_file(Path(name), dataset, as_of, user.assigned_markets, data, ref)


@dataclass(frozen=True)
class Submission:
    """Who sent an inbox file, kept beside it (inbox/<dataset>/.meta/<name>.json) until its load commits."""

    submitted_by: str
    assigned_markets: list[str] | None
    file_id: str
    submitted_at: str


def waiting(settings: Settings, username: str) -> list[tuple[str, Path]]:
    """(dataset, file) sent by this user still waiting in an inbox."""
    found = []
    for dataset_dir in sorted(p for p in settings.inbox_dir.glob("*") if p.is_dir()):
        folders = [dataset_dir, *sorted(p for p in dataset_dir.iterdir() if inbox.REGION_FOLDER.fullmatch(p.name))]
        for folder in folders:
            for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
                sub = inbox.submission_of(path)
                if sub is not None and sub.get("submitted_by") == username:
                    found.append((dataset_dir.name, path))
    return found


def inbox_folder(settings: Settings, dataset: str, user: User) -> Path:
    """Where a file goes: an enumerator whose markets all lie in another kabupaten/kota sends to that region's
    folder, so its own runs load it (one writer per region on a lake); everyone else to the dataset's."""
    folder = settings.inbox(dataset)
    if dataset != "prices" or not user.assigned_markets:
        return folder
    markets = active_reference(settings).markets
    regions = set(markets.loc[markets["market_id"].isin(user.assigned_markets), "region_code"])
    return folder / regions.pop() if len(regions) == 1 and HOME_REGION not in regions else folder


def submit(settings: Settings, dataset: str, name: str, data: bytes, user: User, file_id: str) -> Path:
    """Hand the file to the inbox: its sender first, then the bytes under a temporary name renamed into place,
    so the orchestrator never sees half a file or a file without its sender. One file at a time per user; the
    checks and the hand-off hold one lock, so two sessions cannot both pass them."""
    settings.inbox_dir.mkdir(parents=True, exist_ok=True)
    with open(settings.inbox_dir / ".submit.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if waiting(settings, user.username):
            raise UploadRefused(
                "Berkas Anda sebelumnya masih menunggu diproses; tunggu sampai selesai, lalu kirim berkas berikutnya."
            )
        folder = inbox_folder(settings, dataset, user)
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / name
        if target.exists():
            raise UploadRefused(f"Berkas bernama {name} masih menunggu diproses; ganti nama berkas Anda.")
        markets = sorted(user.assigned_markets) if user.assigned_markets is not None else None
        record = Submission(user.username, markets, file_id, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
        tmp = folder / f".{uuid.uuid4().hex}.part"
        try:
            inbox.write_submission(target, asdict(record))
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError as err:  # a full disk: nothing half-written stays behind, the sender is told why
            tmp.unlink(missing_ok=True)
            inbox.forget_submission(target)
            raise UploadRefused(
                "Disk server penuh: berkas belum terkirim. Hubungi petugas TI, lalu kirim lagi."
                if err.errno == errno.ENOSPC
                else f"Berkas belum terkirim: {err.strerror or err}. Coba lagi."
            ) from None
    return target
