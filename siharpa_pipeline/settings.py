"""Where the pipeline keeps its files: one settings object shared by the CLI, Dagster and Streamlit."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from .datasets import DATASET_NAMES

WITA = ZoneInfo("Asia/Makassar")  # PPU's clock: market days, deadlines and what pages show


def today_wita() -> dt.date:
    return dt.datetime.now(WITA).date()


def now_utc() -> dt.datetime:
    """What the warehouse stores: UTC without a zone."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class ConfigError(Exception):
    """A setting in the environment cannot be used; the message says which and why, in Bahasa Indonesia."""


def env_number(name: str, default: float, low: float, high: float) -> float:
    """A number from the environment, or the default when unset; anything else is a ConfigError."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not low <= value <= high:
        raise ConfigError(f"Pengaturan {name}='{text}' tidak sah: harus angka antara {low:g} dan {high:g}.")
    return value


@dataclass(frozen=True)
class Settings:
    data_dir: Path

    @classmethod
    def from_env(cls, data_dir: str | os.PathLike | None = None) -> "Settings":
        chosen = data_dir or os.environ.get("SIHARPA_DATA_DIR") or "data"
        return cls(Path(chosen).resolve())

    @property
    def inbox_dir(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def reference_dir(self) -> Path:
        """Region packs imported (siharpa reference import), one folder each, in import order."""
        return self.data_dir / "reference"

    @property
    def warehouse_dir(self) -> Path:
        return self.data_dir / "warehouse"

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse_dir / "warehouse.duckdb"

    @property
    def serving_path(self) -> Path:
        return self.warehouse_dir / "serving.duckdb"

    @property
    def writer_lock_path(self) -> Path:
        return self.warehouse_dir / "writer.lock"

    def inbox(self, dataset: str) -> Path:
        return self.inbox_dir / dataset

    def ensure_dirs(self) -> None:
        """The folders, and the data folder readable by the service account only: the warehouse, the serving
        file, the archive and the inbox may hold personal data (112 callers)."""
        for d in (self.archive_dir, self.warehouse_dir, *(self.inbox(n) for n in DATASET_NAMES)):
            d.mkdir(parents=True, exist_ok=True)
        for d in (self.data_dir, self.archive_dir, self.warehouse_dir, self.inbox_dir):
            restrict(d, PRIVATE_DIR)


PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def restrict(path: Path, mode: int) -> None:
    """chmod when ours to change (a folder another account owns is left as its owner set it)."""
    try:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
    except OSError:  # not our folder, or a read-only file system: what a write would then say is clearer
        pass
