"""The inbox folders the orchestrator watches: data/inbox/<dataset>/ for the home region's files and
data/inbox/<dataset>/<region code>/ (such as 63.72/) for another kabupaten/kota's on a shared lake. A file leaves
only after its load committed."""

from __future__ import annotations

import fcntl
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from .reference import HOME_REGION
from .settings import Settings

SETTLE_SECONDS = 2.0  # a file still being copied in is left for the next look
PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload")
REGION_FOLDER = re.compile(r"\d{2}\.\d{2}")  # a Kemendagri kabupaten/kota code


@dataclass(frozen=True)
class InboxFile:
    path: Path
    fingerprint: str  # region, name, size and modification time: cheap to compare between looks
    region: str = HOME_REGION


def pending(settings: Settings, dataset: str, now: float | None = None) -> list[InboxFile]:
    """Files waiting in a dataset's inbox and its region folders, oldest first; partial uploads and hidden files
    are not files yet."""
    folder = settings.inbox(dataset)
    if not folder.is_dir():
        return []
    now = time.time() if now is None else now
    folders = [(HOME_REGION, folder)]
    folders += sorted((p.name, p) for p in folder.iterdir() if p.is_dir() and REGION_FOLDER.fullmatch(p.name))
    found = []
    for region, place in folders:
        for path in place.iterdir():
            if not path.is_file() or path.name.startswith((".", "~$")) or path.suffix.lower() in PARTIAL_SUFFIXES:
                continue  # a .pdf sent by mistake is still received, and fails with a reason the sender can read
            stat = path.stat()
            if now - stat.st_mtime < SETTLE_SECONDS:
                continue
            fingerprint = f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}"
            if region != HOME_REGION:
                fingerprint = f"{region}/{fingerprint}"
            found.append((stat.st_mtime, InboxFile(path, fingerprint, region)))
    return [f for _, f in sorted(found, key=lambda x: (x[0], str(x[1].path)))]


def settle(path: Path) -> None:
    """The load of this file committed: it leaves the inbox (its bytes are in the archive)."""
    path.unlink(missing_ok=True)
    _claim_path(path).unlink(missing_ok=True)
    _submission_path(path).unlink(missing_ok=True)


def _submission_path(path: Path) -> Path:
    return path.parent / ".meta" / f"{path.name}.json"


def write_submission(path: Path, record: dict) -> None:
    """Who sent the file about to arrive at `path` (written before the file, so a file never lacks it)."""
    target = _submission_path(path)
    target.parent.mkdir(exist_ok=True)
    tmp = target.with_suffix(".tmp")
    try:
        tmp.write_text(json.dumps(record), encoding="utf-8")
        tmp.replace(target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def forget_submission(path: Path) -> None:
    """The file never arrived: its sender's record goes too."""
    _submission_path(path).unlink(missing_ok=True)


def submission_of(path: Path) -> dict | None:
    """The sender's record of an inbox file that came through the upload page, else None."""
    try:
        return json.loads(_submission_path(path).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def _claim_path(path: Path) -> Path:
    return path.parent / ".claims" / f"{path.name}.lock"


class AlreadyClaimed(Exception):
    """Another live process is loading this file."""


def claim(path: Path) -> int:
    """Mark a file as being loaded by this process: an OS lock the kernel drops if the process dies, so a
    watcher can tell a live load from a dead one. Returns the descriptor to pass to release()."""
    lock = _claim_path(path)
    lock.parent.mkdir(exist_ok=True)
    fd = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise AlreadyClaimed(path.name) from None
    return fd


def release(fd: int) -> None:
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)


def is_claimed(path: Path) -> bool:
    lock = _claim_path(path)
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock we may have taken
    return False
